"""The capacity holds when many people submit or confirm at the same moment (PostgreSQL, real
threads)."""

import io
import threading

from django.db import connection, connections

import pytest

from events.models import Registration
from events.registration import RegistrationRefused, confirm, register

PEOPLE = 24
CAPACITY = 5


@pytest.fixture(autouse=True)
def demo_site(transactional_db):
    """The demo site: each of these tests ends with a flush of the database (its threads need
    committed rows), which the next one rebuilds."""
    from django.core.management import call_command

    from home.models import HomePage

    if not HomePage.objects.exists():
        call_command("load_demo_content", without_communes=True, stdout=io.StringIO())


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


@pytest.mark.django_db(transaction=True)
def test_capacity_is_never_exceeded_by_concurrent_confirmations(make_event):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database with row locks: runs in the PostgreSQL pass")
    event = make_event(registration_enabled=True, capacity=CAPACITY)
    occurrence_id = event.occurrences.get().pk
    requests = [
        register(
            occurrence_id,
            name=f"Personne {n}",
            email=f"personne{n}@example.org",
            profile="porteur",
            confirm_by_email=True,
            send_email=False,
        )
        for n in range(PEOPLE)
    ]
    # The first four people confirm twice at the same moment (a double click).
    clicks = requests + requests[:4]
    barrier = threading.Barrier(len(clicks))
    outcomes, errors = [], []

    def follow_link(registration):
        try:
            barrier.wait(timeout=30)
            outcomes.append(confirm(registration).status)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=follow_link, args=(r,)) for r in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    registrations = Registration.objects.filter(occurrence_id=occurrence_id)
    assert registrations.filter(status="confirmee").count() == CAPACITY
    assert registrations.filter(status="attente").count() == PEOPLE - CAPACITY
    assert len(outcomes) == len(clicks)
