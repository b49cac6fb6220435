"""Registering for a date: capacity, waiting list, duplicates, closing, cancelling, e-mails."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from icalendar import Calendar

from events.models import EventDateChange, Registration
from events.registration import RegistrationRefused, cancel, register
from events.views import cancel_url
from tests.events.conftest import soon

PERSON = {"name": "Camille Martin", "profile": "porteur"}


def person(n):
    return {**PERSON, "email": f"personne{n}@example.org"}


@pytest.fixture
def small_event(make_event):
    return make_event("Atelier à trois places", registration_enabled=True, capacity=3)


def test_places_are_confirmed_then_the_waiting_list_fills(small_event):
    occurrence = small_event.occurrences.get()
    statuses = [register(occurrence.pk, **person(n)).status for n in range(5)]
    assert statuses == ["confirmee"] * 3 + ["attente"] * 2
    occurrence.refresh_from_db()
    assert occurrence.places_left == 0 and occurrence.is_full


def test_without_a_waiting_list_a_full_date_refuses(make_event):
    event = make_event(registration_enabled=True, capacity=1, waiting_list=False)
    occurrence = event.occurrences.get()
    register(occurrence.pk, **person(1))
    with pytest.raises(RegistrationRefused, match="complète"):
        register(occurrence.pk, **person(2))


def test_the_same_email_cannot_register_twice_for_a_date(small_event):
    occurrence = small_event.occurrences.get()
    register(occurrence.pk, **person(1))
    with pytest.raises(RegistrationRefused, match="déjà inscrite") as refused:
        register(occurrence.pk, **{**person(1), "email": " PERSONNE1@Example.org "})
    assert refused.value.field == "email"
    assert Registration.objects.filter(occurrence=occurrence).count() == 1


def test_the_same_email_may_register_again_after_cancelling(small_event):
    occurrence = small_event.occurrences.get()
    first = register(occurrence.pk, **person(1))
    cancel(first)
    again = register(occurrence.pk, **person(1))
    assert again.status == "confirmee"


def test_cancelling_frees_the_place_for_the_first_person_waiting(
    small_event, django_capture_on_commit_callbacks
):
    occurrence = small_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = [register(occurrence.pk, **person(n)) for n in range(3)]
        first_waiting = register(occurrence.pk, **person(3))
        second_waiting = register(occurrence.pk, **person(4))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = cancel(confirmed[1])

    assert outcome.promoted == first_waiting
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == "confirmee" and first_waiting.promoted_at
    assert second_waiting.status == "attente"
    assert Registration.objects.filter(occurrence=occurrence, status="confirmee").count() == 3
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["personne1@example.org"].startswith("Inscription annulée")
    assert subjects["personne3@example.org"].startswith("Une place s'est libérée")
    # Cancelling twice changes nothing.
    assert cancel(confirmed[1]).promoted is None
    second_waiting.refresh_from_db()
    assert second_waiting.status == "attente"


def test_cancelling_a_waiting_registration_promotes_nobody(small_event):
    occurrence = small_event.occurrences.get()
    for n in range(3):
        register(occurrence.pk, **person(n))
    waiting = register(occurrence.pk, **person(3))
    assert cancel(waiting).promoted is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "annule"}, "annulée"),
        ({"status": "reporte"}, "reporté"),
        ({"start": soon(days=-3)}, "passée"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "closes"),
        ({"registration_enabled": False}, "ne prend pas d'inscription"),
    ],
)
def test_refusals_are_explained_in_french(make_event, fields, message):
    event = make_event(**{"registration_enabled": True, **fields})
    occurrence = event.occurrences.get()
    with pytest.raises(RegistrationRefused, match=message):
        register(occurrence.pk, **person(1))


def test_deadline_before_each_date(make_event):
    event = make_event(
        registration_enabled=True, start=soon(days=1), registration_deadline_hours=48
    )
    with pytest.raises(RegistrationRefused, match="closes depuis"):
        register(event.occurrences.get().pk, **person(1))


def test_a_cancelled_date_of_a_series_refuses_and_the_others_accept(make_event):
    start = soon(days=5)
    second_date = (start + timedelta(weeks=1)).date()
    event = make_event(
        registration_enabled=True,
        start=start,
        repeat="weekly",
        repeat_count=3,
        changes=[(second_date, "cancel", {"note": "Salle indisponible"})],
    )
    first, second, third = event.occurrences.order_by("start")
    assert second.cancelled and second.note == "Salle indisponible"
    with pytest.raises(RegistrationRefused, match="annulée"):
        register(second.pk, **person(1))
    # One registration per date: the same person can come to two dates.
    assert register(first.pk, **person(1)).status == "confirmee"
    assert register(third.pk, **person(1)).status == "confirmee"


def test_confirmation_email_carries_the_date_as_ics_and_a_cancel_link(
    make_event, django_capture_on_commit_callbacks
):
    event = make_event(
        "Réunion d'information à Caen",
        registration_enabled=True,
        capacity=10,
        registration_notes="Entrée par la cour.",
    )
    occurrence = event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(occurrence.pk, **person(1))

    (message,) = mail.outbox
    assert message.to == ["personne1@example.org"]
    assert message.subject == "Inscription confirmée : Réunion d'information à Caen"
    assert "Entrée par la cour." in message.body
    assert f"http://testserver{cancel_url(registration)}" in message.body
    # The link is signed: the token alone, or a tampered signature, cancels nothing.
    assert cancel_url(registration).startswith(
        f"/inscriptions/annulation/{registration.token.hex}:"
    )
    (name, content, mimetype) = message.attachments[0]
    assert name == "evenement.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == occurrence.start


def test_waiting_list_email_has_no_calendar(make_event, django_capture_on_commit_callbacks):
    event = make_event(registration_enabled=True, capacity=1)
    occurrence = event.occurrences.get()
    register(occurrence.pk, **person(1))
    with django_capture_on_commit_callbacks(execute=True):
        register(occurrence.pk, **person(2))
    (message,) = mail.outbox
    assert message.subject.startswith("Liste d'attente")
    assert "liste d'attente" in message.body
    assert message.attachments == []


def test_registrants_are_told_when_their_date_is_cancelled_or_moved(
    make_event, django_capture_on_commit_callbacks
):
    start = soon(days=5)
    event = make_event(registration_enabled=True, start=start, repeat="weekly", repeat_count=3)
    first, second, _third = event.occurrences.order_by("start")
    planned_start = second.start
    register(first.pk, **person(1))
    register(second.pk, **person(2))

    event.date_changes = [
        EventDateChange(original_date=first.original_date, action="cancel", note="Grève"),
        EventDateChange(
            original_date=second.original_date,
            action="move",
            new_start=second.start + timedelta(days=1),
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["personne1@example.org"].startswith("Date annulée")
    assert subjects["personne2@example.org"].startswith("Date modifiée")
    second.refresh_from_db()
    assert second.moved and second.start == planned_start + timedelta(days=1)
    # The registration stays attached to the moved date.
    assert Registration.objects.get(email="personne2@example.org").occurrence_id == second.pk


def test_a_date_removed_from_the_series_keeps_its_registrations(make_event):
    start = soon(days=5)
    event = make_event(registration_enabled=True, start=start, repeat="weekly", repeat_count=3)
    last = event.occurrences.order_by("start").last()
    register(last.pk, **person(1))
    event.repeat_count = 2
    event.save_revision().publish()
    last.refresh_from_db()
    assert last.cancelled and not last.in_series
    assert event.occurrences.filter(in_series=True).count() == 2
