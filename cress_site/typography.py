"""French typography for text shown to the public: file sizes, spaces, dates and times."""

import re
from datetime import datetime
from functools import lru_cache

from django.utils import timezone, translation
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
    # Each substitution only moves spaces around its mark: one whose mark is absent is skipped.
    if ";" in text or "!" in text or "?" in text:
        text = _BEFORE_NARROW.sub(NNBSP + r"\1", text)
        text = _SPACE_BEFORE_NARROW.sub(NNBSP + r"\1", text)
    if ":" in text:
        text = _BEFORE_COLON.sub(NBSP + ":", text)
        text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    if "«" in text:
        text = _AFTER_OPENING.sub("«" + NNBSP, text)
    if "»" in text:
        text = _BEFORE_CLOSING.sub(NNBSP + "»", text)
    return text


def time_label(value):
    """A time the French way: "14 h", "9 h 30" (non-breaking spaces)."""
    if value.minute == 0:
        return f"{value.hour}{NBSP}h"
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def date_label(value, format_string="j F Y"):
    """A date in Django's format letters and French words, the first of a month as "1er":
    "1er juin 2027", "mardi 5 janvier 2027". Aware datetimes are shown in the current time
    zone; the letters for hours (G, H, i) are not allowed (Django refuses them for a date):
    use `datetime_label`.

    Made once per process for each day, format and language: Django's formatting costs about
    60 µs, and a list of cards asks for a few labels per card, mostly of the same days."""
    if isinstance(value, datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return _date_label(value, format_string, translation.get_language())


@lru_cache(maxsize=4096)
def _date_label(day, format_string, language):
    if day.day == 1:
        format_string = _FIRST_DAY.sub(lambda match: match.group(1) + r"\1\e\r", format_string)
    return date_format(day, format_string)


# An unescaped "j" (day of the month) in a Django date format.
_FIRST_DAY = re.compile(r"((?:^|[^\\])(?:\\\\)*)j")


def datetime_label(value, format_string="j F Y"):
    """A date and its time: "1er juin 2027 à 9 h 30" (in the current time zone)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_label(local, format_string)} à {time_label(local)}"


# -- in HTML -------------------------------------------------------------------------------------

# Elements whose text is not prose: left as they are.
_RAW_ELEMENTS = {"script", "style", "pre", "code", "textarea", "template"}
# The attributes read aloud or shown: their text gets the French spaces too.
_READ_ATTRIBUTE = re.compile(r"""(\s(?:title|alt|aria-label|placeholder)=)("[^"]*"|'[^']*')""")
# What the French spaces are about: text without any of these is left as it is.
_MARKS = re.compile("[:;!?«»]")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]\w*);")
_SPACE_ENTITIES = {"&nbsp;": NBSP, "&#160;": NBSP, "&#xa0;": NBSP, "&#8239;": NNBSP}
_HELD = re.compile("[\ue000-\uefff]")


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
        spaced = _HELD.sub(lambda match: entities[ord(match.group(0)) - 0xE000], spaced)
    return spaced


def _case_blind(name):
    """A regular expression for `name` in any case, ASCII letters only ("[pP][rR][eE]")."""
    return "".join(f"[{letter}{letter.upper()}]" for letter in name)


# `french_html` is one `re.sub` whose pattern reads the page in pieces: a tag or comment
# (`_ONE_TAG`, the first that matches from its "<"), or the text between two of them. It lets
# the regular expression engine step over, without calling Python, the pieces the French spaces
# leave as they are: a raw element from its opening tag to its closing one, a comment, a tag
# without a read attribute holding a mark, a text whose only marks are the ";" of entities
# ("l&#x27;ESS"). A match is a run of such pieces (`skip`), then one piece for Python to space
# (`tag` or `text`) or the end of the page; each match starts where the previous one ended, on
# the first character of a piece. Each tag is matched atomically (possessive quantifiers,
# atomic groups: Python 3.11), so that no backtracking makes it end elsewhere.
# A tag (its attributes may hold ">" inside quotes) or a comment.
_ONE_TAG = r"""(?><!--.*?-->|<(?:[^>"']++|"[^"]*+"|'[^']*+')*+>)"""
# A raw element: its opening tag (not one that closes itself, "<code/>"), its content (text,
# tags, "<" that starts no tag) up to its closing tag (the first tag of its name, in any case),
# or to the end of the page when it is not closed.
_RAW_ELEMENT = "(?=<[cCpPsStT])(?:{})".format(
    "|".join(
        rf"(?=<{_case_blind(name)}(?![\w-])){_ONE_TAG}(?<!/>)"
        rf"(?:[^<]++|(?!</{_case_blind(name)}(?![\w-])){_ONE_TAG}|(?!{_ONE_TAG})<)*+"
        rf"(?:{_ONE_TAG}|\Z)"
        for name in sorted(_RAW_ELEMENTS)
    )
)
# After a space, where `_READ_ATTRIBUTE` would find a value holding a mark (a value without one
# is left as it is). A page without any has no tag to change: its tags are stepped over whole.
_VALUE_MARK = r"""(?:"[^"]*[:;!?«»]|'[^']*[:;!?«»])"""
_READ_MARK = rf"(?:title|alt|aria-label|placeholder)={_VALUE_MARK}"
_VALUE_WITH_MARK = re.compile(_VALUE_MARK)
_READ_NAMES = ("title=", "alt=", "aria-label=", "placeholder=")


def _has_read_mark(html):
    """Whether `re.search(r"\\s" + _READ_MARK, html)` finds something; `str.find` looks for the
    names 10 times faster than the regular expression engine looks for the space before them."""
    for name in _READ_NAMES:
        start = html.find(name, 1)
        while start != -1:
            # str.isspace() is what \s matches in a str pattern.
            if html[start - 1].isspace() and _VALUE_WITH_MARK.match(html, start + len(name)):
                return True
            start = html.find(name, start + 1)
    return False


# A tag without `_READ_MARK` (looked for after each space, inside quotes too), or a comment or a
# tag without a name ("<!DOCTYPE html>"), which `french_html` never changes.
_SPACE_NOT_READ = rf"\s(?!{_READ_MARK})"
_TAG_NOT_READ = (
    r"""(?><!--.*?-->|<(?!/?[a-zA-Z])(?:[^>"']++|"[^"]*+"|'[^']*+')*+>"""
    rf"""|<(?:[^>"'\s]++|{_SPACE_NOT_READ}|"(?:[^"\s]++|{_SPACE_NOT_READ})*+"|"""
    rf"""'(?:[^'\s]++|{_SPACE_NOT_READ})*+')*+>)"""
)
# Text with no mark but in entities that are not spaces (`_french_spaces_escaped` leaves it as
# it is), nor a private-use character (it stands for an entity there).
_TEXT_WITHOUT_MARK = (
    r"(?:[^<&:;!?«»\ue000-\uefff]++"
    r"|&(?![nN][bB][sS][pP];|#160;|#[xX][aA]0;|#8239;)"
    r"(?:#\d++|#[xX][0-9a-fA-F]++|[a-zA-Z]\w*+);"
    r"|&)*+"  # a space entity ends with ";": it stops the text there
)
# A text: up to the next tag, a "<" that starts none included.
_TEXT = rf"(?:[^<]++|(?!{_ONE_TAG})<)++"


def _pieces(tag_to_step_over):
    # A unit of `skip`: a text without a mark, then a raw element or a tag left as it is. When
    # the text has a mark or what follows it is not such a tag, the unit fails where the text
    # starts, and `text` takes the whole of it.
    unit = rf"{_TEXT_WITHOUT_MARK}(?:{_RAW_ELEMENT}|{tag_to_step_over})"
    return re.compile(rf"(?P<skip>(?:{unit})*+)(?:(?P<tag>{_ONE_TAG})|(?P<text>{_TEXT})|\Z)", re.S)


_PIECES = _pieces(_ONE_TAG)
_PIECES_WITH_READ_MARKS = _pieces(_TAG_NOT_READ)


def _space_piece(match):
    text = match.group("text")
    if text is not None:
        if _MARKS.search(text):
            text = _french_spaces_escaped(text)
        return match.group("skip") + text
    tag = match.group("tag")
    if tag is not None:
        # A tag with a name, not a raw element's opening tag (`skip` takes those).
        if _MARKS.search(tag):
            tag = _READ_ATTRIBUTE.sub(
                lambda match: match.group(1) + _french_spaces_escaped(match.group(2)), tag
            )
        return match.group("skip") + tag
    return match.group("skip")


def french_html(html):
    """`html` with the French spaces in the text a reader sees (not in scripts, styles, code
    nor form fields) and in the attributes read aloud or shown (title, alt, aria-label,
    placeholder): what editors type ("Pourquoi ?") and what templates write read the same.

    Outside raw elements, each text holding a mark and each tag's read attributes are spaced;
    Python only sees the pieces that may change (`_pieces`), where it once looped over every
    tag and text of the page: on the benchmark site's pages (timeit, one call) 1.7 -> 0.5 ms
    for the library, 4.5 -> 1.6 ms for a month grid, 0.63 -> 0.15 ms for a publication."""
    pieces = _PIECES_WITH_READ_MARKS if _has_read_mark(html) else _PIECES
    return pieces.sub(_space_piece, html)


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
