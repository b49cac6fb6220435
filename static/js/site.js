/* CRESS Normandie: progressive enhancement only. Everything works without this script. */
(function () {
  'use strict';

  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');

  // A form sent back with errors: move focus to the error summary.
  var errorSummary = document.querySelector('.error-summary');
  if (errorSummary) {
    if (!errorSummary.hasAttribute('tabindex')) {
      errorSummary.setAttribute('tabindex', '-1');
    }
    errorSummary.focus();
  }

  // The main menu collapses behind a button on small screens.
  var toggle = document.querySelector('.main-nav__toggle');
  var list = toggle && document.getElementById(toggle.getAttribute('aria-controls'));
  if (!toggle || !list) {
    return;
  }
  var wide = window.matchMedia('(min-width: 56rem)');

  function setExpanded(expanded) {
    toggle.setAttribute('aria-expanded', expanded ? 'true' : 'false');
  }

  function update() {
    // Wide screens: list always shown, no button. Small screens: button shown, menu collapsed.
    setExpanded(false);
    toggle.hidden = wide.matches;
  }

  toggle.addEventListener('click', function () {
    setExpanded(toggle.getAttribute('aria-expanded') !== 'true');
  });

  (toggle.closest('.main-nav') || document).addEventListener('keydown', function (event) {
    if ((event.key === 'Escape' || event.key === 'Esc') && !toggle.hidden &&
        toggle.getAttribute('aria-expanded') === 'true') {
      setExpanded(false);
      toggle.focus();
    }
  });

  if (wide.addEventListener) {
    wide.addEventListener('change', update);
  } else if (wide.addListener) {
    wide.addListener(update);
  }
  update();
}());
