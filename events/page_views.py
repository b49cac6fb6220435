"""The registration pages of an event, served by `EventPage`'s routes: the form, and the page
that follows it.

The page shown after the form has a fixed address (nothing secret in the server's access logs)
and finds the registration it reports on through a short-lived signed cookie sent to that address
only (so that every other page stays cacheable for that visitor).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from cress_site.models import OrganisationSettings
from cress_site.user_input import parse_int
from events.forms import RegistrationForm
from events.models.registration import Registration
from events.registration import RegistrationRefused, register

DONE_COOKIE = "inscription"
DONE_COOKIE_SALT = "events.registration.done"
DONE_COOKIE_SECONDS = 15 * 60
DONE_ROUTE = "inscription/enregistree/"


def privacy_url(request):
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
