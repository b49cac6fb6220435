"""A publication's page: what it shows, its metadata, and how an editor makes one."""

import json
import re

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from cress_site.factories import DocumentFactory
from cress_site.models import Territory
from home.models import HomePage
from publications.models import (
    PublicationAnnex,
    PublicationIndexPage,
    PublicationPage,
    RelatedPublication,
)

pytestmark = pytest.mark.django_db

URL = "/observatoire/poids-ess-orne/"


def json_ld(content):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(match.group(1))


def test_page_shows_summary_chart_cover_citation_and_facts(client):
    content = client.get(URL).content.decode()
    assert "<h1>Étude sur le poids de l&#x27;ESS dans l&#x27;Orne</h1>" in content
    assert 'class="chart-block chart-block--horizontal"' in content and "<svg" in content
    assert "Voir les données du graphique" in content
    assert 'class="publication__cover"' in content and "<picture>" in content
    assert "Comment citer cette publication" in content
    assert 'href="/observatoire/?territoire=orne">Orne</a>' in content
    assert 'href="/observatoire/?theme=emploi-et-insertion">Emploi et insertion</a>' in content
    assert "Publication de démonstration" in content


def test_the_cover_is_no_larger_than_a_phone_needs(client):
    """Under 56rem the cover is 12rem wide: a phone at 1.75 dppx takes the 400 px rendition, not
    the 560 px one wide screens use (Lighthouse's image-delivery-insight)."""
    content = client.get(URL).content.decode()
    figure = re.search(r'<figure class="publication__cover">(.*?)</figure>', content, re.S).group(1)
    assert 'sizes="(min-width: 56rem) 17.5rem, 12rem"' in figure
    widths = re.findall(r"format-avif\.width-(\d+)\.avif (\d+)w", figure)
    assert [(int(name), int(width)) for name, width in widths] == [
        (280, 280),
        (400, 400),
        (560, 560),
    ]


def test_citation_is_built_from_the_metadata():
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    citation = page.citation("https://www.cress-normandie.example" + URL)
    assert citation.startswith(
        "Observatoire régional de l'ESS (2022). Étude sur le poids de l'ESS dans l'Orne [étude]. "
        "Caen : CRESS Normandie – Observatoire régional de l'ESS. Disponible sur : "
        "https://www.cress-normandie.example/observatoire/poids-ess-orne/ (consulté le "
    )


def test_report_structured_data_and_opengraph_cover(client):
    content = client.get(URL).content.decode()
    data = json_ld(content)
    assert data["@type"] == "Report"
    assert data["datePublished"] == "2022-11-04"
    assert data["numberOfPages"] == 5
    assert data["encoding"]["encodingFormat"] == "application/pdf"
    assert data["encoding"]["contentUrl"].endswith(URL + "telecharger/")
    assert data["spatialCoverage"] == [{"@type": "Place", "name": "Orne"}]
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', content).group(1)
    assert og_image.startswith("http://testserver/media/images/couverture-")


def test_publication_without_figures_or_cover_still_renders(client):
    library = PublicationIndexPage.objects.get()
    page = PublicationPage(
        title="Note brève", summary="Une note sans graphique.", document=DocumentFactory()
    )
    library.add_child(instance=page)
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Note brève" in response.content.decode()


def test_annex_is_downloadable(client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    annex_document = DocumentFactory(title="Annexe statistique")
    annex = PublicationAnnex.objects.create(page=page, document=annex_document, title="")
    content = client.get(URL).content.decode()
    assert f'href="{URL}telecharger/annexe/{annex.pk}/"' in content
    assert "Annexe statistique" in content
    response = client.get(f"{URL}telecharger/annexe/{annex.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="poids-ess-orne-annexe-statistique.pdf"'
    )
    assert client.get(f"{URL}telecharger/annexe/999999/").status_code == 404


def test_related_publications_are_shown_when_live(client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    other = PublicationPage.objects.get(slug="chiffres-cles-ess-manche")
    RelatedPublication.objects.create(page=page, related=other)
    assert "Chiffres clés de l&#x27;ESS dans la Manche" in client.get(URL).content.decode()
    other.unpublish()
    assert "Chiffres clés de l&#x27;ESS dans la Manche" not in client.get(URL).content.decode()


class PublicationEditorTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.library = PublicationIndexPage.objects.get()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(PublicationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PublicationIndexPage, {PublicationPage})
        self.assertAllowedParentPageTypes(PublicationPage, {PublicationIndexPage})
        self.assertFalse(PublicationIndexPage.can_create_at(HomePage.objects.get()))

    def test_editor_creates_a_publication_with_its_pdf_and_chart(self):
        document = DocumentFactory(title="Étude sur l'ESS dans le Bessin")
        bessin = Territory.objects.get(kind="departement", code="14")
        self.assertCanCreate(
            self.library,
            PublicationPage,
            nested_form_data(
                {
                    "title": "L'ESS dans le Bessin",
                    "slug": "ess-bessin",
                    "summary": "Une étude sur le Bessin.",
                    "kind": "etude",
                    "publication_date": "04/05/2026",
                    "authors": "Observatoire régional de l'ESS",
                    "partners": "",
                    "document": document.pk,
                    "themes": [],
                    "territory_links": inline_formset([{"territory": bessin.pk}]),
                    "annexes": inline_formset([]),
                    "related_publications": inline_formset([]),
                    "body": streamfield(
                        [
                            (
                                "chart",
                                {
                                    "title": "Emplois par secteur",
                                    "chart_type": "bar_horizontal",
                                    "unit": "emplois",
                                    "rows": streamfield(
                                        [
                                            ("item", {"label": "Action sociale", "value": "120"}),
                                            ("item", {"label": "Sport", "value": "30"}),
                                        ]
                                    ),
                                    "source": "",
                                    "note": "",
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        page = PublicationPage.objects.get(slug="ess-bessin")
        self.assertEqual(page.publication_date.isoformat(), "2026-05-04")
        self.assertEqual(page.territories, [bessin])
        self.assertEqual(page.body[0].block_type, "chart")

    def test_editor_sees_dates_in_french_format(self):
        page = PublicationPage.objects.get(slug="poids-ess-orne")
        response = self.client.get(f"/admin/pages/{page.pk}/edit/")
        self.assertContains(response, 'value="04/11/2022"')

    def test_publication_needs_a_document(self):
        response = self.client.post(
            f"/admin/pages/add/publications/publicationpage/{self.library.pk}/",
            nested_form_data(
                {
                    "title": "Sans document",
                    "slug": "sans-document",
                    "summary": "Résumé.",
                    "kind": "etude",
                    "publication_date": "2026-05-04",
                    "authors": "Observatoire",
                    "partners": "",
                    "document": "",
                    "territory_links": inline_formset([]),
                    "annexes": inline_formset([]),
                    "related_publications": inline_formset([]),
                    "body": streamfield([]),
                    "action-publish": "action-publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PublicationPage.objects.filter(slug="sans-document").exists())
        self.assertContains(response, "Sans document")  # what was typed is kept


def test_projects_that_cite_the_study_are_shown(client):
    content = client.get(URL).content.decode()
    projects = content.split('id="related-projects-title"')[1].split("</section>")[0]
    assert 'href="/projets-accompagnes/restaurant-insertion-argentan/"' in projects


def test_a_publication_without_annexes_does_not_look_for_them(django_assert_num_queries):
    """Which publications have annexes is read once per generation (`may_have`): one without
    any takes no query for them; one published with an annex shows it at once, and the draft
    of another (its preview) shows those it holds in memory."""
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    assert not page.may_have("annexes")
    with django_assert_num_queries(0):
        assert page.get_annexes() == []
    document = DocumentFactory(title="Annexe statistique")
    page.annexes = [PublicationAnnex(document=document)]
    page.save_revision().publish()
    page = PublicationPage.objects.get(pk=page.pk)
    assert page.may_have("annexes")
    assert [annex.document for annex in page.get_annexes()] == [document]
    other = PublicationPage.objects.get(slug="chiffres-cles-ess-manche")
    other.annexes = [PublicationAnnex(document=document, title="Méthode")]
    draft = other.save_revision().as_object()
    assert draft.may_have("annexes")
    assert [annex.get_title() for annex in draft.annexes.all()] == ["Méthode"]
    assert not PublicationPage.objects.get(pk=other.pk).may_have("annexes")
