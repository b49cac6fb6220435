"""Everything the site holds about one e-mail address: find it, export it, erase it.

- Event registrations made with the address (events.Registration).
- Form submissions with the address in any answer (Wagtail's FormSubmission).
- The search statistics never hold an address: a search that contains one is recorded as
  "[adresse e-mail]" (search.analytics), so there is nothing to find there.

Erasing cancels the person's upcoming places (each freed place goes to the first person
waiting, as when cancelling, see events.registration.cancel) and anonymises every registration
as the nightly purge does: the name, address and organisation go, the profile, territory and
status stay, for the statistics, without any link to the person. Registrations still to be
confirmed are deleted, and so are the form submissions.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission

from cress_site.erase_links import normalise
from events.models import Registration
from events.registration import ACTIVE, anonymise, cancel, forget_in_history
from home.models import FormField

SEARCH_LOG_NOTE = (
    "Les statistiques de recherche du site ne contiennent aucune adresse e-mail : une recherche "
    "qui en contient une est enregistrée sous la forme « [adresse e-mail] »."
)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def address_pattern(email):
    """The address as a whole word of a text, whatever its case: not "jean@x.fr" inside
    "marie-jean@x.fr" nor "jean@x.fr.com"."""
    return re.compile(
        r"(?<![\w.!#$%&'*+/=?^`{|}~-])" + re.escape(email) + r"(?![\w-]|\.\w)", re.IGNORECASE
    )


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@dataclass
class Held:
    """What the site holds about one address."""

    email: str
    registrations: list = field(default_factory=list)
    submissions: list = field(default_factory=list)
    search_log_note: str = SEARCH_LOG_NOTE

    @property
    def is_empty(self):
        return not self.registrations and not self.submissions


def _registrations(email):
    return list(
        Registration.objects.filter(email__iexact=email)
        .select_related("occurrence__page", "territory")
        .order_by("occurrence__start", "pk")
    )


def _submissions(email):
    pattern = address_pattern(email)
    submissions = FormSubmission.objects.select_related("page").order_by("submit_time", "pk")
    if email.isascii():
        # Stored JSON keeps an ASCII address as it is: the database narrows the search down.
        submissions = submissions.filter(form_data__icontains=email)
    return [
        submission
        for submission in submissions
        if any(pattern.search(text) for text in _strings(submission.form_data))
    ]


def find(email):
    email = normalise(email)
    return Held(email=email, registrations=_registrations(email), submissions=_submissions(email))


def addresses_held():
    """Every address the site holds: those of registrations, then those found in form
    submissions (a generator: the second query runs only when the first did not suffice)."""
    yield from (
        Registration.objects.exclude(email="")
        .order_by()
        .values_list("email", flat=True)
        .distinct()
        .iterator()
    )
    for form_data in FormSubmission.objects.values_list("form_data", flat=True).iterator():
        for text in _strings(form_data):
            for address in _ADDRESS.findall(text):
                yield normalise(address)


def export(held):
    """What is held, as JSON-ready data with French keys (the person reads it)."""
    fields_by_page = _form_field_labels({submission.page_id for submission in held.submissions})
    return {
        "adresse e-mail": held.email,
        "exporté le": timezone.localtime().isoformat(timespec="seconds"),
        "inscriptions aux événements": [
            {
                "événement": registration.occurrence.page.title,
                "date": registration.occurrence.date_label,
                "nom et prénom": registration.name,
                "e-mail": registration.email,
                "structure": registration.organisation,
                "profil": registration.get_profile_display(),
                "territoire": registration.territory.name if registration.territory_id else "",
                "statut": registration.get_status_display(),
                "inscrite le": _iso(registration.created_at),
                "consentement donné le": _iso(registration.consent_at),
                "adresse confirmée le": _iso(registration.confirmed_at),
                "annulée le": _iso(registration.cancelled_at),
            }
            for registration in held.registrations
        ],
        "réponses aux formulaires": [
            {
                "formulaire": submission.page.title,
                "envoyée le": _iso(submission.submit_time),
                "réponses": {
                    fields_by_page.get(submission.page_id, {}).get(name, name): value
                    for name, value in submission.form_data.items()
                },
            }
            for submission in held.submissions
        ],
        "statistiques de recherche": SEARCH_LOG_NOTE,
    }


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _form_field_labels(page_ids):
    """{page id: {field name: label}} for the form pages of these submissions, in one query."""
    labels = {}
    for page_id, name, label in FormField.objects.filter(page_id__in=page_ids).values_list(
        "page_id", "clean_name", "label"
    ):
        labels.setdefault(page_id, {})[name] = label
    return labels


@dataclass
class Erased:
    registrations: int
    submissions: int
    promoted: int


def erase(email, *, now=None):
    """Erase everything held about `email` (see the module docstring). Returns the counts."""
    now = now or timezone.now()
    held = find(email)
    promoted = 0
    with transaction.atomic():
        for registration in held.registrations:
            if registration.is_pending:
                forget_in_history(Registration.objects.filter(pk=registration.pk))
                registration.delete()
            elif registration.status in ACTIVE and registration.occurrence.start > now:
                outcome = cancel(registration, now=now, notify_person=False)
                promoted += outcome.promoted is not None
        anonymise(
            Registration.objects.filter(
                pk__in=[registration.pk for registration in held.registrations],
                anonymised_at__isnull=True,
            ),
            now=now,
        )
        FormSubmission.objects.filter(pk__in=[s.pk for s in held.submissions]).delete()
    return Erased(
        registrations=len(held.registrations),
        submissions=len(held.submissions),
        promoted=promoted,
    )
