"""A search result's date means something to the reader, and the year facet follows it."""

import html
import re
from datetime import timedelta

from django.utils import timezone

import pytest

from events.factories import EventPageFactory
from events.recurrence import Repeat

pytestmark = pytest.mark.django_db

RESULT = re.compile(
    r'<p class="search-result__meta">(.*?)</p>\s*'
    r'<h3 class="search-result__title"><a href="([^"]+)"',
    re.S,
)
YEAR_OPTION = re.compile(r'<option value="(\d{4})"')


def results(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    meta = {
        url: " ".join(re.sub(r"<[^>]+>", "", text).split()) for text, url in RESULT.findall(content)
    }
    return meta, YEAR_OPTION.findall(content), content


def local_day(value):
    return timezone.localtime(value).date()


def test_a_project_shows_its_support_period_and_gives_no_year(client):
    meta, years, content = results(client, "creacoop")
    assert (
        meta["/projets-accompagnes/creacoop-14/"]
        == "Projet accompagné Accompagné depuis septembre 2008"
    )
    assert "2008" not in years  # the guide's 2021 stays
    assert years == ["2021"]
    assert '<time datetime="2008-09">septembre 2008</time>' in content


def test_a_publication_shows_its_publication_date(client):
    meta, _years, _content = results(client, "creacoop")
    guide = meta["/observatoire/guide-creer-cooperative-activite-emploi/"]
    assert guide == "Publication Publié le 9 mars 2021"


def test_a_series_shows_its_next_date_not_its_first(client):
    start = timezone.now().replace(microsecond=0) - timedelta(days=95)
    event = EventPageFactory(
        title="Permanence xylographe mensuelle",
        start=start,
        end=start + timedelta(hours=2),
        repeat=Repeat.MONTHLY_DAY,
        repeat_count=8,
    )
    upcoming = event.occurrences.filter(start__gte=timezone.now()).order_by("start").first()
    meta, years, content = results(client, "xylographe")
    day = local_day(upcoming.start)
    assert meta[event.url].startswith("Événement Prochaine date : le ")
    assert f'<time datetime="{day:%Y-%m-%d}">' in content
    assert years == [str(day.year)]
    assert str(local_day(start).year) not in years or local_day(start).year == day.year


def test_an_event_that_is_over_shows_its_last_date_marked_past(client):
    start = timezone.now().replace(microsecond=0) - timedelta(days=400)
    event = EventPageFactory(
        title="Atelier xylographe passé", start=start, end=start + timedelta(hours=2)
    )
    meta, years, content = results(client, "xylographe")
    assert meta[event.url].startswith("Événement Passé, a eu lieu le ")
    assert "search-result__date--past" in content
    assert years == [str(local_day(start).year)]


def test_a_single_upcoming_event_shows_its_date(client):
    event = EventPageFactory(title="Réunion xylographe")
    meta, _years, _content = results(client, "xylographe")
    assert re.fullmatch(r"Événement Le \d+(er)? \w+ \d{4}", meta[event.url]), meta[event.url]


def test_year_facet_filters_on_the_date_shown(client):
    start = timezone.now().replace(microsecond=0) - timedelta(days=400)
    past = EventPageFactory(
        title="Atelier xylographe ancien", start=start, end=start + timedelta(hours=2)
    )
    soon = EventPageFactory(title="Atelier xylographe prochain")
    past_year, soon_year = local_day(past.start).year, local_day(soon.start).year
    meta, _years, _content = results(client, "xylographe", annee=str(past_year))
    assert past.url in meta and (soon.url in meta) == (soon_year == past_year)


def test_sort_by_date_puts_undated_results_last(client):
    meta, _years, _content = results(client, "creacoop", tri="date")
    assert list(meta) == [
        "/observatoire/guide-creer-cooperative-activite-emploi/",
        "/projets-accompagnes/creacoop-14/",
    ]
