"""French typography in what the public reads: every page type and the registration e-mails.

Times read "9 h 30" (never "09:30"), the first of a month "1er juin" (never "1 juin"), file sizes
"Ko"/"Mo" (never "Kio"). A date on the first of a month at 9:30 is added to the demo agenda, so
that each rule is met on the agenda, the event, its month and its e-mails.
"""

import re
from datetime import UTC, date, datetime, timedelta

from django.core import mail
from django.utils import timezone

import pytest

from cress_site import typography
from events.registration import cancel, confirm, register
from tests.cress_site.test_query_budgets import urls
from tests.events.conftest import paris

pytestmark = pytest.mark.django_db

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
FIRST_WITHOUT_ER = re.compile(rf"\b1[\s\u00a0\u202f]+({MONTHS})\b", re.IGNORECASE)
BINARY_UNITS = re.compile(r"\b[KMG]io\b")
PERSON = {"name": "Camille Martin", "profile": "porteur", "email": "camille@example.org"}


def reader_text(html):
    """What a reader sees: no script nor style, no tag (so no attribute), no URL."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<[^>]*>", " ", html)
    return re.sub(r"https?://\S+", " ", html)


def slips(text):
    return (
        CLOCK_TIME.findall(text)
        + [f"1 {month}" for month in FIRST_WITHOUT_ER.findall(text)]
        + BINARY_UNITS.findall(text)
    )


@pytest.fixture
def first_of_next_month_event(make_event):
    today = timezone.localdate()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    start = paris(first.year, first.month, 1, 9, 30)
    return make_event(
        "Atelier du premier du mois",
        start=start,
        end=start + timedelta(hours=2),
        registration_enabled=True,
        capacity=1,
        registration_deadline_hours=24,
    )


def test_every_public_page_type_follows_french_typography(client, first_of_next_month_event):
    event = first_of_next_month_event
    start = event.occurrences.get().start
    pages = {name: url for name, url in urls().items() if not url.endswith(".ics")} | {
        "event on the first": event.url,
        "its month": event.get_parent().url + f"{start:%Y/%m}/",
        "its registration": event.url + "inscription/",
        "search": "/recherche/?q=atelier",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert slips(reader_text(response.content.decode())) == [], name
    agenda = reader_text(client.get(event.get_parent().url).content.decode())
    assert re.search(r"1er\s+juin|1er\s+\w+", agenda)
    assert "9\u00a0h\u00a030" in reader_text(client.get(event.url).content.decode())


def test_registration_emails_follow_french_typography(
    first_of_next_month_event, django_capture_on_commit_callbacks
):
    occurrence = first_of_next_month_event.occurrences.get()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(occurrence.pk, **PERSON, confirm_by_email=True)
        confirm(registration)
        waiting = register(occurrence.pk, **{**PERSON, "email": "dominique@example.org"})
        cancel(registration)
    assert waiting.email
    assert len(mail.outbox) >= 4
    for message in mail.outbox:
        text = reader_text(message.body) + " " + message.subject
        assert slips(text) == [], message.subject
        assert "\u00a0:" in message.subject, message.subject
    confirmed = next(m for m in mail.outbox if m.subject.startswith("Inscription confirmée"))
    assert re.search(r"1er \w+ \d{4} à 9\u00a0h\u00a030 – fin à 11\u00a0h\u00a030", confirmed.body)


@pytest.mark.parametrize(
    ("value", "format_string", "expected"),
    [
        (date(2027, 6, 1), "j F Y", "1er juin 2027"),
        (date(2027, 6, 1), "l j F", "mardi 1er juin"),
        (date(2027, 6, 2), "j F Y", "2 juin 2027"),
        (date(2027, 6, 1), r"\j j", "j 1er"),
    ],
)
def test_dates_write_the_first_of_a_month_1er(value, format_string, expected):
    assert typography.date_label(value, format_string) == expected


def test_times_and_deadlines_read_the_french_way():
    assert typography.time_label(paris(2027, 6, 1, 9, 30)) == "9\u00a0h\u00a030"
    assert typography.time_label(paris(2027, 6, 1, 14)) == "14\u00a0h"
    assert typography.datetime_label(paris(2027, 6, 1, 9, 5)) == "1er juin 2027 à 9\u00a0h\u00a005"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inscription : Atelier", "Inscription\u00a0: Atelier"),
        ("Pourquoi soutenir l'ESS ?", "Pourquoi soutenir l'ESS\u202f?"),
        ("Recherche « emploi »", "Recherche «\u202femploi\u202f»"),
        ("Oui ! Non ; peut-être", "Oui\u202f! Non\u202f; peut-être"),
        ("https://example.org/a?b=1 à 10:30", "https://example.org/a?b=1 à 10:30"),
    ],
)
def test_french_spaces(text, expected):
    assert typography.french_spaces(text) == expected


def test_a_date_label_is_the_same_made_again_and_follows_the_language():
    from django.utils import translation

    first = typography.date_label(paris(2027, 6, 1, 23, 30), "l j F Y")
    assert first == typography.date_label(date(2027, 6, 1), "l j F Y") == "mardi 1er juin 2027"
    # 22:30 UTC on 31 May is already 1 June in Paris (summer time).
    assert typography.date_label(datetime(2027, 5, 31, 22, 30, tzinfo=UTC), "j F") == "1er juin"
    with translation.override("en"):
        assert typography.date_label(date(2027, 6, 2), "l j F Y") == "Wednesday 2 June 2027"
    assert typography.date_label(date(2027, 6, 2), "l j F Y") == "mercredi 2 juin 2027"


def test_a_date_label_refuses_the_letters_of_a_time():
    with pytest.raises(TypeError):
        typography.date_label(paris(2027, 6, 1, 9, 30), "j F Y H:i")


@pytest.mark.parametrize(
    "value",
    [
        paris(2027, 6, 1, 9, 30),  # summer time
        paris(2027, 1, 5, 14),  # winter time
        datetime(2027, 3, 28, 0, 59, 59, 123456, tzinfo=UTC),  # the hour the clocks change
        datetime(2027, 6, 1, 9, 30),  # naive
        date(2027, 6, 1),
    ],
)
def test_iso_datetime_is_what_djangos_date_c_writes(value):
    from django.template import Context, Template

    template = Template("{% load typography %}{{ value|date:'c' }}|{{ value|iso_datetime }}")
    django_c, ours = template.render(Context({"value": value})).split("|")
    assert ours == django_c
