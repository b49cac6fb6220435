"""E-mails to the people who register, sent in the background once the transaction commits."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from django_tasks import task

from cress_site.erase_links import erase_url
from cress_site.typography import french_spaces
from events.choices import RegistrationStatus
from events.ical import occurrence_calendar
from events.links import cancel_url, confirm_url
from events.models.registration import Registration

logger = logging.getLogger(__name__)

SUBJECTS = {
    "to_confirm": "Confirmez votre inscription : {title}",
    "confirmed": "Inscription confirmée : {title}",
    "waiting": "Liste d'attente : {title}",
    "promoted": "Une place s'est libérée : vous êtes inscrit·e à {title}",
    "cancelled": "Inscription annulée : {title}",
    "date_cancelled": "Date annulée : {title}",
    "date_moved": "Date modifiée : {title}",
}
# The e-mails that carry the date for the person's calendar.
WITH_CALENDAR = {"confirmed", "promoted", "date_moved", "date_cancelled", "cancelled"}


def site_root_url():
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


@task()
def send_registration_email(registration_id, kind):
    """Tell a person what happened to their registration; attach the date as a .ics file."""

    registration = (
        Registration.objects.select_related("occurrence__page").filter(pk=registration_id).first()
    )
    if registration is None or not registration.email or kind not in SUBJECTS:
        return
    occurrence = registration.occurrence
    page = occurrence.page
    root = site_root_url()
    page_url = page.get_full_url() or root
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "event": page,
        "kind": kind,
        "event_url": page_url,
        "cancel_url": root + cancel_url(registration),
        "confirm_url": root + confirm_url(registration),
        "erase_url": root + erase_url(registration.email),
        "retention_days": settings.EVENT_REGISTRATION_RETENTION_DAYS,
    }
    body = french_spaces(render_to_string("events/emails/registration.txt", context))
    message = EmailMultiAlternatives(
        subject=french_spaces(SUBJECTS[kind].format(title=page.title)),
        body=body,
        to=[registration.email],
    )
    if kind in WITH_CALENDAR:
        cancelled = kind in {"cancelled", "date_cancelled"}
        message.attach(
            "evenement.ics",
            occurrence_calendar(occurrence, registration=registration, cancelled=cancelled),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    message.send()
    logger.info("Registration e-mail %s sent for registration %s", kind, registration_id)
    if kind == "cancelled":
        # The address was kept for this e-mail only (see events.registration.cancel).
        Registration.objects.filter(
            pk=registration.pk,
            status=RegistrationStatus.CANCELLED,
            anonymised_at__isnull=True,
        ).update(email="", anonymised_at=timezone.now())
