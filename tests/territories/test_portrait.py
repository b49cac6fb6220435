"""A portrait: the ESS of a territory in figures, compared with its département and the region,
counted as the directory shows it; what the chamber did there; the staff's text; printable."""

import datetime
import re
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cress_site import cache as content_cache
from cress_site.factories import DocumentFactory
from cress_site.models import Territory
from directory.choices import Family, Sector
from directory.models import DIRECTORY, DirectoryPage, ImportRun
from events.factories import EventPageFactory
from projects_showcase.factories import ProjectPageFactory
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationTerritory
from territories.figures import BAND_EMPLOYEES, build_portrait, read_breakdown
from territories.gazetteer import portrait_places
from territories.models import TerritoryPortrait

from .conftest import ESTABLISHMENTS, counted, make_establishments

pytestmark = pytest.mark.django_db


def url(index_page, territory):
    return f"{index_page.url}{territory.slug}/"


def place_of(territory):
    return portrait_places().by_slug[territory.slug]


def tables(portrait):
    return {table.slug: table for table in portrait.tables}


def by_key(table, area=0):
    return {row.key: row.cells[area].count for row in table.rows}


# ---------- The figures, against counts made in Python ----------


def test_the_figures_count_only_public_units_active_establishments(world, establishments):
    in_a = counted(lambda e: e.epci_id == world.epci_a.pk)
    # Five establishments of ESTABLISHMENTS are in the first EPCI and may be counted.
    assert len(in_a) == 5
    portrait = build_portrait(place_of(world.epci_a), portrait_places())
    assert portrait.counts.total == 5
    assert portrait.counts.units == len({e.enterprise_id for e in in_a})
    families = by_key(tables(portrait)["familles"])
    assert families == dict(Counter(e.enterprise.family for e in in_a))
    assert families == {Family.ASSOCIATION: 3, Family.COOPERATIVE: 1, Family.MUTUELLE: 1}
    assert by_key(tables(portrait)["secteurs"]) == dict(Counter(e.sector for e in in_a))
    assert by_key(tables(portrait)["effectifs"]) == dict(Counter(e.size_band for e in in_a))
    employers = [e for e in in_a if e.size_band not in ("NN", "00")]
    assert portrait.counts.employers == len(employers) == 3
    assert portrait.counts.employees_low == sum(BAND_EMPLOYEES[e.size_band][0] for e in employers)
    assert portrait.counts.employees_high == sum(BAND_EMPLOYEES[e.size_band][1] for e in employers)
    # Employment by family: employer establishments and the employees' range of each.
    for row in tables(portrait)["familles"].rows:
        of_family = [e for e in employers if e.enterprise.family == row.key]
        assert row.employment.employers == len(of_family)
        assert row.employment.low == sum(BAND_EMPLOYEES[e.size_band][0] for e in of_family)
        assert row.employment.high == sum(BAND_EMPLOYEES[e.size_band][1] for e in of_family)
    cooperatives = next(r for r in tables(portrait)["familles"].rows if r.key == "cooperative")
    assert cooperatives.employment.employees_text == "10 à 19"
    health = next(r for r in tables(portrait)["secteurs"].rows if r.key == Sector.Q)
    assert (health.employment.employers, health.employment.low, health.employment.high) == (
        1,
        3,
        5,
    )


def test_the_departement_and_the_region_are_compared(world, establishments):
    portrait = build_portrait(place_of(world.epci_b), portrait_places())
    assert [area.place.slug for area in portrait.areas] == [
        world.epci_b.slug,
        world.manche.slug,
        world.region.slug,
    ]
    in_b = counted(lambda e: e.epci_id == world.epci_b.pk)
    in_manche = counted(lambda e: e.departement_id == world.manche.pk)
    in_region = counted(lambda e: True)
    assert [area.total for area in portrait.areas] == [len(in_b), len(in_manche), len(in_region)]
    # The commune without an intercommunalité counts in its département, not in the EPCI.
    assert len(in_manche) == len(in_b) + 1 + len(
        counted(
            lambda e: (
                e.departement_id == world.manche.pk and e.epci_id not in (None, world.epci_b.pk)
            )
        )
    )
    sectors = tables(portrait)["secteurs"]
    row = next(row for row in sectors.rows if row.key == Sector.Q)
    expected = [
        sum(e.sector == Sector.Q for e in area) * 100 / len(area)
        for area in (in_b, in_manche, in_region)
    ]
    assert [float(cell.share) for cell in row.cells] == [round(v, 1) for v in expected]


def test_a_departement_is_compared_with_the_region_and_counts_its_epcis(world, establishments):
    portrait = build_portrait(place_of(world.calvados), portrait_places())
    assert [area.place.slug for area in portrait.areas] == [world.calvados.slug, world.region.slug]
    assert portrait.counts.total == len(counted(lambda e: e.departement_id == world.calvados.pk))
    region = build_portrait(place_of(world.region), portrait_places())
    assert len(region.areas) == 1
    assert region.counts.total == len(counted(lambda e: True))


def test_creations_are_counted_by_year_of_the_establishment(world, establishments):
    today = datetime.date(2025, 6, 1)
    portrait = build_portrait(place_of(world.epci_a), portrait_places(), today=today)
    years = by_key(tables(portrait)["creations"])
    assert list(years) == [str(year) for year in range(2016, 2026)]
    in_a = counted(lambda e: e.epci_id == world.epci_a.pk and e.created_on)
    expected = Counter(str(e.created_on.year) for e in in_a)
    assert {year: n for year, n in years.items() if n} == dict(expected)
    assert years["2023"] == 2  # the closed and the non-public ones of 2022 are not counted
    assert years["2022"] == 0


def test_each_figure_links_to_the_directory_filtered_on_it(client, index_page, world):
    make_establishments(world)
    content = client.get(url(index_page, world.epci_a)).content.decode()
    links = {
        tuple(sorted((k, v[0]) for k, v in parse_qs(urlsplit(href).query).items()))
        for href in _hrefs(content, "/annuaire/")
    }
    slug = world.epci_a.slug
    assert (("territoire", slug),) in links
    assert (("famille", "association"), ("territoire", slug)) in links
    assert (("secteur", "Q"), ("territoire", slug)) in links
    assert (("effectif", "11"), ("territoire", slug)) in links


def _hrefs(content, prefix):
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', content) if h.startswith(prefix)]


def test_the_figures_are_read_in_five_grouped_queries(world, django_assert_num_queries):
    make_establishments(world)
    # per (département, EPCI, family, sector, size band); per year; units per EPCI, per
    # département, in the region
    with django_assert_num_queries(5):
        read_breakdown()


# ---------- The page ----------


def test_the_portrait_page_shows_the_figures_and_charts(client, index_page, world):
    make_establishments(world)
    response = client.get(url(index_page, world.epci_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{world.epci_a.name}</h1>" in content
    assert content.count('role="img"') == 2 * 4  # each chart wide and compact
    assert content.count('<table class="chart-block__table portrait-table">') == 4
    assert "<caption>Établissements par famille de l&#x27;ESS" in content
    heading = f'<th scope="col" class="chart-block__number">Part, {world.calvados.name}</th>'
    assert heading in content


def test_the_region_the_departements_and_every_epci_have_a_portrait(client, index_page, world):
    for territory in (world.region, world.calvados, world.manche, world.epci_a, world.epci_b):
        assert client.get(url(index_page, territory)).status_code == 200


def test_a_commune_s_address_leads_to_its_intercommunality_for_good(client, index_page, world):
    response = client.get(url(index_page, world.communes["honorine"]))
    assert response.status_code == 301
    assert response["Location"] == url(index_page, world.epci_a)
    response = client.get(url(index_page, world.communes["seule"]))
    assert response["Location"] == url(index_page, world.manche)


@pytest.mark.parametrize("path", ["inconnu/", "calvados/extra/", "%C3%A9t%C3%A9/", "a" * 300 + "/"])
def test_an_unknown_address_is_not_found(client, index_page, path):
    assert client.get(index_page.url + path).status_code == 404


def test_the_index_lists_the_region_the_departements_and_the_epcis(client, index_page, world):
    content = client.get(index_page.url).content.decode()
    for territory in (world.region, world.calvados, world.manche, world.epci_a, world.epci_b):
        assert f'href="{url(index_page, territory)}"' in content
    assert (
        content.count(f'href="{index_page.url}')
        >= Territory.objects.filter(kind__in=["region", "departement", "epci"]).count()
    )


def test_the_staff_text_is_shown_and_a_change_renders_the_portrait_again(client, index_page, world):
    first = client.get(url(index_page, world.epci_a))
    assert "Un texte de la CRESS" not in first.content.decode()
    TerritoryPortrait.objects.create(
        territory=world.epci_a, intro="<p>Un texte de la CRESS sur ce territoire.</p>"
    )
    content = client.get(url(index_page, world.epci_a)).content.decode()
    assert "<p>Un texte de la CRESS sur ce territoire.</p>" in content


def test_a_commune_cannot_have_a_staff_text(world):
    text = TerritoryPortrait(territory=world.communes["bourg"], intro="<p>x</p>")
    with pytest.raises(ValidationError):
        text.full_clean()


def test_the_projects_publications_and_events_of_contained_territories_are_listed(
    client, index_page, world
):
    in_commune = ProjectPageFactory(
        title="Épicerie de Sainte-Honorine", territory=world.communes["honorine"]
    )
    in_epci = ProjectPageFactory(title="Garage solidaire intercommunal", territory=world.epci_a)
    elsewhere = ProjectPageFactory(title="Ressourcerie de la Manche", territory=world.epci_b)
    library = PublicationIndexPage.objects.get()
    study = PublicationPageFactory.build(
        title="Portrait de l'ESS à Sainte-Honorine", document=DocumentFactory()
    )
    study.territory_links = [PublicationTerritory(territory=world.communes["honorine"])]
    library.add_child(instance=study)
    study.save_revision().publish()
    meeting = EventPageFactory(title="Réunion à Montfort", territory=world.communes["montfort_a"])

    content = client.get(url(index_page, world.epci_a)).content.decode()
    assert in_commune.title in content.replace("&#x27;", "'")
    assert in_epci.title in content
    assert elsewhere.title not in content
    assert "Portrait de l&#x27;ESS à Sainte-Honorine" in content
    assert meeting.title in content
    for listing in ("projets-accompagnes", "observatoire", "agenda"):
        assert f'/{listing}/?territoire={world.epci_a.slug}"' in content

    departement = client.get(url(index_page, world.calvados)).content.decode()
    assert in_commune.title in departement.replace("&#x27;", "'")
    assert elsewhere.title not in departement
    manche = client.get(url(index_page, world.manche)).content.decode()
    assert elsewhere.title in manche and in_epci.title not in manche


def test_the_page_says_how_to_cite_it_with_its_permanent_address_and_data_date(
    client, index_page, world
):
    ImportRun.objects.create(
        source="sirene",
        file_name="StockEtablissement.csv",
        status=ImportRun.Status.DONE,
        finished_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC),
    )
    content = client.get(url(index_page, world.epci_a)).content.decode()
    assert "Citer cette page" in content
    permalink = f"{index_page.get_full_url()}{world.epci_a.slug}/"
    assert permalink.startswith("http")
    assert f'<a href="{permalink}">{permalink}</a>' in content
    assert f'<link rel="canonical" href="{permalink}">' in content
    assert "(données de l'annuaire au 2 mars 2026)" in content


def test_the_print_stylesheet_hides_the_navigation_and_writes_key_links(client):
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    section = css.split("/* === Portraits of territories === */")[1]
    printed = section.split("@media print")[1]
    assert ".portrait__related-grid" in section
    assert "attr(href)" in printed
    assert ".commune-box" in printed and "display: none" in printed


# ---------- Query budget and cache ----------


def portrait_queries(client, path):
    content_cache.bump(DIRECTORY)  # what an import does
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_establishments(
    client, index_page, world, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    path = url(index_page, world.epci_a)
    client.get(path)  # the site, the menu, the routing and the gazetteer kept
    make_establishments(world, ESTABLISHMENTS[:5])
    with_five = portrait_queries(client, path)
    for _ in range(9):
        make_establishments(world, ESTABLISHMENTS[:5])
    assert portrait_queries(client, path) == with_five == 10
    # After an import (a new directory generation): the figures of every territory (5 GROUP BY
    # queries), the date of the data (2: the last import, else the last change), the projects,
    # the publications and the next events (3).
    content_cache.bump(DIRECTORY)
    with django_assert_num_queries(10):
        client.get(path)
    # Another portrait: its staff's text (kept until a text changes), the projects,
    # publications and events (3).
    with django_assert_num_queries(4):
        client.get(url(index_page, world.epci_b))


def test_the_index_and_the_commune_box_cost_a_query_at_most(
    client, index_page, world, settings, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(index_page.url)
    with django_assert_max_num_queries(1):
        client.get(index_page.url)
    with django_assert_max_num_queries(1):
        client.get(index_page.url, {"commune": "montfort l'essai"})


def test_a_second_visit_comes_from_the_page_cache(client, index_page, world):
    path = url(index_page, world.epci_a)
    assert client.get(path)["X-Cache"] == "MISS"
    assert client.get(path)["X-Cache"] == "HIT"
    content_cache.bump(DIRECTORY)  # an import: the portrait is rendered again
    assert client.get(path)["X-Cache"] == "MISS"
    assert client.get(index_page.url)["X-Cache"] == "MISS"
    assert client.get(index_page.url)["X-Cache"] == "HIT"


def test_the_sitemap_lists_every_portrait(client, index_page, world):
    content = client.get("/sitemap.xml").content.decode()
    base = index_page.get_full_url()
    for territory in (world.region, world.calvados, world.epci_a, world.epci_b):
        assert f"<loc>{base}{territory.slug}/</loc>" in content
    assert f"<loc>{base}{world.communes['honorine'].slug}/</loc>" not in content


def test_without_a_directory_page_the_figures_are_shown_without_links(client, index_page, world):
    DirectoryPage.objects.get().unpublish()
    make_establishments(world)
    response = client.get(url(index_page, world.epci_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert "/annuaire/" not in content
    assert "portrait__directory-link" not in content
    assert "Voir ces entreprises dans l'annuaire" not in content
