"""Template filters for French typography (see cress_site.typography)."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeData, mark_safe

from cress_site import typography

register = template.Library()


@register.filter
def file_size(size):
    """A file size in French units: "245 Ko", "1,2 Mo" (non-breaking space before the unit)."""
    return typography.file_size(size)


@register.filter
def french(text):
    """`text` with French spaces: narrow non-breaking before ; ! ? and inside « », non-breaking
    before :."""
    if isinstance(text, SafeData):
        return mark_safe(typography.french_spaces(str(text)))
    return typography.french_spaces(text)


@register.filter
def date_fr(value, format_string="j F Y"):
    """A date in French words, the first of a month as "1er": `{{ day|date_fr:"l j F" }}`."""
    return typography.date_label(value, format_string) if value else ""


@register.filter
def datetime_fr(value, format_string="j F Y"):
    """A date and its time: "1er juin 2027 à 9 h 30"."""
    return typography.datetime_label(value, format_string) if value else ""


@register.filter
def time_fr(value):
    """A time in the current time zone: "14 h", "9 h 30"."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return typography.time_label(value)


@register.filter
def iso_datetime(value):
    """The `datetime` attribute of a `<time>`: ISO 8601 in the current time zone, as Django's
    `date:"c"` writes it, without its format machinery (a list of cards shows one each)."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()
