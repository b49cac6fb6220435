"""Small builders of the demo pages' StreamField blocks and rich text."""


def link(page=None, url=""):
    return {"page": page, "url": url}


def heading(text, anchor="", level="h2", pictogram=""):
    """A heading block; `pictogram` (a cress_site.pictograms value) only where the page's
    headings may have one (the pitch)."""
    value = {"text": text, "level": level, "anchor": anchor}
    if pictogram:
        value["pictogram"] = pictogram
    return ("heading", value)


def paragraph(html):
    return ("paragraph", html)


def bullets(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def page_link(page, text=None):
    """A rich-text link to a page (plain text when the page is missing)."""
    if page is None:
        return text or ""
    return f'<a linktype="page" id="{page.pk}">{text or page.title}</a>'
