/* CRESS Normandie: searches and pages suggested under the header search box as one types.
   WAI-ARIA 1.2 combobox, list autocomplete with manual selection. Expects
   <form data-suggest-url="…"> around <input name="q" id="…">; without this script it is a
   plain GET form to the results page.
   One listbox: first the completed searches (the server's `completions`: the last word
   completed from the site's words), labelled "Rechercher", which fill the box and send the
   form; then the pages (`suggestions`), labelled with their type, which open the page; then
   the results of the search's sections (`sections`: enterprises, territories…), labelled with
   what they are, which open their page too. */
(function () {
  'use strict';

  var form = document.querySelector('form[data-suggest-url]');
  var input = form && form.querySelector('input[name="q"][id]');
  if (!input || !window.fetch || !window.AbortController) { return; }
  var id = input.id + '-suggestions';
  var list = el('ul', 'site-search__listbox');
  var status = el('div', 'visually-hidden');
  var items = [], active = -1, timer, request;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function attrs(node, values) {
    for (var name in values) { node.setAttribute(name, values[name]); }
  }

  list.id = id;
  list.hidden = true;
  attrs(list, { role: 'listbox', 'aria-label': 'Suggestions' });
  attrs(status, { role: 'status' });
  form.append(list, status);
  form.classList.add('site-search--suggest');
  attrs(input, { role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id });

  // Lower case, without accents, as the server compares: "Cœur" → "coeur".
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
  }

  // The title, with <mark> on each word start that is a typed word ("l'insert" → "insert").
  function highlight(title, query) {
    var folded = '', map = [], ranges = [], done = 0, out = document.createDocumentFragment();
    var words = fold(query).replace(/(^|[^\p{L}\p{N}])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/gu, '$1 ')
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    Array.prototype.forEach.call(title, function (char, i) {
      fold(char).split('').forEach(function (c) { folded += c; map.push(i); });
    });
    words.forEach(function (word) {
      for (var at = folded.indexOf(word); at > -1; at = folded.indexOf(word, at + 1)) {
        if (!/[\p{L}\p{N}]/u.test(folded.charAt(at - 1))) { ranges.push([map[at], map[at + word.length - 1] + 1]); }
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (range) {
      if (range[1] <= done) { return; }
      out.append(title.slice(done, Math.max(range[0], done)), el('mark', '', title.slice(Math.max(range[0], done), range[1])));
      done = range[1];
    });
    out.append(title.slice(done));
    return out;
  }

  function setActive(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (option, i) {
      option.setAttribute('aria-selected', i === index ? 'true' : 'false');
    });
    if (index < 0) {
      input.removeAttribute('aria-activedescendant');
    } else {
      input.setAttribute('aria-activedescendant', list.children[index].id);
      list.children[index].scrollIntoView({ block: 'nearest' });
    }
  }

  function setOpen(open) {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) { setActive(-1); }
  }

  // "3 recherches et 2 pages suggérées" (both words are feminine); "…, 2 pages et 1 autre
  // résultat suggérés" (a masculine word makes the agreement masculine).
  function counted(searches, pages, others) {
    var parts = [], total = searches + pages + (others || 0);
    if (searches) { parts.push(searches + ' recherche' + (searches > 1 ? 's' : '')); }
    if (pages) { parts.push(pages + ' page' + (pages > 1 ? 's' : '')); }
    if (others) { parts.push(others + ' autre' + (others > 1 ? 's' : '') + ' résultat' + (others > 1 ? 's' : '')); }
    if (!parts.length) { return 'Aucune suggestion'; }
    var last = parts.pop();
    return (parts.length ? parts.join(', ') + ' et ' : '') + last + ' suggéré' + (others ? '' : 'e') + (total > 1 ? 's' : '');
  }

  // A magnifying glass before each completed search; decorative.
  function searchIcon() {
    var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg'), path = document.createElementNS(ns, 'path');
    attrs(svg, { class: 'site-search__option-icon', viewBox: '0 0 16 16', width: '16', height: '16', 'aria-hidden': 'true', focusable: 'false' });
    attrs(path, { d: 'M6.5 1a5.5 5.5 0 0 1 4.39 8.82l3.9 3.9-1.06 1.06-3.9-3.9A5.5 5.5 0 1 1 6.5 1zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8z', fill: 'currentColor' });
    svg.appendChild(path);
    return svg;
  }

  function show(data, query) {
    var searches = (data.completions || []).map(function (item) {
      return { search: true, title: String(item.text), url: item.url, type: 'Rechercher' };
    });
    var pages = (data.suggestions || []).map(function (item) {
      return { search: false, title: String(item.title), url: item.url, type: item.type };
    });
    var others = [];
    (data.sections || []).forEach(function (section) {
      (section.results || []).forEach(function (item) {
        others.push({ search: false, title: String(item.title), url: item.url, type: String(item.type || section.label) });
      });
    });
    items = searches.concat(pages, others);
    list.textContent = '';
    items.forEach(function (item, i) {
      var option = el('li', 'site-search__option' + (item.search ? ' site-search__option--search' : ''));
      var title = el('span', 'site-search__option-title');
      if (item.search) { title.appendChild(searchIcon()); }
      title.appendChild(highlight(item.title, query));
      option.id = id + '-' + i;
      option.setAttribute('role', 'option');
      option.append(title, el('span', 'visually-hidden', ', '), el('span', 'site-search__option-type', item.type));
      list.appendChild(option);
    });
    setOpen(items.length > 0);
    status.textContent = counted(searches.length, pages.length, others.length);
  }

  // Forget the pending request: a late answer must not open the list again.
  function cancel() {
    clearTimeout(timer);
    if (request) { request.abort(); }
    timer = request = null;
  }

  function close() {
    cancel();
    setOpen(false);
  }

  function suggest() {
    var query = input.value.trim(), current;
    cancel();
    if (query.length < 2) {
      show({}, '');
      status.textContent = '';
      return;
    }
    current = request = new AbortController();
    fetch(form.getAttribute('data-suggest-url') + '?q=' + encodeURIComponent(query), { signal: current.signal })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (current === request && document.activeElement === input) { show(data, query); }
      })
      .catch(function () {}); // aborted or failed: the form still works
  }

  // A completed search fills the box and sends the form (the results page); a page opens.
  function go(index) {
    var item = items[index];
    close();
    if (item.search) {
      input.value = item.title;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    } else {
      window.location.assign(item.url);
    }
  }

  input.addEventListener('input', function () {
    setActive(-1);
    cancel();
    timer = setTimeout(suggest, 200);
  });

  input.addEventListener('keydown', function (event) {
    var key = event.key, open = !list.hidden, count = items.length, down = key === 'ArrowDown';
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (down || key === 'ArrowUp') {
      event.preventDefault();
      if (!count) {
        suggest();
      } else if (!open) {
        setOpen(true);
        setActive(down ? 0 : count - 1);
      } else {
        setActive(down ? (active + 1) % count : (active < 1 ? count : active) - 1);
      }
    } else if (key === 'Enter') {
      if (open && active > -1) {
        event.preventDefault();
        go(active);
      } else {
        close(); // the form is sent: a full search
      }
    } else if (key === 'Escape') {
      if (open || timer || request || input.value) { event.preventDefault(); }
      if (open || timer || request) {
        close();
      } else if (input.value) {
        input.value = '';
        suggest();
      }
    } else if (key === 'Tab') {
      close();
    } else if (/^(ArrowLeft|ArrowRight|Home|End)$/.test(key)) {
      setActive(-1);
    }
  });

  input.addEventListener('blur', close);
  // Pressing an option must not take the focus from the box (its blur closes the list).
  list.addEventListener('mousedown', function (event) { event.preventDefault(); });
  list.addEventListener('click', function (event) {
    var option = event.target.closest('[role="option"]');
    if (option) { go(Array.prototype.indexOf.call(list.children, option)); }
  });
}());
