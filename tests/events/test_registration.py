"""Registering for a date: capacity, waiting list, duplicates, closing, cancelling, e-mails."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from icalendar import Calendar

from events.models import EventDateChange, Registration
from events.registration import RegistrationRefused, cancel, confirm, register
from events.views import cancel_url, confirm_url
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
    assert message.subject == "Inscription confirmée\u00a0: Réunion d'information à Caen"
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


# -- confirmation by e-mail ---------------------------------------------------------------------


def pending(occurrence, n, **kwargs):
    return register(occurrence.pk, **person(n), confirm_by_email=True, **kwargs)


def test_a_registration_to_confirm_holds_no_place_until_confirmed(small_event):
    occurrence = small_event.occurrences.get()
    requests = [pending(occurrence, n) for n in range(5)]
    assert {registration.status for registration in requests} == {"aconfirmer"}
    occurrence.refresh_from_db()
    assert occurrence.places_left == 3
    # Places go in the order people confirm; then the waiting list.
    statuses = [confirm(registration).status for registration in reversed(requests)]
    assert statuses == ["confirmee"] * 3 + ["attente"] * 2
    confirmed = Registration.objects.filter(occurrence=occurrence, status="confirmee")
    assert set(confirmed.values_list("email", flat=True)) == {
        "personne4@example.org",
        "personne3@example.org",
        "personne2@example.org",
    }
    assert all(registration.confirmed_at for registration in confirmed)
    # Confirming twice changes nothing.
    assert confirm(requests[0]).status == "attente"


def test_confirming_is_refused_once_the_date_is_closed_or_full_without_waiting_list(make_event):
    event = make_event(registration_enabled=True, capacity=1, waiting_list=False)
    occurrence = event.occurrences.get()
    first, second = pending(occurrence, 1), pending(occurrence, 2)
    confirm(first)
    with pytest.raises(RegistrationRefused, match="complète"):
        confirm(second)
    second.refresh_from_db()
    assert second.status == "aconfirmer"

    closing = make_event(registration_enabled=True)
    late = pending(closing.occurrences.get(), 3)
    closing.registration_closes_at = timezone.now() - timedelta(minutes=1)
    closing.save_revision().publish()
    with pytest.raises(RegistrationRefused, match="closes"):
        confirm(late)


def test_confirming_after_the_deadline_is_refused(small_event):
    occurrence = small_event.occurrences.get()
    registration = pending(occurrence, 1)
    later = registration.confirm_before + timedelta(seconds=1)
    with pytest.raises(RegistrationRefused, match="expiré"):
        confirm(registration, now=later)


def test_the_confirmation_email_asks_to_confirm_and_holds_no_cancel_link(
    small_event, django_capture_on_commit_callbacks
):
    occurrence = small_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        registration = pending(occurrence, 1)
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre inscription\u00a0: Atelier à trois places"
    assert f"http://testserver{confirm_url(registration)}" in message.body
    assert "/inscriptions/annulation/" not in message.body
    assert "Ignorez ce message" in message.body
    assert message.attachments == []


def test_every_email_to_registrants_has_the_link_to_erase_their_data(
    small_event, django_capture_on_commit_callbacks
):
    from cress_site.erase_links import erase_url

    occurrence = small_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        registration = pending(occurrence, 1)
        confirm(registration)
        for n in range(2, 4):
            register(occurrence.pk, **person(n))
        waiting = register(occurrence.pk, **person(4))
        cancel(registration)
    small_event.date_changes = [
        EventDateChange(original_date=occurrence.original_date, action="cancel")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        small_event.save_revision().publish()
    kinds = {}
    for message in mail.outbox:
        kinds.setdefault(message.to[0], []).append(message.subject.split("\u00a0:")[0])
        link = f"http://testserver{erase_url(message.to[0])}"
        assert link in message.body, message.subject
        assert link.startswith("http://testserver/mes-donnees/")
        # The link does not carry the address, even encoded.
        assert "personne" not in link and "example" not in link
    assert kinds["personne1@example.org"] == [
        "Confirmez votre inscription",
        "Inscription confirmée",
        "Inscription annulée",
    ]
    assert kinds[waiting.email][-2:] == ["Une place s'est libérée", "Date annulée"]


def test_cancelling_keeps_nothing_personal(small_event, django_capture_on_commit_callbacks):
    from wagtail.log_actions import log
    from wagtail.models import ModelLogEntry

    occurrence = small_event.occurrences.get()
    registration = register(
        occurrence.pk,
        **person(1),
        organisation="Mairie de Vire",
        territory=occurrence.page.territory,
    )
    log(instance=registration, action="wagtail.edit")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cancel(registration)
    # At once: the name and organisation; the address stays for the e-mail saying so…
    registration.refresh_from_db()
    assert (registration.name, registration.organisation) == ("Anonyme", "")
    assert registration.email == "personne1@example.org"
    assert ModelLogEntry.objects.for_instance(registration).get().label == "Anonyme"
    # …and goes once it has left.
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["personne1@example.org"] and "Camille" not in message.body
    registration.refresh_from_db()
    assert registration.email == "" and registration.anonymised_at
    assert registration.profile == "porteur" and registration.territory == occurrence.page.territory


def test_cancelling_without_telling_the_person_erases_the_address_at_once(small_event):
    occurrence = small_event.occurrences.get()
    registration = register(occurrence.pk, **person(1))
    cancel(registration, notify_person=False)
    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("Anonyme", "")
    assert registration.anonymised_at


def test_scripts_register_and_confirm_without_sending_anything(
    small_event, django_capture_on_commit_callbacks
):
    occurrence = small_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        registration = pending(occurrence, 1, send_email=False)
        confirm(registration, send_email=False)
    assert mail.outbox == []
    registration.refresh_from_db()
    assert registration.status == "confirmee"


def test_the_dates_count_registrations_only_for_an_event_that_takes_them(
    small_event, make_event, django_assert_num_queries
):
    """The page's dates: with their confirmed registrations counted in the same query when the
    event takes registrations; without that count (a subquery) when it takes none."""
    for n in range(3):
        register(small_event.occurrences.get().pk, **person(n))
    with django_assert_num_queries(1) as context:
        (occurrence,) = small_event.get_occurrences()
        assert occurrence.places_left == 0 and occurrence.is_full
    assert '"events_registration"' in context.captured_queries[0]["sql"]
    plain = make_event("Conférence sans inscription")
    with django_assert_num_queries(1) as context:
        (occurrence,) = plain.get_occurrences()
        assert not occurrence.is_full
    assert '"events_registration"' not in context.captured_queries[0]["sql"]
