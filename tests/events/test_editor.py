"""Editors create events in the Wagtail admin: a recurring meeting set without any RRULE."""

import html
from datetime import date

from django.contrib import messages
from django.contrib.messages import get_messages

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from events.models import EventPage


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaction", "redaction@example.org", "x")
    client.force_login(user)
    return client


def event_form(**overrides):
    data = {
        "title": "Réunion d'information à Lisieux",
        "slug": "reunion-information-lisieux",
        "summary": "Créer une entreprise de l'ESS : les étapes, les statuts, les aides.",
        "kind": "information",
        "status": "prevu",
        "start": "05/01/2027 14:00",
        "end": "05/01/2027 16:30",
        "repeat": "monthly_weekday",
        "repeat_interval": "1",
        "repeat_count": "6",
        "repeat_until": "",
        "attendance_mode": "presentiel",
        "venue_name": "Médiathèque",
        "venue_street": "",
        "venue_postcode": "14100",
        "venue_city": "Lisieux",
        "online_url": "",
        "organisers": "CRESS Normandie",
        "partners": "",
        "body": streamfield([]),
        "registration_enabled": "on",
        "capacity": "20",
        "waiting_list": "on",
        "registration_deadline_hours": "0",
        "registration_notes": "",
        "date_changes": inline_formset(
            [
                {
                    "original_date": "02/03/2027",
                    "action": "cancel",
                    "new_start": "",
                    "new_end": "",
                    "note": "Grève",
                }
            ]
        ),
        "related_pages": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(agenda):
    return f"/admin/pages/add/events/eventpage/{agenda.pk}/"


def test_an_editor_creates_a_recurring_meeting_with_an_exception(editor_client, agenda):
    response = editor_client.post(add_url(agenda), event_form())
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    page = EventPage.objects.get(slug="reunion-information-lisieux")
    assert page.live
    occurrences = list(page.occurrences.order_by("start"))
    assert [o.original_date for o in occurrences] == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]
    assert [o.cancelled for o in occurrences] == [False, False, True, False, False, False]
    assert page.recurrence_description() == "le premier mardi de chaque mois, 6 fois"


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"repeat_count": ""}, "Indiquez jusqu'à quand l'événement se répète, ou combien de fois."),
        ({"repeat_until": "01/06/2027"}, "Indiquez soit une date de fin, soit un nombre de fois"),
        ({"end": "05/01/2027 13:00"}, "La fin doit venir après le début."),
        ({"repeat_count": "900"}, "Entre 2 et 200 fois."),
        ({"repeat_interval": "40"}, "Un intervalle entre 1 et 12."),
        ({"capacity": "0"}, "Au moins une place"),
        ({"start": "31/02/2027 14:00"}, "Saisissez"),
        (
            {"venue_name": "", "venue_city": "", "venue_postcode": ""},
            "Indiquez le lieu de l'événement",
        ),
        (
            {
                "date_changes": inline_formset(
                    [
                        {
                            "original_date": "03/03/2027",
                            "action": "cancel",
                            "new_start": "",
                            "new_end": "",
                            "note": "",
                        }
                    ]
                )
            },
            "Cette date ne fait pas partie de la série",
        ),
        (
            {
                "date_changes": inline_formset(
                    [
                        {
                            "original_date": "02/03/2027",
                            "action": "move",
                            "new_start": "",
                            "new_end": "",
                            "note": "",
                        }
                    ]
                )
            },
            "Indiquez la nouvelle date et heure.",
        ),
    ],
)
def test_mistakes_are_explained_and_what_was_typed_is_kept(
    editor_client, agenda, overrides, field_message
):
    response = editor_client.post(add_url(agenda), event_form(**overrides))
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert field_message in content
    assert "Réunion d'information à Lisieux" in content  # the title typed is still there
    assert not EventPage.objects.filter(slug="reunion-information-lisieux").exists()


def test_an_exception_on_a_single_event_is_refused(editor_client, agenda):
    response = editor_client.post(
        add_url(agenda),
        event_form(
            repeat="",
            repeat_count="",
            date_changes=inline_formset(
                [
                    {
                        "original_date": "05/01/2027",
                        "action": "cancel",
                        "new_start": "",
                        "new_end": "",
                        "note": "",
                    }
                ]
            ),
        ),
    )
    assert "Cet événement ne se répète pas" in html.unescape(response.content.decode())


def test_all_day_events_are_stored_from_midnight(editor_client, agenda):
    response = editor_client.post(
        add_url(agenda),
        event_form(
            repeat="",
            repeat_count="",
            date_changes=inline_formset([]),
            all_day="on",
            start="04/06/2027 09:00",
            end="05/06/2027 10:00",
        ),
    )
    assert response.status_code == 302
    occurrence = EventPage.objects.get(slug="reunion-information-lisieux").occurrences.get()
    assert occurrence.when_label == "du 4 au 5 juin 2027"


def test_the_preview_shows_the_dates_of_the_draft(editor_client, agenda):
    response = editor_client.post(
        f"/admin/pages/add/events/eventpage/{agenda.pk}/preview/", event_form()
    )
    assert response.json()["is_valid"] is True
    preview = editor_client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/preview/")
    content = html.unescape(preview.content.decode())
    assert preview.status_code == 200
    assert "Le premier mardi de chaque mois, 6 fois" in content
    assert "Grève" in content


# Places without registrations on the site


def warnings(response):
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == messages.WARNING
    ]


PLACES_WARNING = "un nombre de places est indiqué, mais «\u00a0Inscriptions sur le site\u00a0»"


def test_places_without_registrations_are_saved_with_a_warning(editor_client, agenda):
    response = editor_client.post(
        add_url(agenda), event_form(registration_enabled="", **{"action-publish": ""})
    )
    assert response.status_code == 302
    page = EventPage.objects.get(slug="reunion-information-lisieux")
    assert page.capacity == 20 and not page.registration_enabled  # saved all the same
    (warning,) = warnings(response)
    assert warning.startswith("«\u00a0Réunion d'information à Lisieux\u00a0»\u00a0: ")
    assert PLACES_WARNING in warning
    assert "n'affiche aucun formulaire d'inscription" in warning

    edited = editor_client.post(
        f"/admin/pages/{page.pk}/edit/", event_form(registration_enabled="", capacity="25")
    )
    assert edited.status_code == 302
    assert any(PLACES_WARNING in warning for warning in warnings(edited))


@pytest.mark.parametrize(
    "overrides",
    [{}, {"registration_enabled": "", "capacity": ""}],
    ids=["registrations open", "no places"],
)
def test_no_warning_when_places_and_registrations_agree(editor_client, agenda, overrides):
    response = editor_client.post(add_url(agenda), event_form(**overrides))
    assert response.status_code == 302
    assert not warnings(response)


def test_autosave_gives_no_warning(editor_client, agenda):
    response = editor_client.post(add_url(agenda), event_form(**{"action-publish": ""}))
    page = EventPage.objects.get(slug="reunion-information-lisieux")
    autosaved = editor_client.post(
        f"/admin/pages/{page.pk}/edit/",
        event_form(registration_enabled="", **{"action-publish": ""}),
        headers={"Accept": "application/json"},
    )
    assert autosaved.status_code == 200, autosaved.content[:500]
    assert autosaved.json()["success"]
    assert not warnings(response)
    assert not warnings(autosaved)
