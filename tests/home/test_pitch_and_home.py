"""The pitch to local authorities and the home page, as built from the seed."""

import io

from django.core.management import call_command

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, Site

import pytest

from cress_site.typography import french_spaces
from home.models import ContentPage, FormPage, HomePage, PitchPage

pytestmark = pytest.mark.django_db

PITCH_URL = "/collectivites-soutenir-lentrepreneuriat-dess/"


def test_pitch_page_reads_as_the_seed(client):
    content = client.get(PITCH_URL).content.decode().replace("&#x27;", "'")
    for text in (
        "Quels intérêts pour la collectivité de soutenir la création d'entreprises d'ESS\u202f?",
        "Plus-value économique",
        "Plus-value sociale",
        "Plus-value environnementale",
        "L'émergence de nouveaux projets",
        "La création de projets innovants sur le territoire",
        "L'appui aux structures de l'ESS et le DLA",
        "la CRESS anime le DLA régional",
        "Co-construction",
        "Subsidiarité",
        "Suivi sur le long terme",
        "Créacoop 14",
        "Un restaurant d'insertion à Argentan",
        "Étude sur le poids de l'ESS dans l'Orne",
    ):
        assert text in content, text


def test_pitch_page_table_of_contents_links_to_its_sections(client):
    pitch = PitchPage.objects.get()
    toc = pitch.table_of_contents()
    assert [anchor for anchor, _title in toc] == [
        "interets",
        "offre",
        "methode",
        "des-exemples-de-projets-de-territoires-accompagnes-par-la-cress",
    ]
    content = client.get(PITCH_URL).content.decode()
    for anchor, _title in toc:
        assert f'href="#{anchor}"' in content
        assert f'id="{anchor}"' in content


def test_pitch_call_to_action_leads_to_the_support_form(client):
    support = FormPage.objects.get(slug="demande-accompagnement")
    content = client.get(PITCH_URL).content.decode()
    cta = content.split('class="call-to-action"')[-1]
    assert f'href="{support.url}"' in cta
    assert "Demander un accompagnement" in cta


def test_home_page_has_the_hero_and_the_observatory_s_covers(client):
    content = client.get("/").content.decode().replace("&#x27;", "'")
    assert (
        '<h1 class="hero__title" id="home-title">'
        "Soutenir l'entrepreneuriat d'ESS sur votre territoire</h1>" in content
    )
    assert f'href="{PITCH_URL}">Pourquoi soutenir l\'ESS' in content
    assert 'href="/demande-accompagnement/">Demander un accompagnement</a>' in content
    assert (
        "<picture>" in content and 'type="image/avif"' in content and 'type="image/webp"' in content
    )


def test_demo_content_replaced_the_welcome_page_and_fills_the_site():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists()
    slugs = set(site.root_page.get_children().values_list("slug", flat=True))
    assert {
        "collectivites-soutenir-lentrepreneuriat-dess",
        "a-propos",
        "mentions-legales",
        "accessibilite",
        "donnees-personnelles",
        "contact",
        "demande-accompagnement",
    } <= slugs


def test_demo_content_is_idempotent_and_keeps_editors_changes():
    about = ContentPage.objects.get(slug="a-propos")
    about.title = "Qui sommes-nous"
    about.save_revision().publish()
    pages_before = Page.objects.count()

    call_command("load_demo_content", without_communes=True, stdout=io.StringIO())

    assert Page.objects.count() == pages_before
    about.refresh_from_db()
    assert about.title == "Qui sommes-nous"


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The second visit comes from the public page cache (cold figures:
        # tests/cress_site/test_query_budgets.py)…
        ("/", 0),
        (PITCH_URL, 0),
        ("/a-propos/", 0),
        # … but a page with a form is rendered for each visitor (its CSRF token is theirs).
        # (site, the form page (a section), menu, breadcrumbs, settings and view restrictions
        # from the shared cache: the form's fields only)
        ("/demande-accompagnement/", 1),
    ],
)
def test_second_visit_query_counts_are_pinned(client, django_assert_num_queries, url, queries):
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_purge_form_submissions_deletes_only_expired_answers():
    from datetime import timedelta

    from django.utils import timezone

    page = FormPage.objects.get(slug="contact")
    old = FormSubmission.objects.create(page=page, form_data={"nom": "Ancien"})
    FormSubmission.objects.filter(pk=old.pk).update(
        submit_time=timezone.now() - timedelta(days=400)
    )
    recent = FormSubmission.objects.create(page=page, form_data={"nom": "Récent"})

    call_command("purge_form_submissions", stdout=io.StringIO())

    assert list(FormSubmission.objects.filter(page=page)) == [recent]


def test_home_page_shows_the_next_three_events_a_series_once(client):
    from django.utils import timezone

    from events.models import EventOccurrence

    html = client.get("/").content.decode()
    assert "Prochains rendez-vous" in html
    upcoming = (
        EventOccurrence.objects.filter(
            page__live=True, in_series=True, cancelled=False, end__gte=timezone.now()
        )
        .select_related("page")
        .order_by("start", "pk")
    )
    titles = list(dict.fromkeys(occurrence.page.title for occurrence in upcoming))[:3]
    section = html[html.index("Prochains rendez-vous") :]
    for title in titles:
        assert section.count(french_spaces(title).replace("'", "&#x27;") + "</a>") == 1
