"""The capacity holds when many people submit or confirm at the same moment: real threads, each
with its own database connection, on PostgreSQL (row locks) and on SQLite (its write lock, taken
at the start of each transaction).

SQLite's in-memory test database cannot serve this: its connections share one cache, where a
busy table fails at once ("database table is locked") instead of waiting. So on SQLite the
threads meet in a file copy of the test database, as the site's own database is a file.
"""

import io
import sqlite3
import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections

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


@contextmanager
def database_for_threads(directory):
    """The database the threads started inside the block connect to: the test database itself
    on a server, a file copy of it on SQLite (the test's own connection keeps the original)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = directory / "threads.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    original = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings[DEFAULT_DB_ALIAS] = original


def on_a_thread(function):
    """`function()` run on a new thread (so with the threads' database), its result returned."""
    results, errors = [], []

    def run():
        try:
            results.append(function())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results[0]


def registrations_of(occurrence_id):
    """(status, email) of each registration of a date, read where the threads wrote."""
    return on_a_thread(
        lambda: list(
            Registration.objects.filter(occurrence_id=occurrence_id).values_list("status", "email")
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_threads_share_a_database_that_is_not_the_in_memory_one(tmp_path):
    """On SQLite the threads meet in a file, where a busy transaction makes the others wait."""
    with database_for_threads(tmp_path):
        vendor, in_memory = on_a_thread(
            lambda: (
                connection.vendor,
                connection.vendor == "sqlite" and connection.is_in_memory_db(),
            )
        )
    assert vendor == connection.vendor
    assert not in_memory


@pytest.mark.django_db(transaction=True)
def test_capacity_is_never_exceeded_by_concurrent_registrations(make_event, tmp_path):
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
    with database_for_threads(tmp_path):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        registrations = registrations_of(occurrence_id)

    assert errors == []
    assert len(outcomes) == PEOPLE
    statuses = [status for status, _email in registrations]
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    duplicates = PEOPLE // 4
    assert statuses.count(Registration.Status.WAITING) == PEOPLE - CAPACITY - duplicates
    assert outcomes.count(Registration.Status.CONFIRMED) == CAPACITY
    assert sum("déjà inscrite" in outcome for outcome in outcomes) == duplicates
    # No e-mail address holds two active places.
    emails = [email for _status, email in registrations]
    assert len(emails) == len(set(emails))


@pytest.mark.django_db(transaction=True)
def test_capacity_is_never_exceeded_by_concurrent_confirmations(make_event, tmp_path):
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
    with database_for_threads(tmp_path):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        registrations = registrations_of(occurrence_id)

    assert errors == []
    statuses = [status for status, _email in registrations]
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Registration.Status.WAITING) == PEOPLE - CAPACITY
    assert len(outcomes) == len(clicks)
