"""What the site accepts from visitors: clean query parameters, integers in ASCII digits, text
without control characters.

One rule for every view and every admin filter, rather than a check in each:

- `QueryParameterCleaningMiddleware` (early in `MIDDLEWARE`) hands the views a `request.GET`
  whose names and values hold no character the site refuses (`FORBIDDEN_CHARACTERS`), in
  Unicode's composed form (NFC), values cut at `MAX_PARAMETER_LENGTH` characters. Query
  strings are nobody's text to keep: the characters are removed, not refused. PostgreSQL
  refuses NUL in a query, XML (the Atom feed) and the spreadsheets refuse the other control
  characters. A value that is a whole number beyond 64 bits is emptied: no column holds it,
  and SQLite's driver fails on it (OverflowError) where a filter (Wagtail's admin filters by
  id among them) looks it up.
- `parse_int()` reads an integer from a parameter: ASCII digits only (`str.isdigit()` accepts
  "①" and "²", which `int()` refuses), a bounded number of them.
- Forms where people type text refuse those characters with a French message
  (`ControlCharactersFormMixin`), keeping what was typed in the form.

Kept: tab, line feed and carriage return (whitespace a textarea sends, which XML and the
spreadsheets accept), and every printable character. Removed or refused: the other C0 control
characters (NUL included), DEL, the C1 control characters (U+0080–U+009F) and lone surrogates.
NFC, not NFKC: NFKC would also rewrite compatibility characters ("①" into "1", "ﬁ" into "fi",
"²" into "2"), changing what a person typed and searched for; composing accents only makes the
same text compare equal to what the site stores.
"""

import re
import unicodedata

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict

FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
ASCII_INTEGER = re.compile(r"[0-9]{1,18}")  # beyond 18 digits, no number the site stores
# What int() may read as a number of 19 digits or more (it reads any Unicode digit, and "_").
LONG_INTEGER = re.compile(r"\s*[-+]?[\d_]{19,}\s*")
MAX_64_BITS = 2**63 - 1
# No parameter needs more (a search is cut at 200 characters); SQLite refuses a LIKE pattern over
# 50,000 bytes ("LIKE or GLOB pattern too complex"), which 12,500 emoji reach.
MAX_PARAMETER_LENGTH = 1000
CONTROL_CHARACTERS_MESSAGE = (
    "Ce champ contient un caractère invisible qui n'est pas accepté (caractère de contrôle, "
    "souvent collé avec le texte) : retapez ce passage, puis envoyez à nouveau."
)


def clean_text(value):
    """`value` without forbidden characters, in Unicode's composed form (NFC)."""
    value = FORBIDDEN_CHARACTERS.sub("", value)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


def clean_parameter(value):
    """A query parameter's value as the views read it: `clean_text`, cut at
    `MAX_PARAMETER_LENGTH` characters, and empty if it is a whole number beyond 64 bits."""
    value = clean_text(value)[:MAX_PARAMETER_LENGTH]
    return "" if _beyond_64_bits(value) else value


def needs_cleaning(value):
    return (
        len(value) > MAX_PARAMETER_LENGTH
        or bool(FORBIDDEN_CHARACTERS.search(value))
        or not unicodedata.is_normalized("NFC", value)
        or _beyond_64_bits(value)
    )


def _beyond_64_bits(value):
    if not LONG_INTEGER.fullmatch(value):
        return False
    try:
        return abs(int(value)) > MAX_64_BITS
    except ValueError:  # more digits than int() reads: every view refuses it as a number
        return False


def parse_int(value, *, minimum=None, maximum=None):
    """The integer written in ASCII digits in `value` (surrounding spaces allowed), within
    [`minimum`, `maximum`] when given; None otherwise."""
    value = (value or "").strip()
    if not ASCII_INTEGER.fullmatch(value):
        return None
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def clean_query_dict(query):
    """`query` (a QueryDict) with its names and values cleaned; the same object when they are
    already clean."""
    if not any(
        needs_cleaning(name) or any(needs_cleaning(value) for value in values)
        for name, values in query.lists()
    ):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for name, values in query.lists():
        for value in values:
            cleaned.appendlist(clean_text(name), clean_parameter(value))
    cleaned._mutable = False
    return cleaned


class QueryParameterCleaningMiddleware:
    """Gives every view (public pages, feeds, admin listings and filters) a clean `request.GET`.

    The raw query string (`QUERY_STRING`, `get_full_path()`) is left as it came: the views read
    parameters through `request.GET` only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = clean_query_dict(request.GET)
        return self.get_response(request)


def refuse_control_characters(value):
    """A field validator: refuses forbidden characters (NUL included) with a French message."""
    if isinstance(value, str) and FORBIDDEN_CHARACTERS.search(value):
        raise forms.ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


class ControlCharactersFormMixin:
    """Refuses forbidden characters in every text field of a public form, with one French
    message (in place of Django's own, which covers NUL only); the form shows again with what
    was typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field, forms.CharField):
                form_field.validators = [
                    validator
                    for validator in form_field.validators
                    if not isinstance(validator, ProhibitNullCharactersValidator)
                ] + [refuse_control_characters]
