"""The waiting list moves only when a place is really free: a place freed above a lowered
capacity, or on an event marked « Complet », goes to nobody; and one rule says when a date is
full, for registering, confirming, promoting and showing."""

import pytest

from events.models import EventStatus, Registration, is_full
from events.registration import cancel, confirm, register

pytestmark = pytest.mark.django_db

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING


def person(n):
    return {"name": f"Personne {n}", "email": f"personne{n}@example.org", "profile": "porteur"}


def republish(event, **fields):
    """The editor changes the event and publishes it again."""
    for name, value in fields.items():
        setattr(event, name, value)
    event.save_revision().publish()


def statuses(occurrence):
    return list(
        Registration.objects.filter(occurrence=occurrence)
        .order_by("created_at", "pk")
        .values_list("status", flat=True)
    )


@pytest.mark.parametrize(
    ("status", "capacity", "confirmed", "full"),
    [
        (EventStatus.SCHEDULED, 3, 2, False),
        (EventStatus.SCHEDULED, 3, 3, True),
        (EventStatus.SCHEDULED, 3, 4, True),
        (EventStatus.SCHEDULED, None, 500, False),
        (EventStatus.FULL, 3, 0, True),
        (EventStatus.FULL, None, 0, True),
        (EventStatus.POSTPONED, 3, 1, False),
    ],
)
def test_one_rule_says_when_a_date_is_full(status, capacity, confirmed, full):
    assert is_full(status, capacity, confirmed) is full


def test_a_place_freed_above_a_lowered_capacity_goes_to_nobody(make_event):
    event = make_event(registration_enabled=True, capacity=3)
    occurrence = event.occurrences.get()
    confirmed = [register(occurrence.pk, **person(n)) for n in range(3)]
    waiting = register(occurrence.pk, **person(3))
    assert waiting.status == WAITING

    republish(event, capacity=2)
    # Two confirmed people remain for two places: the date is still full.
    assert cancel(confirmed[0]).promoted is None
    waiting.refresh_from_db()
    assert waiting.status == WAITING
    assert statuses(occurrence).count(CONFIRMED) == 2

    # One of two places taken: the next cancellation frees one, for the person waiting.
    assert cancel(confirmed[1]).promoted == waiting
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED and waiting.promoted_at


@pytest.mark.parametrize("capacity", [10, None])
def test_an_event_marked_full_takes_newcomers_on_the_waiting_list_and_promotes_nobody(
    make_event, capacity
):
    event = make_event(registration_enabled=True, capacity=capacity)
    occurrence = event.occurrences.get()
    first, second = (register(occurrence.pk, **person(n)) for n in range(2))

    republish(event, status=EventStatus.FULL)
    newcomer = register(occurrence.pk, **person(2))
    pending = register(occurrence.pk, **person(3), confirm_by_email=True, send_email=False)
    assert newcomer.status == WAITING
    assert confirm(pending, send_email=False).status == WAITING
    occurrence.refresh_from_db()
    assert occurrence.is_full and occurrence.status_label == "Complet"

    # Places remain by number, but the editor closed them: a cancellation frees none.
    assert cancel(first).promoted is None
    newcomer.refresh_from_db()
    assert newcomer.status == WAITING

    republish(event, status=EventStatus.SCHEDULED)
    assert cancel(second).promoted == newcomer
    assert statuses(occurrence) == ["annulee", "annulee", CONFIRMED, WAITING]


def test_a_date_without_registrations_on_the_site_is_never_shown_full(make_event):
    event = make_event(registration_enabled=False, capacity=1, status=EventStatus.FULL)
    occurrence = event.occurrences.get()
    assert not occurrence.is_full
    assert occurrence.status_label == ""
