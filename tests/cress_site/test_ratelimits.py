"""Rate limits: registrations, form pages, passwords of private pages, admin logins and password
resets answer 429 (a French page) past their rates, per client and per target, and a request
refused still counts: the right password does not work until the window is over."""

import html
from unittest import mock

from django.core import mail
from django.test import RequestFactory

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, PageViewRestriction

import pytest

from cress_site.clients import client_address
from events.models import Registration
from tests.events.conftest import agenda, calvados, make_event  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

OFF = {
    "registration": {},
    "form": {},
    "page_password": {},
    "document_password": {},
    "admin_login": {},
    "password_reset": {},
    "erase_link": {},
}


def limits(settings, name, **rates):
    settings.RATE_LIMITS = {**OFF, name: rates}


def assert_too_many(response):
    assert response.status_code == 429
    text = html.unescape(response.content.decode())
    assert "Trop de tentatives" in text and "Réessayez dans" in text
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def later(seconds):
    """django-ratelimit's clock, `seconds` from now: the window is over."""
    import time

    now = time.time()
    return mock.patch("django_ratelimit.core.time.time", return_value=now + seconds)


# -- registrations ------------------------------------------------------------------------------


@pytest.fixture
def workshop(make_event):  # noqa: F811 (the fixture imported above)
    return make_event("Atelier limité", registration_enabled=True, capacity=50)


def registration(occurrence, n, **overrides):
    return {
        "occurrence": occurrence.pk,
        "name": f"Personne {n}",
        "email": f"personne{n}@example.org",
        "profile": "porteur",
        "territory": "calvados",
        "consent": "on",
        **overrides,
    }


def test_one_client_registering_again_and_again_is_stopped_with_the_default_rates(client, workshop):
    occurrence = workshop.occurrences.get()
    url = workshop.url + "inscription/"
    for n in range(10):
        assert client.post(url, registration(occurrence, n)).status_code == 302
    mail.outbox.clear()
    assert_too_many(client.post(url, registration(occurrence, 10)))
    assert not Registration.objects.filter(email="personne10@example.org").exists()
    assert mail.outbox == []  # nothing is sent to the address given
    # Another client still registers; reading the pages is never limited.
    response = client.post(url, registration(occurrence, 11), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assert client.get(url).status_code == 200


def test_one_date_and_one_address_are_limited_whatever_the_clients(client, workshop, settings):
    occurrence = workshop.occurrences.get()
    url = workshop.url + "inscription/"
    limits(settings, "registration", date="3/10m", email="2/h")
    for n in range(3):
        response = client.post(url, registration(occurrence, n), REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    assert_too_many(client.post(url, registration(occurrence, 3), REMOTE_ADDR="192.0.2.9"))

    other = workshop.get_parent()  # not a registration route: no limit
    assert client.post(other.url).status_code != 429

    limits(settings, "registration", email="2/h")
    for n in range(2):
        data = registration(occurrence, 20, name=f"Essai {n}")
        assert client.post(url, data, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    data = registration(occurrence, 20, email=" PERSONNE20@example.org ")
    assert_too_many(client.post(url, data, REMOTE_ADDR="198.51.100.9"))


# -- form pages ---------------------------------------------------------------------------------


FORM_URL = "/contact/"


def test_form_pages_are_limited_per_client_and_per_page(client, settings):
    page = Page.objects.get(url_path__endswith="/contact/").specific
    fields = {field.clean_name: field for field in page.form_fields.all()}
    data = {name: "x@example.org" if "adresse" in name else "Bonjour" for name in fields}
    for name, field in fields.items():
        if field.field_type == "checkbox":
            data[name] = "on"

    limits(settings, "form", client="2/10m", page="4/10m")
    before = FormSubmission.objects.count()
    assert client.post(FORM_URL, data).status_code == 200
    assert client.post(FORM_URL, data).status_code == 200
    assert_too_many(client.post(FORM_URL, data))
    assert client.post(FORM_URL, data, REMOTE_ADDR="192.0.2.1").status_code == 200
    # The page's fifth: refused ones count too.
    assert_too_many(client.post(FORM_URL, data, REMOTE_ADDR="192.0.2.2"))
    assert FormSubmission.objects.count() == before + 3
    assert client.get(FORM_URL).status_code == 200


# -- passwords of private pages -----------------------------------------------------------------


@pytest.fixture
def private_page(home_page):
    page = Page.objects.get(url_path__endswith="/donnees-personnelles/")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="bon-mot-de-passe"
    )
    return page, f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"


def test_the_right_page_password_does_not_work_once_the_limit_is_hit(client, private_page):
    page, url = private_page
    for _ in range(10):  # a person mistyping a few times: the form again, with its error
        response = client.post(url, {"password": "faux", "return_url": page.url})
        assert response.status_code == 200
    assert_too_many(client.post(url, {"password": "faux", "return_url": page.url}))
    response = client.post(url, {"password": "bon-mot-de-passe", "return_url": page.url})
    assert_too_many(response)
    assert "bon-mot-de-passe" not in response.content.decode()
    assert client.get(page.url).status_code == 200  # still the password form
    assert "password" in client.get(page.url).content.decode()

    with later(601):
        response = client.post(url, {"password": "bon-mot-de-passe", "return_url": page.url})
    assert response.status_code == 302


def test_a_page_password_is_limited_whatever_the_clients(client, private_page, settings):
    page, url = private_page
    limits(settings, "page_password", page="5/10m")
    for n in range(5):
        client.post(url, {"password": "faux", "return_url": page.url}, REMOTE_ADDR=f"192.0.2.{n}")
    response = client.post(
        url, {"password": "bon-mot-de-passe", "return_url": page.url}, REMOTE_ADDR="192.0.2.99"
    )
    assert_too_many(response)


# -- the admin ----------------------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("claude", "claude@example.org", "bon-mdp")


def test_admin_logins_are_limited_and_then_the_right_password_fails_too(client, staff):
    for _ in range(10):
        response = client.post("/admin/login/", {"username": "claude", "password": "faux"})
        assert response.status_code == 200
    assert_too_many(client.post("/admin/login/", {"username": "claude", "password": "faux"}))
    response = client.post("/admin/login/", {"username": "claude", "password": "bon-mdp"})
    assert_too_many(response)
    assert "_auth_user_id" not in client.session
    with later(901):
        response = client.post("/admin/login/", {"username": "claude", "password": "bon-mdp"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_one_username_is_limited_whatever_the_clients(client, staff, settings):
    limits(settings, "admin_login", username="3/15m")
    for n in range(3):
        data = {"username": "Claude", "password": "faux"}
        assert client.post("/admin/login/", data, REMOTE_ADDR=f"192.0.2.{n}").status_code == 200
    data = {"username": "claude", "password": "bon-mdp"}
    assert_too_many(client.post("/admin/login/", data, REMOTE_ADDR="192.0.2.50"))
    # Another account is not affected.
    data = {"username": "dominique", "password": "faux"}
    assert client.post("/admin/login/", data, REMOTE_ADDR="192.0.2.51").status_code == 200


def test_password_resets_are_limited(client, staff, settings):
    limits(settings, "password_reset", email="2/h")
    for n in range(2):
        data = {"email": "claude@example.org"}
        client.post("/admin/password_reset/", data, REMOTE_ADDR=f"192.0.2.{n}")
    assert len(mail.outbox) == 2
    data = {"email": "claude@example.org"}
    assert_too_many(client.post("/admin/password_reset/", data, REMOTE_ADDR="192.0.2.9"))
    assert len(mail.outbox) == 2


def test_links_that_erase_personal_data_are_limited_per_client(client, settings):
    limits(settings, "erase_link", client="3/10m")
    for n in range(3):
        assert client.get(f"/mes-donnees/{n:040d}/").status_code == 200
    assert_too_many(client.get("/mes-donnees/" + "f" * 40 + "/"))
    assert client.get("/mes-donnees/" + "f" * 40 + "/", REMOTE_ADDR="192.0.2.1").status_code == 200


def test_limits_can_be_turned_off(client, staff, settings):
    settings.RATELIMIT_ENABLE = False
    for _ in range(12):
        response = client.post("/admin/login/", {"username": "claude", "password": "faux"})
        assert response.status_code == 200


# -- the client's address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "count", "meta", "expected"),
    [
        ("", 1, {"HTTP_X_REAL_IP": "203.0.113.5"}, "127.0.0.1"),  # no header trusted
        ("HTTP_X_REAL_IP", 1, {"HTTP_X_REAL_IP": "203.0.113.5"}, "203.0.113.5"),
        ("HTTP_X_REAL_IP", 1, {}, "127.0.0.1"),  # missing: the direct peer
        ("HTTP_X_REAL_IP", 1, {"HTTP_X_REAL_IP": "pas une adresse"}, "127.0.0.1"),
        # The client writes the left of X-Forwarded-For; our proxy appends what it saw.
        (
            "HTTP_X_FORWARDED_FOR",
            1,
            {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5"},
            "203.0.113.5",
        ),
        # A CDN, then our proxy: the CDN's entry is the client's.
        (
            "HTTP_X_FORWARDED_FOR",
            2,
            {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5, 198.51.100.1"},
            "203.0.113.5",
        ),
        ("HTTP_X_FORWARDED_FOR", 3, {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "127.0.0.1"),
        ("HTTP_X_REAL_IP", 1, {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_the_client_address_behind_a_proxy(settings, header, count, meta, expected):
    settings.CLIENT_IP_HEADER = header
    settings.CLIENT_IP_PROXY_COUNT = count
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1", **meta)
    assert client_address(request) == expected


def test_clients_behind_a_proxy_are_counted_apart(client, staff, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    limits(settings, "admin_login", client="2/10m")
    data = {"username": "claude", "password": "faux"}
    for _ in range(2):
        client.post("/admin/login/", data, HTTP_X_REAL_IP="203.0.113.5")
    assert_too_many(client.post("/admin/login/", data, HTTP_X_REAL_IP="203.0.113.5"))
    assert client.post("/admin/login/", data, HTTP_X_REAL_IP="203.0.113.6").status_code == 200
