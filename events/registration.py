"""Registering for a date and cancelling, without ever exceeding the capacity.

Both run in a transaction that first locks the date's row (`SELECT … FOR UPDATE` on PostgreSQL;
SQLite takes its write lock at the start of the transaction, see the `transaction_mode` setting),
so that two people submitting at the same moment are counted one after the other.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import EventOccurrence, Registration

ACTIVE = [Registration.Status.CONFIRMED, Registration.Status.WAITING]
ALREADY_REGISTERED = (
    "Cette adresse e-mail est déjà inscrite à cette date. Pour annuler, utilisez le lien reçu "
    "dans l'e-mail de confirmation."
)


class RegistrationRefused(Exception):
    """Why a registration was refused, in French, for the person who asked."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Outcome:
    registration: Registration
    promoted: Registration | None = None


def normalise_email(email):
    return email.strip().lower()


def register(
    occurrence_id,
    *,
    name,
    email,
    profile,
    organisation="",
    territory=None,
    now=None,
    send_email=True,
):
    """Register a person for a date: confirmed while places remain, else on the waiting list.

    Raises `RegistrationRefused` with a French message when the date does not accept it.
    `send_email=False` skips the confirmation (registrations made by a script).
    """
    email = normalise_email(email)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            occurrence = (
                EventOccurrence.objects.select_for_update()
                .select_related("page")
                .filter(pk=occurrence_id)
                .first()
            )
            if occurrence is None:
                raise RegistrationRefused("Cette date n'existe pas ou plus.", field="occurrence")
            refusal = occurrence.registration_refusal(now=now)
            if refusal:
                raise RegistrationRefused(refusal, field="occurrence")
            registrations = Registration.objects.filter(occurrence=occurrence)
            if registrations.filter(email=email, status__in=ACTIVE).exists():
                raise RegistrationRefused(ALREADY_REGISTERED, field="email")
            confirmed = registrations.filter(status=Registration.Status.CONFIRMED).count()
            page = occurrence.page
            full = page.status == "complet" or (
                page.capacity is not None and confirmed >= page.capacity
            )
            if full and not page.waiting_list:
                raise RegistrationRefused(
                    "Cette date est complète et n'a pas de liste d'attente.", field="occurrence"
                )
            registration = Registration.objects.create(
                occurrence=occurrence,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                profile=profile,
                territory=territory,
                status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                created_at=now,
                consent_at=now,
            )
    except IntegrityError as error:  # the same e-mail, at the very same moment
        raise RegistrationRefused(ALREADY_REGISTERED, field="email") from error
    if send_email:
        notify(registration, "waiting" if registration.status == "attente" else "confirmed")
    return registration


def cancel(registration, *, now=None):
    """Cancel a registration; a confirmed place goes to the first person waiting.

    Returns an `Outcome` with the person promoted, if any. Cancelling twice does nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        EventOccurrence.objects.select_for_update().filter(pk=registration.occurrence_id).first()
        current = Registration.objects.select_related("occurrence__page").get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return Outcome(registration=current)
        freed_place = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        promoted = None
        if freed_place:
            promoted = promote_waiting(current.occurrence, now=now)
    notify(current, "cancelled")
    return Outcome(registration=current, promoted=promoted)


def promote_waiting(occurrence, *, now=None):
    """Give a free place to the first person waiting (inside the caller's locked transaction)."""
    now = now or timezone.now()
    page = occurrence.page
    if occurrence.is_cancelled or occurrence.start <= now:
        return None
    registrations = Registration.objects.filter(occurrence=occurrence)
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED).count()
    if page.status == "complet" or (page.capacity is not None and confirmed >= page.capacity):
        return None
    first_waiting = (
        registrations.filter(status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first_waiting is None:
        return None
    first_waiting.status = Registration.Status.CONFIRMED
    first_waiting.promoted_at = now
    first_waiting.save(update_fields=["status", "promoted_at"])
    notify(first_waiting, "promoted")
    return first_waiting


def notify(registration, kind):
    """E-mail the person once the transaction has committed (see events.tasks)."""
    from events.tasks import send_registration_email

    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration_id=registration.pk, kind=kind)
    )
