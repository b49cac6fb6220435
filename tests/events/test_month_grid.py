"""The month grid's rows, written by `agenda_tags.month_grid_weeks`, are the markup the template
loops wrote before it: the template below is kept as the reference and both are compared on
months with every kind of cell (today, days of the months around, busy days, a date spanning
several days, a cancelled date, an all-day date without a time, a title to escape)."""

import re
from datetime import timedelta
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone

from cress_site.typography import french_html
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
    reference = Template(REFERENCE).render(
        Context({"month": response.context["month"], "request": response.wsgi_request})
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
    rows, reference = grid_rows(client, agenda, today.year, today.month)
    assert rows == reference
    # What the comparison is about is there.
    assert 'aria-current="date"' in rows and "(aujourd'hui)" in rows
    assert "month-grid__day--outside" in rows
    assert rows.count("Salon des solidarités") == 2
    assert "Atelier &lt;b&gt;«" in rows and "&lt;/b&gt; &amp; &quot;Agir&quot;</a>" in rows
    assert "month-grid__event--cancelled" in rows and "Annulé</span>" in rows
    assert "Titre court" in rows and "Second rendez-vous du jour" not in rows


def test_the_rows_are_the_reference_markup_for_an_empty_month(client, agenda):
    rows, reference = grid_rows(client, agenda, 2031, 2)
    assert rows == reference
    assert "month-grid__day--today" not in rows and "<ul" not in rows
