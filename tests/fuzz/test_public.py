"""Generated values sent to every public URL and form: never a server error, never a value
reflected unescaped in a page (see tests/fuzz/targets.py for what is sent where)."""

from wagtail.models import PageViewRestriction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cress_site.erase_links import address_token
from events.models import EventPage, Registration
from events.views import cancel_token, confirm_token
from home.models import ContentPage, FormPage
from tests.fuzz.conftest import FUZZ
from tests.fuzz.harness import parameter_names, send
from tests.fuzz.strategies import Sent, encode, parameters, path_segments, values
from tests.fuzz.targets import KNOWN_VALUES, PUBLIC_TARGETS, demo_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(db):
    return demo_urls()


def target_path(data, target, urls):
    """The target's path, each of its fuzzed parts a known value or a generated one."""
    parts = {}
    for name, known in target.path_params.items():
        known = tuple(value.format(**urls) for value in known)
        parts[name] = data.draw(
            st.one_of(
                st.sampled_from(known).map(encode),
                path_segments(known).map(lambda sent: sent.encoded),
            ),
            label=name,
        )
    return target.path.format(**urls, **parts)


@pytest.mark.parametrize("target", PUBLIC_TARGETS, ids=lambda target: target.name)
@settings(FUZZ)
@given(data=st.data())
def test_public_urls(anonymous, urls, target, data):
    path = target_path(data, target, urls)
    names = parameter_names(anonymous, target, urls)
    pairs = data.draw(parameters(names, KNOWN_VALUES), label="parameters")
    send(anonymous, "GET", path, pairs)


# -- Forms -------------------------------------------------------------------------------------


def registration_form():
    event = EventPage.objects.live().filter(registration_enabled=True).first()
    occurrence = event.occurrences.filter(in_series=True).order_by("-start").first()
    return f"{event.url}inscription/", {
        "occurrence": str(occurrence.pk),
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "organisation": "Mairie de Caen",
        "profile": "elu",
        "territory": "calvados",
        "consent": "on",
    }


def form_page_form():
    page = FormPage.objects.live().first()
    form = page.get_form(page=page, user=None)
    valid = {}
    for name, form_field in form.fields.items():
        if name == "site_web":
            continue
        choices = getattr(form_field, "choices", None)
        if choices:
            valid[name] = str(next(value for value, _label in choices if value))
        elif "mail" in type(form_field).__name__.lower():
            valid[name] = "camille.martin@example.org"
        else:
            valid[name] = "Bonjour"
    return page.url, valid


def password_form():
    page = ContentPage.objects.live().first()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-ess"
    )
    return (
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "secret-ess", "return_url": page.url},
    )


def _registration(status):
    return Registration.objects.filter(status=status).exclude(email="").order_by("pk").first()


def cancellation_form():
    registration = _registration(Registration.Status.CONFIRMED)
    return f"/inscriptions/annulation/{cancel_token(registration)}/", {}


def confirmation_form():
    registration = _registration(Registration.Status.PENDING)
    return f"/inscriptions/confirmation/{confirm_token(registration)}/", {}


def erase_form():
    registration = _registration(Registration.Status.CONFIRMED)
    return f"/mes-donnees/{address_token(registration.email)}/", {}


PUBLIC_FORMS = {
    "registration": registration_form,
    "form-page": form_page_form,
    "page-password": password_form,
    "confirmation": confirmation_form,
    "cancellation": cancellation_form,
    "erase": erase_form,
}


@st.composite
def form_bodies(draw, fields):
    """Each field valid, generated or left out, and at times fields the form does not have."""
    body = []
    for name, valid in fields.items():
        choice = draw(st.integers(min_value=0, max_value=3))
        if choice == 0:
            continue
        if choice == 1:
            body.append((name, Sent(encode(valid))))
        else:
            body.append((name, draw(values(known=(valid,)))))
            if draw(st.booleans()):  # the same field twice
                body.append((name, draw(values(known=(valid,)))))
    body += draw(parameters((), {}))
    return body


@pytest.fixture
def public_form(request, db):
    """(path, {field: valid value}) of one public form, set up once per test."""
    return PUBLIC_FORMS[request.param]()


@pytest.mark.parametrize("public_form", sorted(PUBLIC_FORMS), indirect=True)
@settings(FUZZ)
@given(data=st.data())
def test_public_forms(anonymous, public_form, data):
    path, fields = public_form
    body = data.draw(form_bodies(fields), label="body")
    send(anonymous, "POST", path, body_pairs=body)
