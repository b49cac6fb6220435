"""The pages the links e-mailed to a person who registers lead to: confirming the registration,
or cancelling it.

Following a link shows a form: a GET (a mail scanner, a link preview) never confirms nor cancels
anything. The links themselves are made by `events.links`.
"""

from django.core import signing
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from events.links import (
    CONFIRM_SALT,
    cancel_token,
    cancel_url,
    confirm_token,
    confirm_url,
    registration_from_cancel_token,
    registration_from_signed_token,
)
from events.models import Registration
from events.registration import RegistrationRefused, cancel, confirm

# The links, importable from here too.
__all__ = [
    "cancel_registration_view",
    "cancel_token",
    "cancel_url",
    "confirm_registration_view",
    "confirm_token",
    "confirm_url",
]


@require_http_methods(["GET", "POST"])
def confirm_registration_view(request, token):
    """GET shows what is about to be confirmed (a mail scanner confirms nothing); POST
    confirms: a place, or the waiting list when the date has filled up meanwhile."""
    try:
        signing.Signer(salt=CONFIRM_SALT).unsign(token)
    except signing.BadSignature:
        raise Http404("Ce lien de confirmation n'est pas valide.") from None
    registration = registration_from_signed_token(token, CONFIRM_SALT)
    if registration is None:
        # A genuine link whose registration was never confirmed in time, then deleted.
        response = TemplateResponse(request, "events/registration_expired.html", status=410)
        add_never_cache_headers(response)
        return response
    occurrence = registration.occurrence
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "event": occurrence.page,
    }
    status = 200
    if request.method == "POST":
        try:
            registration = confirm(registration)
        except RegistrationRefused as refused:
            context["error"] = refused.message
            status = 400
        else:
            context["registration"] = registration
            context["just_confirmed"] = True
    response = TemplateResponse(request, "events/registration_confirm.html", context, status=status)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def cancel_registration_view(request, token):
    """GET asks to confirm (a link checker must not cancel anything), POST cancels."""
    registration = registration_from_cancel_token(token)
    if registration is None:
        raise Http404("Ce lien d'annulation n'est pas valide.")
    occurrence = registration.occurrence
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "event": occurrence.page,
        "site_page": Site.find_for_request(request),
    }
    status = 200
    if request.method == "POST":
        if registration.status == Registration.Status.CANCELLED:
            context["already_cancelled"] = True
        elif occurrence.start <= timezone.now():
            context["error"] = "Cette date est passée : l'inscription ne peut plus être annulée."
            status = 400
        else:
            cancel(registration)
            registration.refresh_from_db()
            context["cancelled"] = True
    response = TemplateResponse(request, "events/registration_cancel.html", context, status=status)
    add_never_cache_headers(response)
    return response
