"""The calendar's pages: upcoming list, month grid, archive, event page, registration pages."""

import html as html_lib
import json
import re
from datetime import date, timedelta

from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

import pytest

from events.models import Registration
from events.registration import register
from events.views import cancel_url, confirm_url
from tests.events.conftest import soon


def month_path(agenda, day):
    return f"{agenda.url}{day.year:04d}/{day.month:02d}/"


@pytest.fixture
def orne_event(make_event):
    from cress_site.models import Territory

    orne = Territory.objects.get(kind="departement", code="61")
    return make_event(
        "Atelier élus à Alençon",
        kind="atelier",
        territory=orne,
        venue_city="Alençon",
        audiences=["elus-et-techniciens-de-collectivites"],
        start=soon(days=3),
    )


def test_upcoming_list_shows_future_dates_in_order_and_not_past_ones(client, agenda, make_event):
    later = make_event("Rencontre tardive", start=soon(days=40))
    sooner = make_event("Rencontre prochaine", start=soon(days=2))
    past = make_event("Rencontre passée", start=soon(days=-20))
    html = client.get(agenda.url).content.decode()
    assert sooner.title in html and later.title in html
    assert past.title not in html
    assert html.index(sooner.title) < html.index(later.title)


def test_archive_lists_past_events_newest_first(client, agenda, make_event):
    old = make_event("Rencontre ancienne", start=soon(days=-60))
    recent = make_event("Rencontre récente", start=soon(days=-10))
    html = client.get(agenda.url + "archives/").content.decode()
    assert html.index(recent.title) < html.index(old.title)
    future = make_event("Rencontre future", start=soon(days=10))
    assert future.title not in client.get(agenda.url + "archives/").content.decode()


def test_filters_by_kind_territory_and_audience(client, agenda, make_event, orne_event):
    other = make_event("Réunion à Caen", kind="information")
    html = client.get(agenda.url, {"type": "atelier"}).content.decode()
    assert orne_event.title in html and other.title not in html
    html = client.get(agenda.url, {"territoire": "orne"}).content.decode()
    assert orne_event.title in html and other.title not in html
    html = client.get(
        agenda.url, {"public": "elus-et-techniciens-de-collectivites"}
    ).content.decode()
    assert orne_event.title in html and other.title not in html


@pytest.mark.parametrize(
    "params",
    [
        {"type": "inconnu"},
        {"territoire": "atlantide"},
        {"public": "<script>"},
        {"format": "x" * 500},
        {"q": '"réunion (AND OR * -'},
        {"q": "x" * 10000},
        {"q": "\u202eالتسجيل 🎉"},
    ],
)
def test_unknown_or_odd_parameters_still_give_the_list(client, agenda, params):
    response = client.get(agenda.url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "99999", "-1"])
def test_bad_page_numbers_are_404(client, agenda, page):
    assert client.get(agenda.url, {"page": page}).status_code == 404


@pytest.mark.parametrize(
    "suffix", ["2026/13/", "2026/00/", "1999/01/", "2101/01/", "2026/1/", "abcd/01/", "2026/02/30/"]
)
def test_months_that_do_not_exist_are_404(client, agenda, suffix):
    assert client.get(agenda.url + suffix).status_code == 404


@pytest.mark.parametrize("suffix", ["２０２６/０１/", "٢٠٢٦/٠١/"])
def test_months_in_other_digits_are_404(client, agenda, suffix):
    assert client.get(agenda.url + suffix).status_code == 404


@pytest.mark.parametrize("month", [date(2000, 1, 1), date(2100, 12, 1), date(2000, 2, 1)])
def test_the_month_grid_links_only_to_months_it_shows(client, agenda, month):
    html = client.get(month_path(agenda, month) + "?type=atelier").content.decode()
    links = re.findall(r'class="month__nav-link[^"]*" href="([^"]+)"', html)
    assert links, "a link to the month before or after"
    for link in links:
        assert client.get(html_lib.unescape(link)).status_code == 200, link
    assert f'href="{agenda.url}1999/12/' not in html
    assert f'href="{agenda.url}2101/01/' not in html


def test_this_month_redirects_to_the_current_month_with_the_filters(client, agenda):
    response = client.get(agenda.url + "mois/", {"type": "atelier"})
    today = timezone.localdate()
    assert response.status_code == 302
    assert response["Location"] == month_path(agenda, today) + "?type=atelier"


def test_month_grid_is_a_table_with_the_events_on_their_days(client, agenda, make_event):
    start = soon(days=35)
    event = make_event("Forum régional", start=start)
    response = client.get(month_path(agenda, start))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table class="month-grid">' in html
    assert html.count('<th scope="col">') == 7
    # The event is in the cell of its day, with its start time.
    day_label = date_format(start, "l j F")
    cell = re.search(
        r'<td class="month-grid__day[^"]*">\s*<span class="month-grid__date"[^>]*>'
        r'<span class="visually-hidden">' + day_label + r".*?</td>",
        html,
        re.S,
    )
    assert cell and event.title in cell.group(0) and "14\u00a0h" in cell.group(0)
    # Previous and next months are plain links.
    first = start.date().replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    assert f'href="{month_path(agenda, next_month)}"' in html


def test_a_multi_day_event_shows_on_each_of_its_days(client, agenda, make_event):
    start = soon(days=40, hour=0)
    make_event(
        "Salon des solidarités", start=start, end=start + timedelta(days=1, hours=23), all_day=True
    )
    html = client.get(month_path(agenda, start)).content.decode()
    grid = html[html.index('<table class="month-grid">') : html.index("</table>")]
    assert grid.count("Salon des solidarités") == 2


def test_event_page_shows_the_series_and_its_next_dates(client, make_event):
    start = soon(days=3)
    event = make_event(
        "Réunion mensuelle",
        start=start,
        repeat="weekly",
        repeat_count=4,
        registration_enabled=True,
        capacity=10,
        changes=[((start + timedelta(weeks=1)).date(), "cancel", {"note": "Jour férié"})],
    )
    html = client.get(event.url).content.decode()
    assert "Chaque " in html  # "Chaque mardi, 4 fois" (capitalised rule)
    assert "4 fois" in html
    assert "Jour férié" in html and "Annulé" in html
    assert html.count("inscription/?date=") == 3  # not for the cancelled date


def test_event_page_json_ld(client, make_event):
    event = make_event(
        "Webinaire : financer son projet",
        kind="webinaire",
        attendance_mode="en-ligne",
        online_url="https://visio.example.org/salle",
        venue_name="",
        venue_city="",
        registration_enabled=True,
        capacity=50,
    )
    html = client.get(event.url).content.decode()
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    (data,) = json.loads(payload.group(1))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"
    # The connection link is for registrants only.
    assert "visio.example.org" not in html
    assert data["organizer"]["name"] == "CRESS Normandie"
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_cancelled_event_json_ld_and_banner(client, make_event):
    event = make_event("Forum annulé", status="annule")
    html = client.get(event.url).content.decode()
    assert "Cet événement est annulé." in html
    assert "https://schema.org/EventCancelled" in html
    assert event.occurrences.get().cancelled


# -- registration pages -------------------------------------------------------------------


@pytest.fixture
def open_event(make_event):
    return make_event("Atelier coopératives", registration_enabled=True, capacity=2)


def form_data(date, **overrides):
    data = {
        "occurrence": date.pk,
        "name": "Camille Martin",
        "email": "camille@example.org",
        "organisation": "Commune de Vire",
        "profile": "elu",
        "territory": "calvados",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def confirm_link(message):
    found = re.search(r"http://testserver(/inscriptions/confirmation/[^\s/]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_registering_leads_to_a_fixed_page_without_any_secret(
    client, open_event, django_capture_on_commit_callbacks
):
    occurrence = open_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(open_event.url + "inscription/", form_data(occurrence))
    registration = Registration.objects.get(email="camille@example.org")
    assert registration.territory.slug == "calvados" and registration.consent_at
    # The address of the next page is the same for everybody: the access logs hold no token.
    done = open_event.url + "inscription/enregistree/"
    assert response.status_code == 302 and response["Location"] == done
    # The registration is remembered for that page only, for a few minutes, out of scripts'
    # reach, signed.
    cookie = response.cookies["inscription"]
    assert cookie["path"] == done and cookie["max-age"] == 900 and cookie["httponly"]
    assert str(registration.pk) in cookie.value and cookie.value != str(registration.pk)

    page = client.get(done)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Vérifiez votre boîte de réception" in html
    assert "camille@example.org" in html
    # No secret on the page: neither the cancel link nor the registration's token.
    assert "/inscriptions/" not in html
    assert registration.token.hex not in html and str(registration.token) not in html
    # The secrets are in the e-mail only.
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre inscription\u00a0: Atelier coopératives"
    assert confirm_link(message).startswith("/inscriptions/confirmation/")


def test_the_page_after_the_form_without_its_cookie_gives_advice_only(client, open_event):
    occurrence = open_event.occurrences.get()
    register(occurrence.pk, name="A", email="a@example.org", profile="porteur")
    page = client.get(open_event.url + "inscription/enregistree/")
    html = page.content.decode()
    assert page.status_code == 200 and "un e-mail vous attend" in html
    assert "a@example.org" not in html
    # A forged cookie shows nothing more.
    client.cookies["inscription"] = "1"
    assert (
        "a@example.org"
        not in client.get(open_event.url + "inscription/enregistree/").content.decode()
    )


def test_the_old_address_with_the_registration_token_is_gone(client, open_event):
    occurrence = open_event.occurrences.get()
    registration = register(occurrence.pk, name="A", email="a@example.org", profile="porteur")
    assert client.get(f"{open_event.url}inscription/{registration.token}/").status_code == 404


def test_a_registration_holds_a_place_only_once_confirmed_from_the_email(
    client, open_event, django_capture_on_commit_callbacks
):
    occurrence = open_event.occurrences.get()  # two places
    links = {}
    for name in ("alix", "bao", "chloe"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                open_event.url + "inscription/",
                form_data(occurrence, email=f"{name}@example.org", name=name.title()),
            )
        links[name] = confirm_link(mail.outbox[-1])
    pending = Registration.objects.filter(occurrence=occurrence)
    assert set(pending.values_list("status", flat=True)) == {Registration.Status.PENDING}
    occurrence.refresh_from_db()
    assert occurrence.places_left == 2  # nothing held yet

    # A GET (a mail scanner, a link preview) confirms nothing.
    page = client.get(links["chloe"])
    assert page.status_code == 200
    assert "Oui, confirmer mon inscription" in page.content.decode()
    assert Registration.objects.get(email="chloe@example.org").is_pending

    # The first to confirm get the places, whatever the order they registered in.
    mail.outbox.clear()
    for name in ("chloe", "alix", "bao"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(links[name])
        assert response.status_code == 200
    statuses = dict(pending.values_list("email", "status"))
    assert statuses == {
        "chloe@example.org": Registration.Status.CONFIRMED,
        "alix@example.org": Registration.Status.CONFIRMED,
        "bao@example.org": Registration.Status.WAITING,
    }
    assert "Vous êtes sur la liste d'attente" in response.content.decode()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["chloe@example.org"].startswith("Inscription confirmée")
    assert subjects["bao@example.org"].startswith("Liste d'attente")
    # Confirming again changes nothing and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(links["chloe"])
    assert "Votre inscription est confirmée" in again.content.decode() and not mail.outbox


def test_an_expired_confirmation_link_confirms_nothing(client, open_event):
    occurrence = open_event.occurrences.get()
    registration = register(
        occurrence.pk,
        name="A",
        email="a@example.org",
        profile="porteur",
        confirm_by_email=True,
        now=timezone.now() - timedelta(hours=49),
    )
    response = client.post(confirm_url(registration))
    assert response.status_code == 400
    assert "Ce lien de confirmation a expiré" in response.content.decode()
    registration.refresh_from_db()
    assert registration.is_pending


def test_a_confirmation_link_whose_registration_was_deleted_says_it_expired(client, open_event):
    occurrence = open_event.occurrences.get()
    registration = register(
        occurrence.pk, name="A", email="a@example.org", profile="porteur", confirm_by_email=True
    )
    url = confirm_url(registration)
    registration.delete()  # as the purge does once the confirmation time is over
    response = client.get(url)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "00000000-0000-0000-0000-000000000000",
        "x" * 300,
        "{token}",  # the registration's token, unsigned
        "{cancel}",  # signed for cancelling, not for confirming
        "{signed}x",
    ],
)
def test_unknown_or_forged_confirmation_links_are_404(client, open_event, token):
    occurrence = open_event.occurrences.get()
    registration = register(
        occurrence.pk, name="A", email="a@example.org", profile="porteur", confirm_by_email=True
    )
    path = token.format(
        token=registration.token.hex,
        signed=confirm_url(registration).split("/")[-2],
        cancel=cancel_url(registration).split("/")[-2],
    )
    assert client.get(f"/inscriptions/confirmation/{path}/").status_code == 404
    assert client.post(f"/inscriptions/confirmation/{path}/").status_code == 404
    registration.refresh_from_db()
    assert registration.is_pending


def test_invalid_email_is_shown_next_to_its_field_and_nothing_typed_is_lost(client, open_event):
    occurrence = open_event.occurrences.get()
    response = client.post(open_event.url + "inscription/", form_data(occurrence, email="camille@"))
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Cette adresse e-mail n'est pas valide" in html
    assert 'value="Camille Martin"' in html and 'value="Commune de Vire"' in html
    assert 'value="camille@"' in html
    assert re.search(r'<option value="elu" selected>', html)
    assert not Registration.objects.filter(occurrence=occurrence).exists()


def test_missing_consent_and_fields_are_explained(client, open_event):
    occurrence = open_event.occurrences.get()
    response = client.post(
        open_event.url + "inscription/", form_data(occurrence, consent=None, name="  ", profile="x")
    )
    html = response.content.decode()
    assert "Votre accord est nécessaire" in html
    assert "Indiquez votre nom et votre prénom." in html
    assert "Choisissez une réponse dans la liste." in html


def test_registering_again_before_confirming_sends_the_link_again_then_is_refused(
    client, open_event, django_capture_on_commit_callbacks
):
    occurrence = open_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(open_event.url + "inscription/", form_data(occurrence))
        client.post(open_event.url + "inscription/", form_data(occurrence, name="Camille Roux"))
    registration = Registration.objects.get(occurrence=occurrence)
    assert registration.name == "Camille Roux" and registration.is_pending
    first, second = mail.outbox
    assert confirm_link(first) == confirm_link(second)
    client.post(confirm_link(second))
    response = client.post(open_event.url + "inscription/", form_data(occurrence))
    assert response.status_code == 200
    assert "déjà inscrite à cette date" in response.content.decode()
    assert Registration.objects.filter(occurrence=occurrence).count() == 1


def test_a_full_event_offers_the_waiting_list(
    client, open_event, django_capture_on_commit_callbacks
):
    occurrence = open_event.occurrences.get()
    for n in range(2):
        register(occurrence.pk, name="X", email=f"x{n}@example.org", profile="porteur")
    html = client.get(open_event.url + "inscription/").content.decode()
    assert "M'inscrire sur la liste d'attente" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(open_event.url + "inscription/", form_data(occurrence))
    assert "vous rejoindrez la liste d'attente" in client.get(response["Location"]).content.decode()
    response = client.post(confirm_link(mail.outbox[-1]))
    assert "Vous êtes sur la liste d'attente" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "annule"}, "Les inscriptions à cet événement sont fermées"),
        ({"start": soon(days=-2)}, "Les inscriptions à cet événement sont fermées"),
        (
            {"registration_closes_at": timezone.now() - timedelta(minutes=5)},
            "Les inscriptions à cet événement sont fermées",
        ),
    ],
)
def test_closed_registrations_are_explained(client, make_event, fields, message):
    event = make_event(registration_enabled=True, **fields)
    occurrence = event.occurrences.get()
    assert message in client.get(event.url + "inscription/").content.decode()
    response = client.post(event.url + "inscription/", form_data(occurrence))
    assert response.status_code == 200
    assert not Registration.objects.filter(occurrence=occurrence).exists()


def test_posting_a_cancelled_date_of_a_series_gets_its_reason(client, make_event):
    start = soon(days=4)
    event = make_event(
        registration_enabled=True,
        start=start,
        repeat="weekly",
        repeat_count=3,
        changes=[(start.date(), "cancel", {})],
    )
    cancelled = event.occurrences.get(original_date=start.date())
    response = client.post(event.url + "inscription/", form_data(cancelled))
    assert "Cette date est annulée" in response.content.decode()
    response = client.post(event.url + "inscription/", form_data(cancelled, occurrence="999999"))
    assert "Cette date n'existe pas ou plus" in html_lib.unescape(response.content.decode())
    response = client.post(event.url + "inscription/", form_data(cancelled, occurrence="abc"))
    assert response.status_code == 200


def test_no_registration_form_when_registrations_are_off(client, make_event):
    event = make_event(registration_enabled=False)
    assert client.get(event.url + "inscription/").status_code == 404


def test_honeypot_stores_nothing(client, open_event):
    occurrence = open_event.occurrences.get()
    response = client.post(open_event.url + "inscription/", form_data(occurrence, site_web="spam"))
    assert response.status_code == 302
    assert (
        not Registration.objects.exists()
        or not Registration.objects.filter(occurrence=occurrence).exists()
    )


def test_cancelling_from_the_link(client, open_event, django_capture_on_commit_callbacks):
    occurrence = open_event.occurrences.get()
    registration = register(occurrence.pk, name="A", email="a@example.org", profile="porteur")
    waiting = None
    register(occurrence.pk, name="B", email="b@example.org", profile="porteur")
    waiting = register(occurrence.pk, name="C", email="c@example.org", profile="porteur")
    url = cancel_url(registration)

    page = client.get(url)
    assert page.status_code == 200 and "Oui, annuler mon inscription" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmee"  # a GET (a link checker) changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert "Votre inscription est annulée" in response.content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "annulee" and waiting.status == "confirmee"
    # Nothing personal is kept once the e-mail confirming the cancellation has left.
    sent = {message.to[0]: message.subject for message in mail.outbox}
    assert sent["a@example.org"].startswith("Inscription annulée")
    assert (registration.name, registration.email, registration.organisation) == ("Anonyme", "", "")
    assert registration.anonymised_at and registration.profile == "porteur"
    assert "déjà annulée" in client.post(url).content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "00000000-0000-0000-0000-000000000000",
        "not-a-token",
        "x" * 300,
        "{token}",  # the registration's token, unsigned
        "{token}:forgedsignature",
        "{signed}x",
    ],
)
def test_unknown_or_forged_cancel_links_are_404(client, open_event, token):
    occurrence = open_event.occurrences.get()
    registration = register(occurrence.pk, name="A", email="a@example.org", profile="porteur")
    signed = cancel_url(registration).split("/")[-2]
    path = token.format(token=registration.token.hex, signed=signed)
    assert client.get(f"/inscriptions/annulation/{path}/").status_code == 404
    assert client.post(f"/inscriptions/annulation/{path}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmee"


# -- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["", "archives/", "month"])
def test_listing_queries_do_not_grow_with_the_number_of_events(
    client, settings, agenda, make_event, view
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # each visit renders the page

    def url():
        return month_path(agenda, soon(days=12)) if view == "month" else agenda.url + view

    days = -12 if view == "archives/" else 12
    make_event("Première", start=soon(days=days), registration_enabled=True, capacity=5)
    client.get(url())  # warm the site-root cache, as any visit does
    with CaptureQueriesContext(connection) as one:
        client.get(url())
    for n in range(6):
        make_event(
            f"Autre {n}",
            start=soon(days=days + (1 if days > 0 else -1)),
            registration_enabled=True,
            capacity=5,
        )
    client.get(url())  # publishing emptied the shared cache (menu, settings): fill it again
    with CaptureQueriesContext(connection) as seven:
        client.get(url())
    assert len(seven.captured_queries) == len(one.captured_queries)


def test_registration_form_queries_do_not_grow_with_the_number_of_dates(client, make_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(event):
        client.get(event.url + "inscription/")
        with CaptureQueriesContext(connection) as context:
            client.get(event.url + "inscription/")
        return len(context.captured_queries)

    two = make_event(
        "Série courte", registration_enabled=True, capacity=5, repeat="weekly", repeat_count=2
    )
    twelve = make_event(
        "Série longue", registration_enabled=True, capacity=5, repeat="weekly", repeat_count=12
    )
    assert count(twelve) == count(two)


@pytest.mark.parametrize(
    ("status", "badge", "notice"),
    [
        ("prevu", None, None),
        ("complet", '<span class="status status--full">Complet</span>', None),
        ("reporte", '<span class="status status--changed">Reporté</span>', "est reporté"),
        ("annule", '<span class="status status--cancelled">Annulé</span>', "est annulé"),
    ],
)
def test_the_event_page_shows_the_status_the_editor_set(client, make_event, status, badge, notice):
    event = make_event(status=status)
    html = client.get(event.url).content.decode()
    meta = re.search(r'<p class="event__meta">.*?</p>', html, re.S).group(0)
    if badge:
        assert badge in meta
    else:
        assert "status--" not in meta
    notices = re.findall(r'<p class="notice notice--warning">([^<]*)</p>', html)
    if notice:
        assert any(notice in text for text in notices)
    else:
        assert not any("Cet événement est" in text for text in notices)


def test_the_registration_page_names_its_event_between_guillemets(client, open_event):
    """One colon, the title's own: "Inscription à « Atelier : … »"."""
    html = html_lib.unescape(client.get(open_event.url + "inscription/").content.decode())
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert re.sub(r"[\u00a0\u202f]", " ", heading) == f"Inscription à « {open_event.title} »"
    assert "«\u202f" in heading or "«\u00a0" in heading  # no break inside the guillemets
    assert "<title>Inscription à «" in html
