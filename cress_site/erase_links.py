"""The "supprimer mes données" link of the e-mails: one per e-mail address.

Any app that writes to people (events' registration e-mails) builds the link here, and the
personal_data app, which answers it, reads the token here: so the apps that send e-mails need
not import personal_data, which sits above them.

The link does not carry the address itself (a signed value is only base64: the address would be
readable in the access logs of every server on the way), but a keyed hash of it (HMAC-SHA256
with SECRET_KEY): it cannot be forged, and says nothing to whoever reads it. The view finds
the address among those the site holds (`personal_data.records.addresses_held`), which are few:
registrations lose theirs EVENT_REGISTRATION_RETENTION_DAYS days after the event, form
submissions are deleted after FORM_SUBMISSION_RETENTION_DAYS days. A link whose address is no
longer held says so.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "personal_data.erase"
TOKEN_LENGTH = 40  # hexadecimal characters: 160 bits


def normalise(email):
    return email.strip().lower()


def address_token(email, secret=None):
    digest = salted_hmac(SALT, normalise(email), secret=secret, algorithm="sha256")
    return digest.hexdigest()[:TOKEN_LENGTH]


def erase_url(email):
    """The path of the page that erases everything held about `email`."""
    return reverse("personal_data:erase", args=[address_token(email)])


def address_for_token(token, addresses):
    """The address among `addresses` whose token is `token` (SECRET_KEY_FALLBACKS accepted,
    so that rotating the key does not break the links already sent), or None."""
    if len(token) != TOKEN_LENGTH:
        return None
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for address in addresses:
        for secret in secrets:
            if constant_time_compare(address_token(address, secret), token):
                return address
    return None
