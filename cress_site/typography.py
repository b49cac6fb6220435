"""French typography for text shown to the public: file sizes, spaces, dates and times."""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

NBSP = "\u00a0"


def file_size(size):
    """A file size in French units ("820 octets", "245 Ko", "1,2 Mo"), with a non-breaking
    space before the unit; "" when the size is unknown."""
    if size is None or size == "":
        return ""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size}{NBSP}octet{'s' if size > 1 else ''}"
    value = float(size)
    for unit in ("Ko", "Mo", "Go"):
        value /= 1024
        if value < 1024 or unit == "Go":
            break
    number = f"{value:.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
    return f"{number.replace('.', ',')}{NBSP}{unit}"


NNBSP = "\u202f"

# A space (or none) before ; ! ? becomes a narrow non-breaking space, before : a non-breaking
# one; inside « » a narrow non-breaking space. Not in a URL ("https://…") nor between digits
# ("10:30" is left for time_label to replace at its source).
_BEFORE_NARROW = re.compile(r"(?<=\S)[ \u00a0\u202f]?([;!?])(?=\s|$|[»)\"'’])")
_BEFORE_COLON = re.compile(r"(?<=[^\s\d])[ \u00a0\u202f]?:(?=\s|$)")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]?»")
# An ordinary space before the mark, whatever comes before it ("étape 2 :", or " :" at the
# start of a piece of text that follows a tag).
_SPACE_BEFORE_NARROW = re.compile(r" ([;!?])(?=\s|$|[»)\"'’])")
_SPACE_BEFORE_COLON = re.compile(r" :(?=\s|$)")


def french_spaces(text):
    """`text` with the French spaces: a narrow non-breaking space before ; ! ? and inside « »,
    a non-breaking space before : ("Inscription : Webinaire", "Pourquoi ?", "« ESS »")."""
    if not text:
        return text
    text = _BEFORE_NARROW.sub(lambda match: NNBSP + match.group(1), text)
    text = _SPACE_BEFORE_NARROW.sub(lambda match: NNBSP + match.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING.sub("«" + NNBSP, text)
    return _BEFORE_CLOSING.sub(NNBSP + "»", text)


def time_label(value):
    """A time the French way: "14 h", "9 h 30" (non-breaking spaces)."""
    if value.minute == 0:
        return f"{value.hour}{NBSP}h"
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def date_label(value, format_string="j F Y"):
    """A date in Django's format letters and French words, the first of a month as "1er":
    "1er juin 2027", "mardi 5 janvier 2027". Aware datetimes are shown in the current time
    zone; the letters for hours (G, H, i) are not allowed: use `datetime_label`."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if value.day == 1:
        format_string = _FIRST_DAY.sub(lambda match: match.group(1) + r"\1\e\r", format_string)
    return date_format(value, format_string)


# An unescaped "j" (day of the month) in a Django date format.
_FIRST_DAY = re.compile(r"((?:^|[^\\])(?:\\\\)*)j")


def datetime_label(value, format_string="j F Y"):
    """A date and its time: "1er juin 2027 à 9 h 30" (in the current time zone)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_label(local, format_string)} à {time_label(local)}"


# -- in HTML -------------------------------------------------------------------------------------

# A tag (its attributes may hold ">" inside quotes) or a comment.
_TAG = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
# Elements whose text is not prose: left as they are.
_RAW_ELEMENTS = {"script", "style", "pre", "code", "textarea", "template"}
# The attributes read aloud or shown: their text gets the French spaces too.
_READ_ATTRIBUTE = re.compile(r"""(\s(?:title|alt|aria-label|placeholder)=)("[^"]*"|'[^']*')""")
# What the French spaces are about: text without any of these is left as it is.
_MARKS = re.compile("[:;!?«»]")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]\w*);")
_SPACE_ENTITIES = {"&nbsp;": NBSP, "&#160;": NBSP, "&#xa0;": NBSP, "&#8239;": NNBSP}


def _french_spaces_escaped(text):
    """`french_spaces` for escaped text (HTML): its entities ("&amp;", "&#x27;") kept whole."""
    entities = []

    def hold(match):
        entity = match.group(0)
        if entity.lower() in _SPACE_ENTITIES:
            return _SPACE_ENTITIES[entity.lower()]
        entities.append(entity)
        return chr(0xE000 + len(entities) - 1)  # a private-use character stands for it

    held = _ENTITY.sub(hold, text) if "&" in text else text
    if len(entities) > 0x1000:
        return text
    spaced = french_spaces(held)
    if entities:
        spaced = re.sub(
            "[\ue000-\uefff]", lambda match: entities[ord(match.group(0)) - 0xE000], spaced
        )
    return spaced


def french_html(html):
    """`html` with the French spaces in the text a reader sees (not in scripts, styles, code
    nor form fields) and in the attributes read aloud or shown (title, alt, aria-label,
    placeholder): what editors type ("Pourquoi ?") and what templates write read the same."""
    parts = _TAG.split(html)
    raw = None  # the element whose text is left as it is, while inside it
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if raw is None and _MARKS.search(part):
                parts[index] = _french_spaces_escaped(part)
            continue
        name = _TAG_NAME.match(part)
        if name is None:
            continue
        closing, tag = name.group(1), name.group(2).lower()
        if raw is not None:
            if closing and tag == raw:
                raw = None
            continue
        if tag in _RAW_ELEMENTS and not closing and not part.endswith("/>"):
            raw = tag
            continue
        if _MARKS.search(part):
            parts[index] = _READ_ATTRIBUTE.sub(
                lambda match: match.group(1) + _french_spaces_escaped(match.group(2)), part
            )
    return "".join(parts)


class FrenchTypographyMiddleware:
    """Gives the public's HTML pages the French spaces (`french_html`), once, before the page
    is compressed and kept in the page cache. The admin is left as Wagtail writes it."""

    SKIPPED_PATHS = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            response.streaming
            or not content_type.startswith("text/html")
            or request.path.startswith(self.SKIPPED_PATHS)
            or response.get("Content-Encoding")
        ):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset, errors="replace")
        spaced = french_html(html)
        if spaced != html:
            response.content = spaced.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
