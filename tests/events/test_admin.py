"""The events calendar in the Wagtail admin: registrations list, exports, cancelling, panels."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import ModelLogEntry

import pytest

from events.dashboard import UpcomingEventsPanel
from events.models import Audience, EventPage, Registration
from events.panels import RegistrationsPanel
from events.registration import register
from tests.events.conftest import soon

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/events/registration/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin-agenda", email="admin-agenda@example.org", password="motdepasse-test"
    )


@pytest.fixture
def admin(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def event(make_event):
    return make_event("Atelier coopératives", registration_enabled=True, capacity=2)


@pytest.fixture
def occurrence(event):
    return event.occurrences.get()


def add(occurrence, name, email=None, **fields):
    fields.setdefault("profile", "porteur")
    email = email or slugify(name).replace("-", ".") + "@example.org"
    return register(occurrence.pk, name=name, email=email, **fields)


@pytest.fixture
def people(occurrence):
    """Two confirmed registrations (the two places) and one on the waiting list."""
    return [
        add(occurrence, "Alice Martin", organisation="Coop des Marais"),
        add(occurrence, "Bruno Petit"),
        add(occurrence, "Chloé Bernard"),
    ]


def refused(response):
    """Wagtail answers a refused admin request with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def listed_names(response):
    return [registration.name for registration in response.context["object_list"]]


def test_the_list_shows_each_registration_with_its_event_date_and_status(admin, people):
    response = admin.get(INDEX_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert {"Alice Martin", "Bruno Petit", "Chloé Bernard"} <= set(listed_names(response))
    assert "Coop des Marais" in content
    assert "Atelier coopératives" in content
    assert people[0].occurrence.date_label in content
    assert "Confirmée" in content
    assert "Liste d&#x27;attente" in content or "Liste d'attente" in content
    assert "Annuler l&#x27;inscription" in content or "Annuler l'inscription" in content
    # Nobody adds a registration from the admin.
    assert "/admin/events/registration/create/" not in content


def test_filters_by_status_event_and_date(admin, people, make_event):
    other = make_event("Autre réunion", start=soon(20), registration_enabled=True)
    other_registration = add(other.occurrences.get(), "Damien Roux")

    waiting = admin.get(INDEX_URL, {"status__exact": "attente", "q": "example.org"})
    names = listed_names(waiting)
    assert "Chloé Bernard" in names
    assert "Alice Martin" not in names

    by_event = admin.get(INDEX_URL, {"occurrence__page__page_ptr__exact": other.pk})
    assert listed_names(by_event) == ["Damien Roux"]
    assert str(other.pk) in by_event.context["view"].filter_specs[1].lookup_val

    by_date = admin.get(INDEX_URL, {"date": people[0].occurrence_id})
    assert sorted(listed_names(by_date)) == ["Alice Martin", "Bruno Petit", "Chloé Bernard"]
    # The date filter offers upcoming dates by their label.
    assert other_registration.occurrence.date_label in by_date.content.decode()

    by_profile = listed_names(admin.get(INDEX_URL, {"profile__exact": "elu"}))
    assert "Alice Martin" not in by_profile


@pytest.mark.parametrize("value", ["①", "²", "٣", "9" * 5000, "abc", "-1", "\x00"])
def test_a_date_filter_that_is_no_id_lists_every_registration(admin, people, value):
    response = admin.get(INDEX_URL, {"date": value})
    assert response.status_code == 200
    assert len(listed_names(response)) == Registration.objects.count()


@pytest.mark.parametrize(
    "params",
    [{"page": "2"}, {"inconnu": "1"}, {"email__regex": "("}, {"occurrence__page__id__exact": "x"}],
)
def test_a_parameter_that_is_no_filter_is_ignored(admin, people, params):
    response = admin.get(INDEX_URL, params)
    assert response.status_code == 200
    assert len(listed_names(response)) == Registration.objects.count()


def test_a_parameter_that_is_no_filter_leaves_the_filters_working(admin, people, occurrence):
    response = admin.get(
        INDEX_URL, {"email__regex": "(", "status__exact": "attente", "date": occurrence.pk}
    )
    assert listed_names(response) == ["Chloé Bernard"]
    response = admin.get(INDEX_URL, {"inconnu": "1", "date": occurrence.pk, "q": "alice"})
    assert listed_names(response) == ["Alice Martin"]


def test_the_date_filter_leaves_out_old_dates(admin, people, make_event):
    old = make_event("Réunion d'il y a longtemps", start=soon(-200), registration_enabled=True)
    content = admin.get(INDEX_URL).content.decode()
    assert "Réunion d&#x27;il y a longtemps" not in content
    assert "Réunion d'il y a longtemps" not in content
    # …unless it is the chosen one (from a link in the event's editor).
    chosen = admin.get(INDEX_URL, {"date": old.occurrences.get().pk}).content.decode()
    assert "il y a longtemps" in chosen


def test_the_soonest_dates_come_first_then_the_past_ones(admin, people, make_event):
    later = make_event("Atelier plus tard", start=soon(40), registration_enabled=True)
    add(later.occurrences.get(), "Gaël Hamon")
    past = make_event("Atelier passé", start=soon(-5), registration_enabled=True)
    Registration.objects.create(
        occurrence=past.occurrences.get(),
        name="Hélène Vasseur",
        email="h@example.org",
        profile="porteur",
    )
    names = listed_names(admin.get(INDEX_URL, {"q": "example.org"}))
    order = [names.index(name) for name in ("Alice Martin", "Gaël Hamon", "Hélène Vasseur")]
    assert order == sorted(order)
    assert names.index("Alice Martin") < names.index("Bruno Petit")


def test_search_by_name_email_organisation_and_event_title(admin, people, make_event):
    other = make_event("Webinaire finances solidaires", start=soon(15), registration_enabled=True)
    add(other.occurrences.get(), "Damien Roux")
    assert listed_names(admin.get(INDEX_URL, {"q": "Bruno"})) == ["Bruno Petit"]
    assert listed_names(admin.get(INDEX_URL, {"q": "alice.martin@"})) == ["Alice Martin"]
    assert listed_names(admin.get(INDEX_URL, {"q": "Marais"})) == ["Alice Martin"]
    assert listed_names(admin.get(INDEX_URL, {"q": "finances solidaires"})) == ["Damien Roux"]


def test_csv_export_has_french_headings_and_the_filtered_rows(admin, people, occurrence):
    add(occurrence, "=HYPERLINK(1)", email="formule@example.org")
    response = admin.get(INDEX_URL, {"export": "csv", "date": occurrence.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "inscriptions-" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Événement",
        "Date",
        "Nom et prénom",
        "E-mail",
        "Structure",
        "Profil",
        "Territoire",
        "Statut",
        "Inscrite le",
        "Consentement donné le",
        "Adresse confirmée le",
    ]
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"Alice Martin", "Bruno Petit", "Chloé Bernard", "'=HYPERLINK(1)"}
    alice = by_name["Alice Martin"]
    assert alice[0] == "Atelier coopératives"
    assert alice[1] == occurrence.date_label
    assert alice[3] == "alice.martin@example.org"
    assert alice[4] == "Coop des Marais"
    assert alice[5] == "Porteuse ou porteur de projet"
    assert alice[7] == "Confirmée"
    assert by_name["Chloé Bernard"][7] == "Liste d'attente"
    local = timezone.localtime(people[0].created_at)
    assert alice[8] == local.strftime("%d/%m/%Y %H:%M")
    assert alice[9] == local.strftime("%d/%m/%Y %H:%M")
    assert alice[10] == ""  # registered by a script: no address to confirm


def test_registrations_to_confirm_are_listed_filtered_and_exported_with_their_status(
    admin, people, occurrence
):
    from events.registration import confirm

    pending = register(
        occurrence.pk,
        name="Denise Lacroix",
        email="denise@example.org",
        profile="elu",
        confirm_by_email=True,
    )
    listed = admin.get(INDEX_URL)
    assert "Denise Lacroix" in listed_names(listed)
    assert "À confirmer" in listed.content.decode()
    to_confirm = admin.get(INDEX_URL, {"status__exact": "aconfirmer", "date": occurrence.pk})
    assert listed_names(to_confirm) == ["Denise Lacroix"]

    response = admin.get(INDEX_URL, {"export": "csv", "date": occurrence.pk})
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    by_name = {row[2]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert by_name["Denise Lacroix"][7] == "À confirmer"
    assert by_name["Denise Lacroix"][10] == ""
    confirmed = confirm(pending)
    response = admin.get(INDEX_URL, {"export": "csv", "date": occurrence.pk})
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    by_name = {row[2]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert by_name["Denise Lacroix"][7] == "Liste d'attente"  # the two places were taken
    local = timezone.localtime(confirmed.confirmed_at)
    assert by_name["Denise Lacroix"][10] == local.strftime("%d/%m/%Y %H:%M")


def test_xlsx_export_is_a_workbook(admin, people, occurrence):
    response = admin.get(INDEX_URL, {"export": "xlsx", "date": occurrence.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = b"".join(response.streaming_content)
    assert content[:2] == b"PK"
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Événement", "Date", "Nom et prénom")
    assert sorted(row[2] for row in rows[1:]) == ["Alice Martin", "Bruno Petit", "Chloé Bernard"]
    created = next(row[8] for row in rows[1:] if row[2] == "Alice Martin")
    # Paris time, as the editors read it.
    expected = timezone.localtime(people[0].created_at).replace(tzinfo=None)
    assert abs(created - expected) < timedelta(seconds=1)


def test_adding_a_registration_in_the_admin_is_refused(admin):
    count = Registration.objects.count()
    assert refused(admin.get(INDEX_URL + "create/"))
    assert refused(admin.post(INDEX_URL + "create/", {"name": "X", "email": "x@example.org"}))
    assert Registration.objects.count() == count


def test_cancelling_frees_the_place_for_the_first_person_waiting(
    admin, people, django_capture_on_commit_callbacks, mailoutbox
):
    alice, _, chloe = people
    next_url = f"{INDEX_URL}?date={alice.occurrence_id}"
    url = reverse("events_registration_modeladmin_cancel", args=[alice.pk])

    page = admin.get(url, {"next": next_url})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Oui, annuler l" in content
    assert "Alice Martin" in content
    assert "liste d&#x27;attente" in content or "liste d'attente" in content
    alice.refresh_from_db()
    assert alice.status == Registration.Status.CONFIRMED  # nothing happens on GET

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url + "?" + f"next={INDEX_URL}", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    alice.refresh_from_db()
    chloe.refresh_from_db()
    assert alice.status == Registration.Status.CANCELLED
    assert alice.cancelled_at is not None
    assert chloe.status == Registration.Status.CONFIRMED
    assert chloe.promoted_at is not None

    followed = admin.get(next_url)
    messages = [str(message) for message in followed.context["messages"]]
    assert any(
        message.startswith("Inscription annulée. Chloé Bernard")
        and "a reçu la place libérée" in message
        for message in messages
    )
    recipients = {address for email in mailoutbox for address in email.to}
    assert {"alice.martin@example.org", "chloe.bernard@example.org"} <= recipients
    assert ModelLogEntry.objects.filter(
        action="events.registration.cancel", object_id=str(alice.pk)
    ).exists()


def test_cancelling_twice_changes_nothing_and_bad_next_urls_are_ignored(admin, people):
    alice = people[0]
    url = reverse("events_registration_modeladmin_cancel", args=[alice.pk])
    admin.post(url, {"next": "https://ailleurs.example.com/"})
    response = admin.post(url, {"next": "https://ailleurs.example.com/"})
    assert response["Location"] == INDEX_URL
    assert admin.get(url).status_code == 200
    assert "déjà annulée" in admin.get(url).content.decode()
    assert Registration.objects.get(pk=people[2].pk).status == Registration.Status.CONFIRMED


def test_editing_changes_the_persons_details_only(admin, people, calvados):
    alice = people[0]
    url = f"{INDEX_URL}edit/{alice.pk}/"
    page = admin.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.fields) == {"name", "email", "organisation", "profile", "territory"}
    content = page.content.decode()
    assert "Atelier coopératives" in content

    response = admin.post(
        url,
        {
            "name": "  Alice   Martin-Durand ",
            "email": " Alice.Durand@Example.org ",
            "organisation": "",
            "profile": "elu",
            "territory": calvados.pk,
            "status": "annulee",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.name == "Alice Martin-Durand"
    assert alice.email == "alice.durand@example.org"
    assert alice.profile == "elu"
    assert alice.territory == calvados
    assert alice.status == Registration.Status.CONFIRMED


def test_editing_refuses_an_email_already_registered_for_the_date(admin, people):
    alice, bruno = people[0], people[1]
    response = admin.post(
        f"{INDEX_URL}edit/{alice.pk}/",
        {"name": alice.name, "email": bruno.email, "organisation": "", "profile": "porteur"},
    )
    assert response.status_code == 200
    assert "déjà inscrite à cette date" in response.content.decode()


def test_deleting_removes_the_data_and_promotes_the_person_waiting(admin, people):
    alice, _, chloe = people
    admin.post(
        f"{INDEX_URL}edit/{alice.pk}/",
        {"name": alice.name, "email": alice.email, "organisation": "", "profile": "porteur"},
    )
    assert ModelLogEntry.objects.filter(object_id=str(alice.pk), label__contains="Alice").exists()
    assert admin.get(f"{INDEX_URL}delete/{alice.pk}/").status_code == 200
    response = admin.post(f"{INDEX_URL}delete/{alice.pk}/")
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=alice.pk).exists()
    chloe.refresh_from_db()
    assert chloe.status == Registration.Status.CONFIRMED
    # The history keeps no name of the person who asked for their data to be erased.
    entries = ModelLogEntry.objects.filter(
        content_type__app_label="events", object_id=str(alice.pk)
    )
    assert entries.exists()
    assert not entries.filter(label__contains="Alice").exists()


def list_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(INDEX_URL)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_makes_the_same_number_of_queries_for_2_and_10_registrations(
    admin, occurrence, make_event, calvados
):
    add(occurrence, "Personne 0", territory=calvados)
    add(occurrence, "Personne 1")
    list_queries(admin)  # warm the caches (content types, site…)
    with_two = list_queries(admin)
    other = make_event("Deuxième atelier", start=soon(12), registration_enabled=True)
    for number in range(2, 10):
        add(other.occurrences.get(), f"Personne {number}", territory=calvados)
    list_queries(admin)  # registrations changed the content: the shared cache is refilled
    assert list_queries(admin) == with_two


def panel_html(page, user):
    request = RequestFactory().get(f"/admin/pages/{page.pk}/edit/")
    request.user = user
    panel = RegistrationsPanel().bind_to_model(EventPage)
    bound = panel.get_bound_panel(instance=page, request=request, form=None)
    return bound.render_html()


def test_the_event_panel_counts_each_date_in_one_query(people, event, superuser):
    assert RegistrationsPanel().heading == "Inscriptions par date"
    with CaptureQueriesContext(connection) as context:
        html = panel_html(event, superuser)
    assert len(context.captured_queries) == 1
    occurrence = people[0].occurrence
    assert occurrence.date_label in html
    assert "2 / 2 places" in html
    assert "1 en attente" in html
    assert f"{INDEX_URL}?date={occurrence.pk}" in html
    assert f"occurrence__page__page_ptr__exact={event.pk}" in html


def test_the_event_panel_for_a_series_unlimited_places_and_cancelled_dates(make_event, superuser):
    start = soon(3)
    series = make_event(
        "Permanence hebdomadaire",
        start=start,
        repeat="weekly",
        repeat_count=4,
        registration_enabled=True,
        changes=[((start + timedelta(days=7)).date(), "cancel", {})],
    )
    first = series.occurrences.order_by("start").first()
    add(first, "Eva Leroy")
    html = panel_html(series, superuser)
    assert "1 / illimité" in html
    assert "0 / illimité" in html
    assert "Annulée" in html


def test_the_event_panel_without_registrations_or_dates(make_event, agenda, superuser):
    closed = make_event("Conférence sans inscription")
    assert "ne prend pas d&#x27;inscription" in panel_html(closed, superuser) or (
        "ne prend pas d'inscription" in panel_html(closed, superuser)
    )
    draft = EventPage(
        title="Brouillon",
        summary="Pas encore publié.",
        start=soon(30),
        end=soon(30) + timedelta(hours=2),
        venue_city="Caen",
        registration_enabled=True,
        live=False,
    )
    agenda.add_child(instance=draft)
    html = panel_html(draft, superuser)
    assert "une fois l&#x27;événement publié" in html or "une fois l'événement publié" in html


def test_the_dashboard_lists_the_next_dates_with_their_places(admin, make_event, superuser):
    start = timezone.localtime() + timedelta(minutes=30)
    upcoming = make_event("Réunion imminente", start=start, registration_enabled=True, capacity=2)
    add(upcoming.occurrences.get(), "Fanny Girard")

    request = RequestFactory().get("/admin/")
    request.user = superuser
    with CaptureQueriesContext(connection) as context:
        html = UpcomingEventsPanel(request).render_html({"request": request})
    assert len(context.captured_queries) == 1
    assert "Prochains événements" in html
    assert "Réunion imminente" in html
    assert "1 / 2 places" in html
    assert f"/admin/pages/{upcoming.pk}/edit/" in html

    dashboard = admin.get("/admin/").content.decode()
    assert "Prochains événements" in dashboard
    assert "1 / 2 places" in dashboard


def test_an_editor_with_the_view_permission_only_lists_and_exports(
    client, django_user_model, people
):
    group = Group.objects.create(name="Lecture des inscriptions")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="events", codename="view_registration"),
    )
    user = django_user_model.objects.create_user(username="lecteur", password="motdepasse-test")
    user.groups.add(group)
    client.force_login(user)
    response = client.get(INDEX_URL)
    assert response.status_code == 200
    assert "Annuler l" not in response.content.decode()
    assert client.get(INDEX_URL, {"export": "csv"}).status_code == 200
    alice = people[0]
    cancel = reverse("events_registration_modeladmin_cancel", args=[alice.pk])
    assert refused(client.post(cancel))
    assert refused(client.get(f"{INDEX_URL}edit/{alice.pk}/"))
    assert refused(client.post(f"{INDEX_URL}delete/{alice.pk}/"))
    alice.refresh_from_db()
    assert alice.status == Registration.Status.CONFIRMED


def test_an_editor_without_registration_permissions_is_refused(client, django_user_model):
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = django_user_model.objects.create_user(username="redac", password="motdepasse-test")
    user.groups.add(group)
    client.force_login(user)
    assert refused(client.get(INDEX_URL))


def test_audiences_are_managed_with_the_taxonomies(admin):
    Audience.objects.get_or_create(name="Porteurs de projet")
    response = admin.get(reverse("wagtailsnippets_events_audience:list"))
    assert response.status_code == 200
    assert "Porteurs de projet" in response.content.decode()
    # The sidebar menu is JSON, with escaped accents.
    assert '"label": "Publics des \\u00e9v\\u00e9nements"' in admin.get("/admin/").content.decode()
