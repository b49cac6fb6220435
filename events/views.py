"""Registration pages: the form, its confirmation, and cancelling from the e-mailed link."""

import uuid

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
from events.registration import RegistrationRefused, cancel, register

CANCEL_SALT = "events.registration.cancel"


def cancel_token(registration):
    """The signed token of a registration's cancel link (its secret UUID, signed)."""
    return signing.Signer(salt=CANCEL_SALT).sign(registration.token.hex)


def registration_from_cancel_token(signed):
    try:
        token = signing.Signer(salt=CANCEL_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return registration_from_token(token)


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

    settings = OrganisationSettings.load(request_or_site=request)
    page = settings.privacy_page
    return page.url if page is not None and page.live else ""


def registration_view(request, page):
    """The form (GET), or a registration (POST) followed by a redirect to its confirmation."""
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
            )
        except RegistrationRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            return redirect(page.url + f"inscription/{registration.token}/")
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


def registration_done_view(request, page, token):
    registration = registration_from_token(token)
    if registration is None or registration.occurrence.page_id != page.pk:
        raise Http404("Cette inscription n'existe pas.")
    response = TemplateResponse(
        request,
        "events/registration_done.html",
        {
            "page": page,
            "self": page,
            "registration": registration,
            "occurrence": registration.occurrence,
            "cancel_url": cancel_url(registration),
        },
    )
    add_never_cache_headers(response)
    return response


def cancel_url(registration, request=None):
    path = reverse("events:cancel_registration", args=[cancel_token(registration)])
    return request.build_absolute_uri(path) if request is not None else path


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
