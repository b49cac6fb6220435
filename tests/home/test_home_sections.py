"""The home page's sections: the promise and its buttons, the key figures, the latest studies,
the map and a few projects, the next meetings, the call to action again; and their cost."""

import datetime
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from events.factories import EventPageFactory
from events.models import EventOccurrence, EventPage
from events.recurrence import Repeat
from home.models import FormPage, PitchPage
from projects_showcase.models import ProjectPage
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationPage

pytestmark = pytest.mark.django_db


def section(html, css_class):
    """The HTML of the home page's section with `css_class` (up to the next section)."""
    start = re.search(rf'<section class="[^"]*\bhome-section {css_class}\b', html).start()
    end = html.find("<section", start + 1)
    return html[start : end if end != -1 else None]


def home_html(client):
    return client.get("/").content.decode().replace("&#x27;", "'")


def study_links(html):
    return re.findall(r'class="home-study__link" href="([^"]+)"', section(html, "home-studies"))


def test_hero_leads_to_the_support_form_then_to_the_pitch(client):
    support = FormPage.objects.get(slug="demande-accompagnement")
    pitch = PitchPage.objects.get()
    html = home_html(client)
    hero = html[html.index('class="hero home-hero"') : html.index("</section>")]
    assert re.search(
        rf'<a class="button button--large button--primary" href="{support.url}">'
        r"Demander un accompagnement</a>",
        hero,
    )
    assert f'href="{pitch.url}">Pourquoi soutenir l\'ESS' in hero
    assert "Ce que la CRESS apporte à votre collectivité" in hero


def test_the_call_to_action_comes_again_at_the_end(client):
    support = FormPage.objects.get(slug="demande-accompagnement")
    contact = FormPage.objects.get(slug="contact")
    html = home_html(client)
    cta = html[html.index('class="home-cta"') :]
    assert "Votre collectivité a un projet d'ESS" in cta
    assert f'href="{support.url}">Demander un accompagnement</a>' in cta
    assert f'href="{contact.url}">Nous écrire</a>' in cta


def test_a_button_to_an_unpublished_page_is_left_out(client, home_page):
    contact = FormPage.objects.get(slug="contact")
    contact.unpublish()
    html = home_html(client)
    assert f'href="{contact.url}"' not in html[html.index('class="home-cta"') :]
    assert "Demander un accompagnement</a>" in html[html.index('class="home-cta"') :]


def test_key_figures_show_their_source_and_year(client):
    html = home_html(client)
    figures = section(html, "home-figures")
    assert "L'ESS en Normandie en chiffres" in figures
    assert "125\u202f080" in figures
    assert "emplois salariés dans l'ESS en Normandie" in figures
    assert (
        "Source\u00a0: Panorama de l'ESS en Normandie, édition 2024 (données de démonstration), "
        "données 2022" in figures
    )
    assert figures.count('class="home-figures__item"') == 4


def test_no_figure_no_section(client, home_page):
    home_page.key_figures = []
    home_page.save_revision().publish()
    assert "home-figures" not in home_html(client)


def test_latest_public_studies_with_their_covers(client):
    html = home_html(client)
    latest = public_latest(3)
    assert study_links(html) == [study.url for study in latest]
    studies = section(html, "home-studies")
    assert studies.count("<picture>") == 3
    assert 'type="image/avif"' in studies and 'type="image/webp"' in studies
    images = re.findall(r"<img [^>]*>", studies)
    assert len(images) == 3
    for image in images:
        assert re.search(r'width="\d+"', image) and re.search(r'height="\d+"', image)
        assert 'loading="lazy"' in image
    library = PublicationIndexPage.objects.get()
    assert f'href="{library.url}">Toutes les publications</a>' in studies


def public_latest(count):
    return list(
        PublicationPage.objects.live()
        .exclude(pk__in=PageViewRestriction.objects.values("page_id"))
        .order_by("-publication_date", "-pk")[:count]
    )


def test_a_private_or_draft_study_is_never_shown(client):
    library = PublicationIndexPage.objects.get()
    tomorrow = datetime.date.today() + timedelta(days=1)
    private = PublicationPageFactory(
        parent=library, title="Étude réservée", publication_date=tomorrow
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = PublicationPageFactory(parent=library, title="Étude en brouillon", live=False)
    draft.publication_date = tomorrow
    draft.save()
    public_one = PublicationPageFactory(
        parent=library, title="Étude publique", publication_date=tomorrow
    )

    html = home_html(client)
    links = study_links(html)
    assert links[0] == public_one.url
    assert private.url not in links and draft.url not in html
    assert "Étude réservée" not in html and "Étude en brouillon" not in html


def test_map_and_projects(client):
    html = home_html(client)
    projects = section(html, "home-projects")
    assert '<figure class="normandy-map"' in projects
    showcase = ProjectPage.objects.live().first().get_parent()
    assert f'href="{showcase.url}?territoire=calvados"' in projects
    total = ProjectPage.objects.live().filter(territory__isnull=False).count()
    assert f"<strong>{total}</strong> projets accompagnés en Normandie" in projects
    assert projects.count('class="card card--linked project-card"') == 3


def test_next_meetings_show_a_series_once_and_never_a_past_event(client):
    past = EventPageFactory(
        title="Réunion passée",
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    soon = timezone.localtime() + timedelta(days=1)
    soon = soon.replace(hour=10, minute=0, second=0, microsecond=0)
    series = EventPageFactory(
        title="Permanence hebdomadaire",
        start=soon,
        end=soon + timedelta(hours=1),
        repeat=Repeat.WEEKLY,
        repeat_count=6,
    )
    assert EventOccurrence.objects.filter(page=series).count() == 6

    html = home_html(client)
    meetings = section(html, "home-events")
    assert past.title not in meetings
    assert meetings.count("Permanence hebdomadaire</a>") == 1
    assert "Et 5 autres dates à venir" in meetings
    assert '#dates">Toutes les dates' in meetings
    titles = re.findall(r'class="event-card__link" href="[^"]+">([^<]+)</a>', meetings)
    assert len(titles) == len(set(titles)) == 3
    assert titles[0] == "Permanence hebdomadaire"


def test_sections_can_be_hidden_and_retitled(client, home_page):
    home_page.show_studies = False
    home_page.show_events = False
    home_page.projects_title = "Nos projets"
    home_page.save_revision().publish()
    html = home_html(client)
    assert "home-studies" not in html and "home-events" not in html
    assert '<h2 id="home-projects-title">Nos projets</h2>' in html


def home_queries(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert client.get("/").status_code == 200  # renditions made, shared cache filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def keep_one(model):
    # A project with a picture, so that its renditions are read as the many's are.
    pages = model.objects.live().order_by("path")
    if model is ProjectPage:
        pages = sorted(pages, key=lambda page: page.listing_image_id is None)
    first, *others = pages
    for page in others:
        page.unpublish()
    return first


def test_the_home_page_costs_as_many_queries_for_one_item_as_for_many(
    client, settings, monkeypatch
):
    # The sections built at each request, as they are once per generation (they are shared
    # fragments otherwise: cress_site.fragments).
    monkeypatch.setattr("cress_site.fragments.may_share", lambda request: False)
    many, html = home_queries(client, settings)
    assert len(study_links(html)) == 3

    for model in (PublicationPage, ProjectPage, EventPage):
        keep_one(model)
    one, html = home_queries(client, settings)

    assert len(study_links(html)) == 1
    assert section(html, "home-projects").count('class="card card--linked project-card"') == 1
    assert section(html, "home-events").count('class="event-card__link"') == 1
    assert one == many == 8  # home/sections.py names them


def test_editors_find_the_sections_in_french_in_the_admin(client, home_page):
    admin = get_user_model().objects.create_superuser("editrice", "e@example.org", "x")
    client.force_login(admin)
    response = client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    for label in (
        "Accroche",
        "Texte du bouton principal",
        "Chiffres clés",
        "Afficher la section « études »",
        "Carte et projets accompagnés (automatiques)",
        "Appel à l'action final",
    ):
        assert label in content, label
