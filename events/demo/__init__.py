"""Demo events: the monthly information meeting of the seed, and the chamber's other dates.

Dates are computed from today, so that the calendar always has past dates (its archive) and
upcoming ones. Times are Paris wall-clock times. Venues and street addresses are invented for
the demo; the people registered for the full workshop are fictitious and use the reserved
`example.org` domain (their confirmation e-mails go to the console in development).

This module creates the pages and the registrations; `events.demo.events` says what each event
is, with the helpers of `events.demo.pages`.
"""

from datetime import timedelta

from django.utils import timezone

from events.demo.events import FULL_WORKSHOP_SLUG, MEETING_SLUG, event_factories
from events.models import Audience, EventIndexPage
from events.registration import confirm, register

__all__ = ["FULL_WORKSHOP_SLUG", "MEETING_SLUG", "build_events"]

# The audiences of the data migration events/0002_audiences, recreated on a flushed database.
AUDIENCES = {
    "porteurs-de-projet": "Porteurs de projet",
    "elus-et-techniciens-de-collectivites": "Élus et techniciens de collectivités",
    "structures-de-less": "Structures de l'ESS",
    "grand-public": "Grand public",
}

# The people registered for the full workshop: three places, then the waiting list.
WORKSHOP_PEOPLE = [
    ("Camille Lefèvre", "camille.lefevre@example.org", "porteur", ""),
    ("Yannick Morel", "yannick.morel@example.org", "structure", "Association Les Jardins partagés"),
    ("Inès Marchand", "ines.marchand@example.org", "porteur", ""),
    ("Thomas Lemonnier", "thomas.lemonnier@example.org", "porteur", ""),
    ("Sophie Duval", "sophie.duval@example.org", "porteur", "Collectif Habiter autrement"),
    ("Hugo Bertin", "hugo.bertin@example.org", "elu", "Commune de Tourlaville"),
]
# Registered today and not confirmed yet: "à confirmer" in the admin, holding no place.
UNCONFIRMED_EMAIL = "hugo.bertin@example.org"


def build_events(site):
    """Create the calendar and its demo events, under the `DemoSite`'s home page."""
    home, created, child = site.home, site.created, site.child
    for slug, name in AUDIENCES.items():
        Audience.objects.get_or_create(slug=slug, defaults={"name": name})
    agenda = child(home, EventIndexPage, "agenda", created, _index_page)
    for slug, factory in event_factories(timezone.localdate()):
        if agenda.get_children().filter(slug=slug).exists():
            continue
        page = factory()
        page.slug = slug
        agenda.add_child(instance=page)
        page.save_revision().publish()  # stores the dates (events.signal_handlers)
        created.append(f"événement « {page.title} »")
        if slug == FULL_WORKSHOP_SLUG:
            _register_workshop_people(page, created)
    return agenda


def _index_page():
    return EventIndexPage(
        title="Agenda",
        seo_title="Agenda de la CRESS Normandie",
        show_in_menus=True,
        intro="Réunions d'information pour créer une entreprise de l'ESS, ateliers pour les élus, "
        "groupes de travail, formations et webinaires : les rendez-vous de la CRESS Normandie "
        "dans les cinq départements et en ligne. Inscrivez-vous en quelques clics.",
        listing_summary="Les prochains rendez-vous de la CRESS : réunions d'information, "
        "ateliers, formations et webinaires, à filtrer par territoire et par public.",
    )


# -- registrations -----------------------------------------------------------------------------


def _register_workshop_people(page, created):
    """Fill the full workshop: three confirmed places, then two people on the waiting list, and
    one registration still to be confirmed (it holds no place).

    They register through `events.registration.register`, as on the site, over the past days,
    and confirm from the e-mail's link (`events.registration.confirm`) an hour later.
    """
    occurrence = page.occurrences.get()
    territory = page.territory
    now = timezone.now()
    first_day = now - timedelta(days=len(WORKSHOP_PEOPLE))
    for position, (name, email, profile, organisation) in enumerate(WORKSHOP_PEOPLE):
        day = first_day + timedelta(days=position)
        registration = register(
            occurrence.pk,
            name=name,
            email=email,
            profile=profile,
            organisation=organisation,
            territory=territory,
            now=day,
            send_email=False,  # fictitious people: nobody to write to
            confirm_by_email=True,
        )
        if email != UNCONFIRMED_EMAIL:
            confirm(registration, now=day + timedelta(hours=1), send_email=False)
    created.append(f"{len(WORKSHOP_PEOPLE)} inscriptions à « {page.title} »")
