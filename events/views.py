"""Registration pages: the form, the page that follows it, and the e-mailed links that confirm
or cancel a registration.

The secrets that act on a registration (its token, signed) go only into the e-mails: the page
shown after the form has a fixed address (nothing secret in the server's access logs) and finds
the registration it reports on through a short-lived signed cookie sent to that address only
(so that every other page stays cacheable for that visitor). Following an e-mailed link shows a
form: a GET (a mail scanner, a link preview) never confirms nor cancels anything.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from cress_site.user_input import parse_int
from events.forms import RegistrationForm
from events.models import Registration
from events.registration import RegistrationRefused, cancel, confirm, register

CANCEL_SALT = "events.registration.cancel"
CONFIRM_SALT = "events.registration.confirm"
DONE_COOKIE = "inscription"
DONE_COOKIE_SALT = "events.registration.done"
DONE_COOKIE_SECONDS = 15 * 60
DONE_ROUTE = "inscription/enregistree/"


def cancel_token(registration):
    """The signed token of a registration's cancel link (its secret UUID, signed)."""
    return signing.Signer(salt=CANCEL_SALT).sign(registration.token.hex)


def confirm_token(registration):
    """The signed token of the link that confirms a registration (another salt: a cancel
    link does not confirm, nor the other way round)."""
    return signing.Signer(salt=CONFIRM_SALT).sign(registration.token.hex)


def registration_from_signed_token(signed, salt):
    try:
        token = signing.Signer(salt=salt).unsign(signed)
    except signing.BadSignature:
        return None
    return registration_from_token(token)


def registration_from_cancel_token(signed):
    return registration_from_signed_token(signed, CANCEL_SALT)


def registration_from_token(token):
    """The registration whose secret token (a random UUID, sent only to the person) is given."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return (
        Registration.objects.select_related("occurrence__page", "territory")
        .filter(token=value)
        .first()
    )


def privacy_url(request):
    from cress_site.models import OrganisationSettings

    organisation = OrganisationSettings.load(request_or_site=request)
    page = organisation.privacy_page
    return page.url if page is not None and page.live else ""


def done_path(page):
    """The fixed address of the page shown after the form (a path, for the cookie too)."""
    return urlsplit(page.url).path + DONE_ROUTE


def registration_view(request, page):
    """The form (GET), or a registration to confirm by e-mail (POST), followed by a redirect
    to the page that says so."""
    if not page.registration_enabled:
        raise Http404("Cet événement ne prend pas d'inscription sur le site.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    initial = {}
    requested = parse_int(request.GET.get("date"))
    if requested is not None:
        initial["occurrence"] = requested
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        page=page,
        privacy_url=privacy_url(request),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect(page.url)
        data = form.cleaned_data
        try:
            registration = register(
                data["occurrence"].pk,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                profile=data["profile"],
                territory=data["territory"],
                confirm_by_email=True,
            )
        except RegistrationRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            response = redirect(done_path(page))
            response.set_signed_cookie(
                DONE_COOKIE,
                str(registration.pk),
                salt=DONE_COOKIE_SALT,
                max_age=DONE_COOKIE_SECONDS,
                path=done_path(page),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
    occurrences = form.open_occurrences
    response = TemplateResponse(
        request,
        "events/registration_form.html",
        {
            "page": page,
            "self": page,
            "form": form,
            "open_occurrences": occurrences,
        },
    )
    add_never_cache_headers(response)
    return response


def registration_done_view(request, page):
    """ "Check your mailbox": the registration just made (from the cookie the form set), or the
    same advice without details when the cookie has gone."""
    registration = None
    pk = request.get_signed_cookie(
        DONE_COOKIE, default=None, salt=DONE_COOKIE_SALT, max_age=DONE_COOKIE_SECONDS
    )
    if pk is not None and pk.isdigit():
        registration = (
            Registration.objects.select_related("occurrence__page")
            .filter(pk=int(pk), occurrence__page=page)
            .first()
        )
    response = TemplateResponse(
        request,
        "events/registration_done.html",
        {
            "page": page,
            "self": page,
            "registration": registration,
            "occurrence": registration.occurrence if registration else None,
            "confirmation_hours": settings.EVENT_REGISTRATION_CONFIRMATION_HOURS,
        },
    )
    add_never_cache_headers(response)
    return response


def cancel_url(registration, request=None):
    path = reverse("events:cancel_registration", args=[cancel_token(registration)])
    return request.build_absolute_uri(path) if request is not None else path


def confirm_url(registration):
    return reverse("events:confirm_registration", args=[confirm_token(registration)])


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
