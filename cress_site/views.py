"""Small site-wide views."""

from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file."""
    return redirect(static("img/favicon.ico"), permanent=True)
