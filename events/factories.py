"""Factories for the calendar, its events, their dates and registrations (tests and scripts).

`EventPageFactory` publishes the page as an editor would, which stores its dates
(`EventPage.sync_occurrences`): `EventPageFactory(registration_enabled=True).occurrences.get()`
is a date people can register for. `RegistrationFactory` stores a registration as given, without
the capacity check of `events.registration.register` (use that to test the capacity).
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Site

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cress_site.models import Territory
from events.models import (
    Audience,
    EventIndexPage,
    EventKind,
    EventOccurrence,
    EventPage,
    Registration,
)
from events.recurrence import PARIS


def default_site_root():
    return Site.objects.get(is_default_site=True).root_page.specific


def in_ten_days():
    """Ten days from now, at 14:00 in Paris."""
    day = timezone.localdate() + timedelta(days=10)
    return datetime(day.year, day.month, day.day, 14, tzinfo=PARIS)


class AudienceFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Audience
        django_get_or_create = ("slug",)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    """A calendar below the home page of the default site."""

    parent = factory.LazyFunction(default_site_root)
    title = factory.Sequence(lambda n: f"Agenda {n}")
    intro = "Les rendez-vous de la CRESS Normandie."

    class Meta:
        model = EventIndexPage


def first_calendar():
    return EventIndexPage.objects.first() or EventIndexPageFactory()


class EventPageFactory(wagtail_factories.PageFactory):
    """A two-hour information meeting in Caen, ten days from now, published; `publish=False`
    leaves it unpublished, without stored dates."""

    parent = factory.LazyFunction(first_calendar)
    title = factory.Sequence(lambda n: f"Réunion d'information {n}")
    summary = "Les étapes de la création d'une entreprise de l'ESS."
    kind = EventKind.INFORMATION
    start = factory.LazyFunction(in_ten_days)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    venue_name = "Maison des associations"
    venue_city = "Caen"
    territory = factory.LazyFunction(
        lambda: Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT, code="14").first()
    )

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save_revision().publish()
            obj.refresh_from_db()  # the published revision's values (live_revision…)


class EventOccurrenceFactory(DjangoModelFactory):
    """A stored date of an unpublished event (publishing would store the event's own dates)."""

    page = factory.SubFactory(EventPageFactory, publish=False)
    start = factory.LazyAttribute(lambda o: o.page.start)
    end = factory.LazyAttribute(lambda o: o.page.end)
    original_date = factory.LazyAttribute(lambda o: timezone.localtime(o.start).date())

    class Meta:
        model = EventOccurrence


class RegistrationFactory(DjangoModelFactory):
    """A confirmed registration for a date of an event that takes registrations."""

    occurrence = factory.SubFactory(EventOccurrenceFactory, page__registration_enabled=True)
    name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    profile = Registration.Profile.PROJECT_LEADER
    status = Registration.Status.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Registration
