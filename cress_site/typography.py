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


def french_spaces(text):
    """`text` with the French spaces: a narrow non-breaking space before ; ! ? and inside « »,
    a non-breaking space before : ("Inscription : Webinaire", "Pourquoi ?", "« ESS »")."""
    if not text:
        return text
    text = _BEFORE_NARROW.sub(lambda match: NNBSP + match.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
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
