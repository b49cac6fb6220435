"""purge_registrations: personal data of past registrations is anonymised (or deleted)."""

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
    out = io.StringIO()
    call_command("purge_registrations", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fresh(registrations):
    return [Registration.objects.get(pk=registration.pk) for registration in registrations]


def test_old_registrations_are_anonymised_and_keep_their_statistics(registrations, calvados):
    output = purge()

    assert output.strip() == (
        "2 inscription(s) aux dates terminées depuis plus de 30 jours anonymisées."
    )
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
        for registration, before in zip(
            fresh(registrations[label]), registrations[label], strict=True
        ):
            assert (registration.name, registration.email) == (before.name, before.email)
            assert registration.organisation == "Association du test"
            assert registration.anonymised_at is None


def test_anonymising_twice_leaves_anonymised_rows_alone(registrations):
    purge()
    first = {r.pk: r.anonymised_at for r in fresh(registrations["old"])}

    output = purge()

    assert output.startswith("0 inscription(s)")
    assert {r.pk: r.anonymised_at for r in fresh(registrations["old"])} == first


def test_delete_removes_old_registrations_even_anonymised(registrations):
    purge()  # the old ones are anonymised first: they are deleted all the same
    output = purge("--delete")

    assert output.strip() == (
        "2 inscription(s) aux dates terminées depuis plus de 30 jours supprimées."
    )
    assert not Registration.objects.filter(pk__in=[r.pk for r in registrations["old"]]).exists()
    kept = [r.pk for r in registrations["recent"] + registrations["upcoming"]]
    assert Registration.objects.filter(pk__in=kept).count() == 4


@pytest.mark.parametrize(
    ("args", "verb"), [((), "seraient anonymisées"), (("--delete",), "seraient supprimées")]
)
def test_dry_run_counts_without_changing_anything(registrations, args, verb):
    output = purge("--dry-run", *args)

    assert output.strip() == f"2 inscription(s) aux dates terminées depuis plus de 30 jours {verb}."
    for registration, before in zip(fresh(registrations["old"]), registrations["old"], strict=True):
        assert (registration.name, registration.email) == (before.name, before.email)
        assert registration.anonymised_at is None


def test_the_retention_setting_is_respected(registrations, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 5

    output = purge()

    assert output.startswith("4 inscription(s) aux dates terminées depuis plus de 5 jours")
    assert all(r.anonymised_at for r in fresh(registrations["old"] + registrations["recent"]))
    assert not any(r.anonymised_at for r in fresh(registrations["upcoming"]))


def test_the_days_option_overrides_the_setting(registrations):
    purge("--days", "60")
    assert not any(r.anonymised_at for r in fresh(registrations["old"]))
    purge("--days", "8")
    assert all(r.anonymised_at for r in fresh(registrations["old"] + registrations["recent"]))


def test_a_retention_under_one_day_is_refused(registrations):
    err = io.StringIO()
    call_command("purge_registrations", "--days", "0", stdout=io.StringIO(), stderr=err)
    assert "au moins un jour" in err.getvalue()
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()


def test_anonymising_uses_a_fixed_number_of_queries(registrations, django_assert_max_num_queries):
    # the content type, the ids, the history labels, then one update
    with django_assert_max_num_queries(4):
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
