"""Taking one picture: the code shared by `make screenshots` and by the browser test that
photographs the contributor's guide (tests/browser/test_editorial_flow.py), so that both write
their PNGs the same way.

A picture is a PNG of a Playwright page (the window, a `clip`, the full page) or of one element
(a Locator), animations stopped and the text caret hidden; `colours` reduces it to a palette
(256 colours: a few dozen KB for an admin screen, as the guide keeps them in git).
"""

import io
from pathlib import Path

from PIL import Image

# The admin's content, right of its 200 px sidebar.
ADMIN_CONTENT_X = 200


def save_png(data, path, colours=None):
    """Write the PNG bytes `data` to `path`, reduced to `colours` colours when given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    if colours:
        image = image.quantize(
            colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    image.save(path, optimize=True)
    return path


def screenshot(target, path, colours=None, **options):
    """A PNG of `target` (a Page, or a Locator for one element) at `path`; `options` go to
    Playwright's `screenshot()` (`clip`, `full_page`, `style`)."""
    if options.get("full_page"):
        load_lazy_images(target)
    data = target.screenshot(animations="disabled", caret="hide", **options)
    return save_png(data, path, colours)


def load_lazy_images(page, timeout=10_000):
    """Load the page's `loading="lazy"` images before a full-page picture, as a reader
    scrolling down would see them (the browser loads them only near the window)."""
    page.evaluate(
        "() => document.querySelectorAll('img[loading=lazy]').forEach((img) => {"
        " img.loading = 'eager'; })"
    )
    page.wait_for_function(
        "() => [...document.images].every((img) => img.complete)", timeout=timeout
    )


def region(locator, viewport, margin=16):
    """A clip around an element in the window, widened by `margin`, within the window."""
    box = locator.bounding_box()
    x = max(box["x"] - margin, 0)
    y = max(box["y"] - margin, 0)
    width = min(box["width"] + 2 * margin, viewport["width"] - x)
    height = min(box["height"] + 2 * margin, viewport["height"] - y)
    return {"x": x, "y": y, "width": width, "height": height}


def form_section_clip(page, section, viewport, until=None, margin=16):
    """The clip of a section of a long admin form, full width right of the sidebar, once
    scrolled to the top of the window (under the admin's sticky header). `until`: the element
    of the section where the picture stops, for a section taller than the window."""
    section.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -80)")
    top = section.bounding_box()["y"] - margin
    end = (until or section).bounding_box()
    bottom = min(end["y"] + end["height"] + margin, viewport["height"])
    return {
        "x": ADMIN_CONTENT_X,
        "y": top,
        "width": viewport["width"] - ADMIN_CONTENT_X,
        "height": bottom - top,
    }
