"""The secret links e-mailed to a person who registers: the one that confirms the registration
and the one that cancels it.

Each carries the registration's random token, signed with its own salt (a cancel link does not
confirm, nor the other way round).
"""

import uuid

from django.core import signing
from django.urls import reverse

from events.models.registration import Registration

CANCEL_SALT = "events.registration.cancel"
CONFIRM_SALT = "events.registration.confirm"


def cancel_token(registration):
    """The signed token of a registration's cancel link (its secret UUID, signed)."""
    return signing.Signer(salt=CANCEL_SALT).sign(registration.token.hex)


def confirm_token(registration):
    """The signed token of the link that confirms a registration (another salt: a cancel
    link does not confirm, nor the other way round)."""
    return signing.Signer(salt=CONFIRM_SALT).sign(registration.token.hex)


def registration_from_signed_token(signed, salt):
    try:
        token = signing.Signer(salt=salt).unsign(signed)
    except signing.BadSignature:
        return None
    return registration_from_token(token)


def registration_from_cancel_token(signed):
    return registration_from_signed_token(signed, CANCEL_SALT)


def registration_from_token(token):
    """The registration whose secret token (a random UUID, sent only to the person) is given."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return (
        Registration.objects.select_related("occurrence__page", "territory")
        .filter(token=value)
        .first()
    )


def cancel_url(registration, request=None):
    path = reverse("events:cancel_registration", args=[cancel_token(registration)])
    return request.build_absolute_uri(path) if request is not None else path


def confirm_url(registration):
    return reverse("events:confirm_registration", args=[confirm_token(registration)])
