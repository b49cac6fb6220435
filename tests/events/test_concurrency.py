"""The capacity holds when many people submit at the same moment (PostgreSQL, real threads)."""

import threading

from django.db import connection, connections

import pytest

from events.models import Registration
from events.registration import RegistrationRefused, register

PEOPLE = 24
CAPACITY = 5


@pytest.mark.django_db(transaction=True)
def test_capacity_is_never_exceeded_by_concurrent_registrations(make_event):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database with row locks: runs in the PostgreSQL pass")
    event = make_event(registration_enabled=True, capacity=CAPACITY)
    occurrence_id = event.occurrences.get().pk
    barrier = threading.Barrier(PEOPLE)
    outcomes, errors = [], []

    def submit(n, email=None):
        try:
            barrier.wait(timeout=30)
            registration = register(
                occurrence_id,
                name=f"Personne {n}",
                email=email or f"personne{n}@example.org",
                profile="porteur",
            )
            outcomes.append(registration.status)
        except RegistrationRefused as refused:
            outcomes.append(refused.message)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    # Every fourth person uses the same e-mail as the previous one, at the same moment.
    threads = [
        threading.Thread(
            target=submit, args=(n, f"personne{n - 1}@example.org" if n % 4 == 3 else None)
        )
        for n in range(PEOPLE)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(outcomes) == PEOPLE
    registrations = Registration.objects.filter(occurrence_id=occurrence_id)
    assert registrations.filter(status="confirmee").count() == CAPACITY
    duplicates = PEOPLE // 4
    assert registrations.filter(status="attente").count() == PEOPLE - CAPACITY - duplicates
    assert outcomes.count("confirmee") == CAPACITY
    assert sum("déjà inscrite" in outcome for outcome in outcomes) == duplicates
    # No e-mail address holds two active places.
    emails = list(registrations.values_list("email", flat=True))
    assert len(emails) == len(set(emails))
