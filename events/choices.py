"""The values an event or a registration takes: kinds, statuses, formats, profiles.

Plain enumerations with no model behind them, so that the modules that only read or write these
values (the iCalendar files, the structured data, the registration form) depend on this module
and not on the models.
"""

from django.db import models

ORGANISER = "CRESS Normandie"


class EventKind(models.TextChoices):
    INFORMATION = "information", "Réunion d'information"
    WORKSHOP = "atelier", "Atelier"
    WORKING_GROUP = "groupe", "Groupe de travail"
    TRAINING = "formation", "Formation"
    WEBINAR = "webinaire", "Webinaire"
    CONFERENCE = "conference", "Conférence ou table ronde"
    FORUM = "rencontre", "Rencontre ou forum"
    OTHER = "autre", "Autre événement"


class EventStatus(models.TextChoices):
    SCHEDULED = "prevu", "Prévu"
    FULL = "complet", "Complet"
    POSTPONED = "reporte", "Reporté"
    CANCELLED = "annule", "Annulé"


class AttendanceMode(models.TextChoices):
    OFFLINE = "presentiel", "Sur place"
    ONLINE = "en-ligne", "En ligne"
    MIXED = "mixte", "Sur place et en ligne"


class RegistrationStatus(models.TextChoices):
    """Where a registration stands (`Registration.Status`)."""

    # Made on the site, the address not confirmed yet: holds no place (see
    # events.registration.confirm).
    PENDING = "aconfirmer", "À confirmer"
    CONFIRMED = "confirmee", "Confirmée"
    WAITING = "attente", "Liste d'attente"
    CANCELLED = "annulee", "Annulée"


class RegistrationProfile(models.TextChoices):
    """Who registers (`Registration.Profile`), for the statistics."""

    PROJECT_LEADER = "porteur", "Porteuse ou porteur de projet"
    ELECTED = "elu", "Élue ou élu d'une collectivité"
    AUTHORITY_STAFF = "technicien", "Agente ou agent d'une collectivité"
    ESS_ORGANISATION = "structure", "Structure de l'ESS"
    PARTNER = "partenaire", "Partenaire, réseau d'accompagnement"
    OTHER = "autre", "Autre"


# Holding a place, or waiting for one.
ACTIVE_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
# Not cancelled: one per address and date.
OPEN_STATUSES = [RegistrationStatus.PENDING, *ACTIVE_STATUSES]


def is_full(status, capacity, confirmed):
    """The one rule for a date with no place left: the editor marked the event « Complet », or
    its `capacity` (None: unlimited) is taken by `confirmed` confirmed registrations."""
    return status == EventStatus.FULL or (capacity is not None and confirmed >= capacity)
