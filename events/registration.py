"""Registering for a date, confirming it, cancelling, without ever exceeding the capacity.

Each runs in a transaction that first locks the date's row (`SELECT … FOR UPDATE` on PostgreSQL;
SQLite takes its write lock at the start of the transaction, see the `transaction_mode` setting),
so that two people submitting or confirming at the same moment are counted one after the other.

A registration made on the site is *à confirmer* (`Registration.Status.PENDING`): it holds no
place until the person follows the link e-mailed to the address given and confirms it; only then
does the capacity decide between a place and the waiting list. So nobody can take a place in
someone else's name, and the site writes only once to an address nobody confirmed. A
registration not confirmed within `EVENT_REGISTRATION_CONFIRMATION_HOURS` (or before the date's
registrations close, if sooner) is deleted by `purge_registrations`. Registrations made by staff
or scripts skip the step (`confirm_by_email=False`, the default).

A cancelled registration keeps no personal data: its name and organisation are erased at once,
its address once the e-mail confirming the cancellation has left (events.tasks); profile,
territory and status stay, for the statistics, as `purge_registrations` keeps them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import ModelLogEntry

from events.choices import ACTIVE_STATUSES, OPEN_STATUSES, is_full
from events.models.occurrence import EventOccurrence
from events.models.registration import Registration
from events.tasks import send_registration_email

# Holding a place, or waiting for one.
ACTIVE = ACTIVE_STATUSES
# Not cancelled: one per address and date.
OPEN = OPEN_STATUSES
ANONYMOUS_NAME = "Anonyme"
ALREADY_REGISTERED = (
    "Cette adresse e-mail est déjà inscrite à cette date. Pour annuler, utilisez le lien reçu "
    "dans l'e-mail de confirmation."
)
FULL_WITHOUT_WAITING_LIST = "Cette date est complète et n'a pas de liste d'attente."
EXPIRED = (
    "Ce lien de confirmation a expiré : la demande d'inscription a été effacée. Vous pouvez vous "
    "inscrire de nouveau depuis la page de l'événement."
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


def confirmation_deadline(occurrence, now):
    """Until when a registration made now may be confirmed: a few hours, and never after the
    date's registrations close."""
    hours = settings.EVENT_REGISTRATION_CONFIRMATION_HOURS
    return min(now + timedelta(hours=hours), occurrence.registration_closes_at)


def _lock(occurrence_id):
    return (
        EventOccurrence.objects.select_for_update()
        .select_related("page")
        .filter(pk=occurrence_id)
        .first()
    )


def _confirmed(occurrence):
    """The confirmed registrations of a date, counted now (not an annotation read earlier)."""
    return Registration.objects.filter(
        occurrence=occurrence, status=Registration.Status.CONFIRMED
    ).count()


def _place_status(occurrence):
    """CONFIRMED while places remain, else WAITING; inside the caller's locked transaction.

    Raises `RegistrationRefused` when the date is full and has no waiting list.
    """
    page = occurrence.page
    full = is_full(page.status, page.capacity, _confirmed(occurrence))
    if full and not page.waiting_list:
        raise RegistrationRefused(FULL_WITHOUT_WAITING_LIST, field="occurrence")
    return Registration.Status.WAITING if full else Registration.Status.CONFIRMED


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
    confirm_by_email=False,
):
    """Register a person for a date: confirmed while places remain, else on the waiting list.

    With `confirm_by_email` (the public form), the registration is only *à confirmer*: it holds
    no place, and the person is sent the link that confirms it (a second request for the same
    address and date updates it and sends the link again). Raises `RegistrationRefused` with a
    French message when the date does not accept it. `send_email=False` sends nothing
    (registrations made by a script).
    """
    email = normalise_email(email)
    now = now or timezone.now()
    details = {
        "name": name.strip(),
        "organisation": organisation.strip(),
        "profile": profile,
        "territory": territory,
        "created_at": now,
        "consent_at": now,
    }
    try:
        with transaction.atomic():
            occurrence = _lock(occurrence_id)
            if occurrence is None:
                raise RegistrationRefused("Cette date n'existe pas ou plus.", field="occurrence")
            refusal = occurrence.registration_refusal(now=now)
            if refusal:
                raise RegistrationRefused(refusal, field="occurrence")
            registrations = Registration.objects.filter(occurrence=occurrence, email=email)
            if registrations.filter(status__in=ACTIVE).exists():
                raise RegistrationRefused(ALREADY_REGISTERED, field="email")
            status = _place_status(occurrence)
            if confirm_by_email:
                registration = registrations.filter(status=Registration.Status.PENDING).first()
                if registration is None:
                    registration = Registration(occurrence=occurrence, email=email)
                for field, value in details.items():
                    setattr(registration, field, value)
                registration.status = Registration.Status.PENDING
                registration.confirm_before = confirmation_deadline(occurrence, now)
                registration.save()
            else:
                registration = Registration.objects.create(
                    occurrence=occurrence, email=email, status=status, **details
                )
    except IntegrityError as error:  # the same e-mail, at the very same moment
        raise RegistrationRefused(ALREADY_REGISTERED, field="email") from error
    if send_email:
        notify(registration, _kind(registration))
    return registration


def _kind(registration):
    return {
        Registration.Status.PENDING: "to_confirm",
        Registration.Status.WAITING: "waiting",
    }.get(registration.status, "confirmed")


def confirm(registration, *, now=None, send_email=True):
    """The person confirmed their address: the place is theirs if one remains, else they join
    the waiting list (decided now, under the date's lock, never beyond the capacity).

    Confirming twice changes nothing. Raises `RegistrationRefused` when the link has expired,
    the date no longer takes registrations, or it is full without a waiting list.
    `send_email=False` sends nothing (a script).
    """
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock(registration.occurrence_id)
        current = Registration.objects.filter(pk=registration.pk).first()
        if current is None or occurrence is None:
            raise RegistrationRefused(EXPIRED)
        if current.status != Registration.Status.PENDING:
            return current
        if current.confirm_before is not None and now >= current.confirm_before:
            raise RegistrationRefused(EXPIRED)
        refusal = occurrence.registration_refusal(now=now)
        if refusal:
            raise RegistrationRefused(refusal)
        current.status = _place_status(occurrence)
        current.confirmed_at = now
        current.confirm_before = None
        current.save(update_fields=["status", "confirmed_at", "confirm_before"])
        current.occurrence = occurrence
    if send_email:
        notify(current, _kind(current))
    return current


def cancel(registration, *, now=None, notify_person=True):
    """Cancel a registration; a confirmed place goes to the first person waiting.

    The name and organisation are erased at once; the address goes once the e-mail confirming
    the cancellation has left (at once with `notify_person=False`). Returns an `Outcome` with
    the person promoted, if any. Cancelling twice does nothing.
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
        current.name = ANONYMOUS_NAME
        current.organisation = ""
        fields = ["status", "cancelled_at", "name", "organisation"]
        if not notify_person:
            current.email = ""
            current.anonymised_at = now
            fields += ["email", "anonymised_at"]
        current.save(update_fields=fields)
        forget_in_history(Registration.objects.filter(pk=current.pk))
        promoted = None
        if freed_place:
            promoted = promote_waiting(current.occurrence, now=now)
    if notify_person:
        notify(current, "cancelled")
    return Outcome(registration=current, promoted=promoted)


def promote_waiting(occurrence, *, now=None):
    """Give a free place to the first person waiting (inside the caller's locked transaction)."""
    now = now or timezone.now()
    page = occurrence.page
    if occurrence.is_cancelled or occurrence.start <= now:
        return None
    if is_full(page.status, page.capacity, _confirmed(occurrence)):
        return None
    first_waiting = (
        Registration.objects.filter(occurrence=occurrence, status=Registration.Status.WAITING)
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


def anonymise(registrations, *, now=None):
    """Erase the name, address and organisation of these registrations (a queryset), in the
    admin's history too; profile, territory and status stay. Returns how many changed."""
    now = now or timezone.now()
    forget_in_history(registrations)
    return registrations.update(name=ANONYMOUS_NAME, email="", organisation="", anonymised_at=now)


def forget_in_history(registrations):
    """The admin's history names each registration it logged: remove the names too."""
    content_type = ContentType.objects.get_for_model(Registration)
    ids = [str(pk) for pk in registrations.values_list("pk", flat=True)]
    for start in range(0, len(ids), 500):
        ModelLogEntry.objects.filter(
            content_type=content_type, object_id__in=ids[start : start + 500]
        ).update(label=ANONYMOUS_NAME)


def notify(registration, kind):
    """E-mail the person once the transaction has committed (see events.tasks)."""
    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration_id=registration.pk, kind=kind)
    )
