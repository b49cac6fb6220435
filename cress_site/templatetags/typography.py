"""Template filters for French typography (see cress_site.typography)."""

from django import template

from cress_site import typography

register = template.Library()


@register.filter
def file_size(size):
    """A file size in French units: "245 Ko", "1,2 Mo" (non-breaking space before the unit)."""
    return typography.file_size(size)
