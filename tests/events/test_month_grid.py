"""The month grid's rows, written by `agenda_tags.month_grid_weeks`, are the markup the template
loops wrote before it: the template below is kept as the reference and both are compared on
months with every kind of cell (today, days of the months around, busy days, a date spanning
several days, a cancelled date, an all-day date without a time, a title to escape)."""

import calendar
import re
from datetime import timedelta
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone

from cress_site.typography import french_html
from events.models import EventOccurrence
from events.month_grid import MonthGrid, grid_dates
from tests.events.conftest import paris

# The template's loops, as they were.
REFERENCE = (Path(__file__).parent / "month_grid_reference.html").read_text(encoding="utf-8")


def squeeze(html):
    """The template's indentation left out: what lies between a tag and a line break."""
    return re.sub(r">\s*\n\s*", ">", re.sub(r"\s*\n\s*<", "<", html.strip()))


def grid_rows(client, agenda, year, month):
    response = client.get(f"{agenda.url}{year:04d}/{month:02d}/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = html[html.index("<tbody>") + len("<tbody>") : html.index("</tbody>")]
    # The reference reads the same dates as model instances, with their pages.
    month = response.context["month"]
    instances = EventOccurrence.objects.select_related("page").in_bulk(
        [date.pk for date in month.occurrences]
    )
    for instance in instances.values():
        instance.days = instance.local_days()  # what `MonthGrid` reads of a `GridDate`
    as_rows = MonthGrid(
        month.year,
        month.month,
        calendar.Calendar().monthdatescalendar(year, month.month),
        [instances[date.pk] for date in month.occurrences],
        timezone.localdate(),
        load=None,
    )
    reference = Template(REFERENCE).render(
        Context({"month": as_rows, "request": response.wsgi_request})
    )
    # The page's French spaces are the typography middleware's, for both.
    return squeeze(rows), squeeze(french_html(reference))


def test_the_rows_are_the_reference_markup_this_month(client, agenda, make_event):
    today = timezone.localdate()
    first = today.replace(day=1)

    def at(day, hour=14):
        return paris(day.year, day.month, day.day, hour)

    make_event("Réunion d'aujourd'hui", start=at(today, 9))
    make_event('Atelier <b>« Coopérer »</b> & "Agir"', start=at(first + timedelta(days=9)))
    make_event(
        "Salon des solidarités",
        start=at(first + timedelta(days=14), 0),
        end=at(first + timedelta(days=15), 23),
        all_day=True,
    )
    make_event("Forum annulé", start=at(first + timedelta(days=20), 10), status="annule")
    make_event("Veille du mois", start=at(first - timedelta(days=1), 18))
    make_event("Second rendez-vous du jour", start=at(today, 17), listing_title="Titre court")
    make_event("Réunion à Évreux", start=at(first + timedelta(days=4)), slug="réunion-à-évreux")
    rows, reference = grid_rows(client, agenda, today.year, today.month)
    assert rows == reference
    # What the comparison is about is there.
    assert 'aria-current="date"' in rows and "(aujourd'hui)" in rows
    assert "month-grid__day--outside" in rows
    assert rows.count("Salon des solidarités") == 2
    assert "Atelier &lt;b&gt;«" in rows and "&lt;/b&gt; &amp; &quot;Agir&quot;</a>" in rows
    assert "month-grid__event--cancelled" in rows and "Annulé</span>" in rows
    assert "Titre court" in rows and "Second rendez-vous du jour" not in rows
    # A slug in other letters than ASCII, quoted as Wagtail's `pageurl` writes it.
    assert 'href="/agenda/r%C3%A9union-%C3%A0-%C3%A9vreux/"' in rows


def test_the_rows_are_the_reference_markup_for_an_empty_month(client, agenda):
    rows, reference = grid_rows(client, agenda, 2031, 2)
    assert rows == reference
    assert "month-grid__day--today" not in rows and "<ul" not in rows


def test_an_event_outside_the_agenda_gets_its_url_from_its_page(agenda, rf):
    # The agenda lists only the events below it; any other is read as a page (`read_url`).
    start = timezone.now()
    row = {
        "pk": 1,
        "page_id": 2,
        "start": start,
        "end": start + timedelta(hours=2),
        "cancelled": False,
        "page__title": "Ailleurs",
        "page__listing_title": "",
        "page__status": "prevu",
        "page__all_day": False,
    }
    below = {**row, "page__url_path": agenda.url_path + "atelier-élus/"}
    elsewhere = {**row, "page__url_path": "/accueil/autre-rubrique/atelier/"}
    dates = grid_dates([below, elsewhere], agenda, rf.get("/"), lambda path: f"lu:{path}")
    assert [date.url for date in dates] == [
        agenda.url + "atelier-%C3%A9lus/",
        "lu:/accueil/autre-rubrique/atelier/",
    ]
