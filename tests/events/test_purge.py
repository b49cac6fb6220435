"""purge_registrations: personal data of past registrations is anonymised (or deleted), unconfirmed
registrations expire, cancelled ones keep nothing personal."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest

from events.models import Registration
from tests.events.conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(make_event, calvados):
    """An event that ended 40 days ago, one that ended 10 days ago and one still to come, each
    with a confirmed and a cancelled registration."""
    now = timezone.now()
    made = {}
    for label, days in (("old", -40), ("recent", -10), ("upcoming", 10)):
        page = make_event(f"Réunion {label}", start=soon(days=days))
        occurrence = page.occurrences.get()
        made[label] = [
            Registration.objects.create(
                occurrence=occurrence,
                name=f"Personne {label} {status}",
                email=f"{label}.{status}@example.org",
                organisation="Association du test",
                profile=Registration.Profile.PROJECT_LEADER,
                territory=calvados,
                status=status,
                created_at=now + timedelta(days=days - 20),
            )
            for status in (Registration.Status.CONFIRMED, Registration.Status.CANCELLED)
        ]
    return made


def purge(*args):
    """The last line of the output: what happened to the registrations of past dates."""
    return purge_lines(*args)[-1]


def purge_lines(*args):
    out = io.StringIO()
    call_command("purge_registrations", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()


def fresh(registrations):
    return [Registration.objects.get(pk=registration.pk) for registration in registrations]


def test_old_registrations_are_anonymised_and_keep_their_statistics(registrations, calvados):
    output = purge_lines()

    assert output == [
        "0 inscription(s) non confirmée(s) à temps effacée(s).",
        # Cancelled before the cancellation anonymised at once (and its e-mail cleared the
        # address): the purge does it.
        "3 inscription(s) annulée(s) anonymisée(s).",
        "1 inscription(s) aux dates terminées depuis plus de 30 jours anonymisées.",
    ]
    for registration, before in zip(fresh(registrations["old"]), registrations["old"], strict=True):
        assert registration.name == "Anonyme"
        assert registration.email == ""
        assert registration.organisation == ""
        assert registration.anonymised_at is not None
        assert registration.profile == Registration.Profile.PROJECT_LEADER
        assert registration.territory == calvados
        assert registration.status == before.status
        assert registration.created_at == before.created_at
    for label in ("recent", "upcoming"):
        registration, cancelled = fresh(registrations[label])
        before = registrations[label][0]
        assert (registration.name, registration.email) == (before.name, before.email)
        assert registration.organisation == "Association du test"
        assert registration.anonymised_at is None
        assert (cancelled.name, cancelled.email) == ("Anonyme", "")


def test_anonymising_twice_leaves_anonymised_rows_alone(registrations):
    purge()
    first = {r.pk: r.anonymised_at for r in fresh(registrations["old"])}

    output = purge()

    assert output.startswith("0 inscription(s)")
    assert {r.pk: r.anonymised_at for r in fresh(registrations["old"])} == first


def test_delete_removes_old_registrations_even_anonymised(registrations):
    purge()  # the old ones are anonymised first: they are deleted all the same
    output = purge("--delete")

    assert output == "2 inscription(s) aux dates terminées depuis plus de 30 jours supprimées."
    assert not Registration.objects.filter(pk__in=[r.pk for r in registrations["old"]]).exists()
    kept = [r.pk for r in registrations["recent"] + registrations["upcoming"]]
    assert Registration.objects.filter(pk__in=kept).count() == 4


@pytest.mark.parametrize(
    ("args", "verb"), [((), "seraient anonymisées"), (("--delete",), "seraient supprimées")]
)
def test_dry_run_counts_without_changing_anything(registrations, args, verb):
    output = purge_lines("--dry-run", *args)

    assert output == [
        "0 inscription(s) non confirmée(s) à temps seraient effacées.",
        "3 inscription(s) annulée(s) seraient anonymisées.",
        f"2 inscription(s) aux dates terminées depuis plus de 30 jours {verb}.",
    ]
    for registration, before in zip(fresh(registrations["old"]), registrations["old"], strict=True):
        assert (registration.name, registration.email) == (before.name, before.email)
        assert registration.anonymised_at is None


def test_the_retention_setting_is_respected(registrations, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 5

    output = purge()

    # The cancelled ones were anonymised first: the confirmed ones of the old and recent dates.
    assert output.startswith("2 inscription(s) aux dates terminées depuis plus de 5 jours")
    assert all(r.anonymised_at for r in fresh(registrations["old"] + registrations["recent"]))
    assert not fresh(registrations["upcoming"])[0].anonymised_at


def test_the_days_option_overrides_the_setting(registrations):
    purge("--days", "60")
    assert not fresh(registrations["old"])[0].anonymised_at
    purge("--days", "8")
    assert all(r.anonymised_at for r in fresh(registrations["old"] + registrations["recent"]))


def test_a_retention_under_one_day_is_refused(registrations):
    err = io.StringIO()
    call_command("purge_registrations", "--days", "0", stdout=io.StringIO(), stderr=err)
    assert "au moins un jour" in err.getvalue()
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()


def test_anonymising_uses_a_fixed_number_of_queries(registrations, django_assert_max_num_queries):
    # For each of the three steps (unconfirmed, cancelled, past dates): the ids, the history
    # labels, then one delete or update (the content type is read once); the delete reads the
    # rows first (two queries: no signal handler, but Django collects them).
    with django_assert_max_num_queries(11):
        purge()


def test_the_admin_history_forgets_the_names_too(registrations):
    from wagtail.log_actions import log
    from wagtail.models import ModelLogEntry

    old, recent = registrations["old"][0], registrations["recent"][0]
    log(instance=old, action="wagtail.edit")
    log(instance=recent, action="wagtail.edit")
    purge()
    assert ModelLogEntry.objects.for_instance(old).get().label == "Anonyme"
    assert "Personne recent" in ModelLogEntry.objects.for_instance(recent).get().label


def test_unconfirmed_registrations_are_deleted_once_their_time_is_over(make_event):
    from events.registration import register

    event = make_event(registration_enabled=True, start=soon(days=10))
    occurrence = event.occurrences.get()
    now = timezone.now()
    old = register(
        occurrence.pk,
        name="Ancienne",
        email="ancienne@example.org",
        profile="porteur",
        confirm_by_email=True,
        now=now - timedelta(hours=49),
        send_email=False,
    )
    recent = register(
        occurrence.pk,
        name="Récente",
        email="recente@example.org",
        profile="porteur",
        confirm_by_email=True,
        now=now - timedelta(hours=47),
        send_email=False,
    )
    assert old.confirm_before == old.created_at + timedelta(hours=48)

    assert purge_lines()[0] == "1 inscription(s) non confirmée(s) à temps effacée(s)."
    assert not Registration.objects.filter(pk=old.pk).exists()
    assert Registration.objects.filter(pk=recent.pk).exists()


def test_unconfirmed_registrations_expire_when_registrations_close(make_event, settings):
    from events.registration import register

    settings.EVENT_REGISTRATION_CONFIRMATION_HOURS = 48
    event = make_event(
        registration_enabled=True,
        start=soon(days=10),
        registration_closes_at=timezone.now() + timedelta(hours=3),
    )
    registration = register(
        event.occurrences.get().pk,
        name="Tardive",
        email="tardive@example.org",
        profile="porteur",
        confirm_by_email=True,
        send_email=False,
    )
    assert registration.confirm_before == event.registration_closes_at
