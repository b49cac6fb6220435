"""The showcase of supported projects: filters, map, project pages and the pitch's examples."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils import WagtailPageTestCase

import pytest

from cress_site.factories import ImageFactory
from cress_site.models import Territory, Theme
from home.models import HomePage, PitchPage
from projects_showcase.models import (
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectPage,
    ProjectPublication,
    Stage,
    SupportType,
    projects_per_departement,
)
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

URL = "/projets-accompagnes/"
PITCH_URL = "/collectivites-soutenir-lentrepreneuriat-dess/"


def titles(response):
    return [project.title for project in response.context["listing"].items]


@pytest.fixture
def make_project():
    showcase = ProjectIndexPage.objects.get()

    def make(title, **fields):
        fields.setdefault("territory", Territory.objects.get(kind="departement", code="14"))
        page = ProjectPage(title=title, summary=fields.pop("summary", "Un projet."), **fields)
        showcase.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make


def test_demo_has_every_example_the_seed_names():
    slugs = set(ProjectPage.objects.live().values_list("slug", flat=True))
    assert {
        "creacoop-14",
        "appels-a-projets-collectivites",
        "finances-solidaires-agenda-21-argentan",
        "restaurant-insertion-argentan",
        "centre-habitat-social-caen",
    } <= slugs
    departements = set(
        ProjectPage.objects.live()
        .exclude(territory__kind="region")
        .values_list("territory__departement__code", "territory__code")
    )
    codes = {dep or code for dep, code in departements}
    assert codes == {"14", "27", "50", "61", "76"}


def test_orne_filter_finds_projects_in_its_intercommunalites(client):
    listed = titles(client.get(URL, {"territoire": "orne"}))
    assert "Un restaurant d'insertion à Argentan" in listed
    assert "Les finances solidaires dans l'Agenda 21 d'Argentan" in listed
    assert "Un tiers-lieu rural dans le Perche" in listed
    assert "La recyclerie du Cotentin" not in listed


def test_filters_by_support_stage_and_legal_form(client):
    assert set(titles(client.get(URL, {"accompagnement": "dla"}))) == {
        "La recyclerie du Cotentin",
        "Le garage solidaire du pays de Caux",
    }
    assert titles(client.get(URL, {"etape": "emergence", "forme": "scic"})) == [
        "Un tiers-lieu rural dans le Perche"
    ]
    assert titles(client.get(URL, {"theme": "habitat-et-logement"})) == [
        "Un centre d'habitat social dans l'agglomération caennaise"
    ]


def test_map_counts_projects_per_departement_and_links_to_the_filtered_list(client):
    response = client.get(URL)
    areas = {area.code: area for area in response.context["map"].areas}
    assert areas["61"].count == 3  # Argentan (twice) and the Perche
    assert areas["50"].count == 1
    assert areas["61"].href == "?territoire=orne"
    content = response.content.decode()
    assert 'href="?territoire=orne"' in content
    assert "Orne\xa0: 3 projets" in content  # French typography: no-break space


def test_map_follows_the_other_filters_and_keeps_them_in_its_links(client):
    response = client.get(URL, {"accompagnement": "dla"})
    areas = {area.code: area for area in response.context["map"].areas}
    assert areas["61"].count == 0
    assert areas["50"].count == 1
    assert areas["50"].href == "?accompagnement=dla&territoire=manche"


def test_the_showcase_and_the_home_page_count_the_projects_alike(client):
    """One count per département (projects_per_departement), on both maps and in the filter."""
    found = projects_per_departement(ProjectPage.objects.live().public())
    assert found.by_code["61"] == 3
    assert found.total >= sum(found.by_code.values())

    showcase = client.get(URL).context
    home = client.get("/").context
    # The home page's sections are read when its template needs them (home.sections.once).
    home_map, projects_total = home["map"](), home["projects_total"]()
    for page_map in (showcase["map"], home_map):
        assert {area.code: area.count for area in page_map.areas} == {
            code: found.by_code.get(code, 0) for code in ("14", "27", "50", "61", "76")
        }
    assert projects_total == found.total
    options = {option.value: option.count for option in showcase["listing"].options["territoire"]}
    assert options["orne"] == 3
    assert options["normandie"] == found.total


@pytest.mark.parametrize(
    "params",
    [{"territoire": "bretagne"}, {"etape": "fini"}, {"forme": "sarl"}, {"accompagnement": "x"}],
)
def test_unknown_filter_values_are_ignored(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(titles(response)) == ProjectPage.objects.live().count()


@pytest.mark.parametrize("page", ["abc", "0", "50"])
def test_bad_page_numbers_are_404(client, page):
    assert client.get(URL, {"page": page}).status_code == 404


def test_query_count_does_not_grow_with_the_number_of_projects(client, make_project):
    def count():
        client.get(URL)
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    before = count()
    manche = Territory.objects.get(kind="departement", code="50")
    for number in range(8):
        project = make_project(f"Projet {number}", territory=manche, stage=Stage.CREATION)
        project.support_types = list(SupportType.objects.all()[:3])
        project.save_revision().publish()
    assert count() == before


def test_project_page_shows_support_results_and_the_study_about_it(client):
    content = client.get(URL + "restaurant-insertion-argentan/").content.decode()
    assert "<h1>Un restaurant d&#x27;insertion à Argentan</h1>" in content
    assert "Étude de faisabilité" in content
    assert "Animation de comités de pilotage" in content
    assert 'href="/observatoire/poids-ess-orne/"' in content  # the study about it
    epci = Territory.objects.get(kind="epci", code="200068450")
    assert f'href="/projets-accompagnes/?territoire={epci.slug}"' in content


def test_a_project_pages_images_do_not_add_queries(client, settings, make_project):
    """The gallery with its images, and the renditions of every image the page shows (the
    gallery's, the sharing image), whatever their number: two queries."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    project = make_project("Projet en images", listing_image=ImageFactory())

    def queries(images):
        ProjectGalleryImage.objects.filter(page=project).delete()
        for order in range(images):
            ProjectGalleryImage.objects.create(
                page=project, image=ImageFactory(), caption=f"Vue {order}", sort_order=order
            )
        client.get(project.url)  # the renditions made, the fragments kept
        with CaptureQueriesContext(connection) as context:
            content = client.get(project.url).content.decode()
        assert content.count("<figure><picture>") == images
        assert 'property="og:image"' in content
        return [query["sql"] for query in context.captured_queries]

    one = queries(1)
    assert len(queries(4)) == len(one)
    assert len([sql for sql in one if 'FROM "cress_site_rendition"' in sql]) == 1
    assert not [sql for sql in one if 'FROM "cress_site_customimage"' in sql]


def test_a_publication_no_project_cites_does_not_look_for_projects(
    make_project, django_assert_num_queries
):
    """Which publications live projects cite is read once per generation of the projects: a
    publication none cites takes no query, and a project published citing it shows at once."""
    cited = ProjectPublication.objects.values("publication")
    publication = PublicationPage.objects.live().exclude(pk__in=cited).first()
    assert ProjectPage.citing(publication) == []
    with django_assert_num_queries(0):
        assert ProjectPage.citing(publication) == []
    project = make_project("Projet qui cite l'étude")
    project.related_publications = [ProjectPublication(publication=publication)]
    project.save_revision().publish()
    assert [page.pk for page in ProjectPage.citing(publication)] == [project.pk]
    project.unpublish()
    assert ProjectPage.citing(publication) == []


def test_project_results_render_as_key_figures(client):
    content = client.get(URL + "garage-solidaire-caux/").content.decode()
    assert "450" in content and "réparations par an" in content
    assert "Projet de démonstration" in content


def test_project_without_image_or_figures_still_looks_finished(client, make_project):
    project = make_project("Projet sans image")
    content = client.get(project.url).content.decode()
    assert "<h1>Projet sans image</h1>" in content
    assert "Résultats" not in content
    listing = client.get(URL, {"tri": "nom"}).content.decode()
    assert 'class="project-card__placeholder"' in listing


def test_card_without_picture_shows_its_departement_and_theme_not_an_initial(client, make_project):
    epci = Territory.objects.get(kind="epci", code="200068450")  # in the Orne
    theme = Theme.objects.get(name="Habitat et logement")
    project = make_project("Zébulon, une coopérative", territory=epci)
    project.themes = [theme]
    project.save_revision().publish()
    listing = client.get(URL, {"tri": "nom"}).content.decode()
    card = listing.split('href="' + project.url + '"')[0].rsplit("<article", 1)[1]
    placeholder = card.split('class="project-card__placeholder"')[1].split("</div>")[0]
    assert 'data-departement="61"' in placeholder
    lit = re.findall(r'--highlighted" href="[^"]*#dep-(\d+)"', placeholder)
    assert lit == ["61"]
    assert '<use href="/static/icons/pictograms.svg#house"></use>' in placeholder
    assert 'aria-hidden="true"' in placeholder
    assert re.search(r">\s*Z\s*<", placeholder) is None  # no initial any more
    page = client.get(project.url).content.decode()
    aside = page.split('class="project__aside"')[1].split("</figure>")[0]
    assert 'data-departement="61"' in aside and "Orne" in aside


def test_pitch_shows_the_chosen_examples(client):
    content = client.get(PITCH_URL).content.decode()
    examples = content.split('class="project-examples"')[1].split("</section>")[0]
    assert "Créacoop 14" in examples
    assert "Un restaurant d&#x27;insertion à Argentan" in examples
    assert 'href="/projets-accompagnes/creacoop-14/"' in examples
    assert "La recyclerie du Cotentin" not in examples  # not chosen
    assert 'href="/projets-accompagnes/"' in examples  # to the showcase


def test_pitch_falls_back_to_the_latest_projects(client, make_project):
    pitch = PitchPage.objects.get()
    for block in pitch.body:
        if block.block_type == "project_examples":
            block.value["projects"] = []
    pitch.save_revision().publish()
    newest = make_project("Le tout dernier projet")
    content = client.get(PITCH_URL).content.decode()
    examples = content.split('class="project-examples"')[1].split("</section>")[0]
    assert newest.title in examples
    assert examples.count('class="card__link"') == 3


class ShowcaseTreeTests(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(ProjectIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ProjectIndexPage, {ProjectPage})
        self.assertAllowedParentPageTypes(ProjectPage, {ProjectIndexPage})
        self.assertFalse(ProjectIndexPage.can_create_at(HomePage.objects.get()))
