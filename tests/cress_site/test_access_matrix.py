"""The access matrix: nothing the public may not see shows through any public path.

Each kind of non-public content (a draft never published, an unpublished page, a page scheduled
to go live later, a page behind a password, one for logged-in people, one for a group, a
document in a private collection) × each public path (the page itself, /documents/, /media/
with the documents' old path and the covers, the download and annex routes, covers on cards
and pages, search results and snippets, suggestions, the Atom and iCalendar feeds, the sitemap,
related-content blocks, the home and pitch pages' blocks, the projects map).

Every kind gets its own secret publication (with a PDF, its cover and an annex), event and
project, named with a word of its own; one public publication, event and project, built the
same way, is the counterpart each check also asserts is shown, so that a check cannot pass by
showing nothing. The content is built once for the module, in a transaction rolled back at its
end; each test runs inside it, in a savepoint of its own.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from cress_site.demo_pdfs import make_pdf
from cress_site.models import Rendition, Territory, Theme
from cress_site.tasks import analyse_document
from events.models import EventIndexPage, EventOccurrence, EventPage, EventRelatedPage
from home.models import HomePage, PitchPage
from projects_showcase.models import ProjectIndexPage, ProjectPage, ProjectPublication
from publications.models import (
    PublicationAnnex,
    PublicationIndexPage,
    PublicationPage,
    RelatedPublication,
)

Document = get_document_model()

# The word naming each kind's content (and, with a suffix, the words of its PDF).
KINDS = {
    "draft": "brouillonite",
    "unpublished": "retirite",
    "scheduled": "programmite",
    "password": "motdepassite",
    "login": "connexite",
    "group": "groupite",
    "collection": "collectite",
}
PUBLIC_WORD = "ouvertite"
PAGE_KINDS = [kind for kind in KINDS if kind != "collection"]
MAP_DEPARTEMENT = "27"  # Eure


@dataclass
class World:
    """One kind's publication, event and project, and the words that name them."""

    word: str
    publication: PublicationPage
    annex: PublicationAnnex
    event: EventPage | None = None
    project: ProjectPage | None = None
    theme: Theme | None = None
    cover_renditions: list = field(default_factory=list)

    @property
    def pdf_word(self):
        """A word only the PDF holds (searched for)."""
        return f"{self.word}pdf"

    @property
    def context_word(self):
        """Another word only the PDF holds, next to `pdf_word` (shown by a snippet)."""
        return f"{self.word}contexte"

    @property
    def annex_marker(self):
        return f"annexe-{self.word}"

    @property
    def document(self):
        return self.publication.document

    @property
    def cover_id(self):
        return self.document.cover_id

    @property
    def titles(self):
        pages = [self.publication, self.event, self.project]
        return [page.title for page in pages if page is not None]


def make_document(word, collection=None):
    pdf = make_pdf(
        f"Rapport {word}",
        [[f"Ce rapport décrit le {word}pdf et ses effets sur le {word}contexte."]],
    )
    document = Document(title=f"Rapport {word}", file=ContentFile(pdf, name=f"{word}.pdf"))
    if collection is not None:
        document.collection = collection
    document._set_document_file_metadata()
    document.save()
    analyse_document.call(document.pk)  # what the task queue does after the commit
    document.refresh_from_db()
    return document


def make_annex_document(word, collection=None):
    document = Document(
        title=f"Annexe {word}",
        file=ContentFile(f"annexe;valeur\nannexe-{word};1\n".encode(), name=f"{word}.csv"),
    )
    if collection is not None:
        document.collection = collection
    document._set_document_file_metadata()
    document.save()
    return document


def add(parent, page, kind, group):
    """Add `page` below `parent` in the state `kind` says (public when `kind` is None)."""
    if kind == "draft":
        page.live = False
        parent.add_child(instance=page)
        page.save_revision()
        return page
    parent.add_child(instance=page)
    if kind == "scheduled":
        page.go_live_at = timezone.now() + timedelta(days=7)
    page.save_revision().publish()
    page.refresh_from_db()
    if kind == "unpublished":
        page.unpublish()
    elif kind == "password":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    elif kind == "login":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif kind == "group":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.set([group])
    page.refresh_from_db()
    return page


def build_world(word, kind, *, library, agenda, showcase, departement, group, private):
    collection = private if kind == "collection" else None
    theme = Theme.objects.create(name=f"Thème {word}")
    document = make_document(word, collection)
    annex_document = make_annex_document(word, collection)
    publication = PublicationPage(
        title=f"Étude {word}",
        summary="Une étude de l'Observatoire.",
        document=document,
        annexes=[PublicationAnnex(document=annex_document, title="Tableaux")],
    )
    page_kind = None if kind in (None, "collection") else kind
    publication = add(library, publication, page_kind, group)
    world = World(word=word, publication=publication, annex=publication.annexes.get(), theme=theme)
    world.cover_renditions = [
        document.cover.get_rendition(spec)
        for spec in ("fill-160x220-c100|format-jpeg", "width-280|format-webp", "fill-1200x630")
    ]
    if kind == "collection":
        return world  # its pages are public: only its files are not
    start = timezone.now() + timedelta(days=30)
    world.event = add(
        agenda,
        EventPage(
            title=f"Rencontre {word}",
            summary="Une rencontre.",
            start=start,
            end=start + timedelta(hours=2),
            territory=departement,
            venue_name="Salle des fêtes",
            venue_city="Évreux",
        ),
        page_kind,
        group,
    )
    project = ProjectPage(title=f"Projet {word}", summary="Un projet.", territory=departement)
    project.themes = [theme]
    world.project = add(showcase, project, page_kind, group)
    return world


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """The secret content of every kind and its public counterpart (key None)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_worlds()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_worlds():
    group = Group.objects.create(name="Partenaires de l'Observatoire")
    private = Collection.get_first_root_node().add_child(name="Documents internes")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    places = {
        "library": PublicationIndexPage.objects.get(),
        "agenda": EventIndexPage.objects.get(),
        "showcase": ProjectIndexPage.objects.get(),
        "departement": Territory.objects.get(kind="departement", code=MAP_DEPARTEMENT),
        "group": group,
        "private": private,
    }
    worlds = {kind: build_world(word, kind, **places) for kind, word in KINDS.items()}
    worlds[None] = counterpart = build_world(PUBLIC_WORD, None, **places)
    secrets = [worlds[kind] for kind in KINDS]

    # The public counterpart's project shares each secret project's theme: the map filtered
    # on a kind's theme counts the counterpart only.
    counterpart.project.themes = [world.theme for world in secrets] + [counterpart.theme]
    counterpart.project.save_revision().publish()

    # Related content pointing at every secret publication and at the public one.
    publications = [world.publication for world in secrets] + [counterpart.publication]
    event = EventPage.objects.get(pk=counterpart.event.pk)
    event.related_pages = [EventRelatedPage(related_page=page) for page in publications]
    event.save_revision().publish()
    project = ProjectPage.objects.get(pk=counterpart.project.pk)
    project.related_publications = [ProjectPublication(publication=p) for p in publications]
    project.save_revision().publish()
    demo_publication = PublicationPage.objects.get(slug="poids-ess-orne")
    demo_publication.related_publications = [
        RelatedPublication(related=page) for page in publications
    ]
    demo_publication.save_revision().publish()

    # The home page's entry points and the pitch's examples name them too.
    home = HomePage.objects.get()
    for page in publications:
        home.entry_points.append(
            ("entry_point", {"title": f"Carte {page.title}", "link": {"page": page}})
        )
    home.save_revision().publish()
    pitch = PitchPage.objects.get()
    projects = [world.project for world in secrets if world.project] + [counterpart.project]
    for block in pitch.body:
        if block.block_type == "project_examples":
            block.value["projects"] = projects
    pitch.save_revision().publish()
    return worlds


# The paths that show a document or its cover: the only ones a document in a private collection
# concerns (its publication is public).
DOCUMENT_PATHS = (
    "documents",
    "media-document",
    "media-cover",
    "downloads",
    "cards",
    "page-cover",
    "search",
    "related",
)
MATRIX = [
    (kind, path)
    for kind in KINDS
    for path in (
        "page",
        "documents",
        "media-document",
        "media-cover",
        "downloads",
        "cards",
        "page-cover",
        "search",
        "suggestions",
        "atom",
        "ical",
        "sitemap",
        "related",
        "home",
        "map",
    )
    if kind in PAGE_KINDS or path in DOCUMENT_PATHS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "path"), MATRIX)
def test_nothing_private_shows_through(client, worlds, kind, path):
    CHECKS[path](client, worlds[kind], worlds[None], kind)


# What each path shows --------------------------------------------------------------------------


def text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def images_shown(content):
    """The ids of the images whose renditions `content` shows."""
    names = set(re.findall(r"/media/(images/[^\"'\s<>]+)", content))
    return set(Rendition.objects.filter(file__in=names).values_list("image_id", flat=True))


def served_file(response, marker):
    """Whether the response hands out the file (its bytes, or the front server's header)."""
    return response.status_code == 200 and marker in text(response)


def shown(client, url):
    """What a visitor gets at `url`, less `url` itself (a password form sends it back)."""
    return text(client.get(url)).replace(url, "")


def check_page(client, secret, public, kind):
    for page in (secret.publication, secret.event, secret.project):
        response = client.get(page.url)
        assert response.status_code in (302, 404) or "password" in text(response), page.url
        assert secret.word not in shown(client, page.url)
    assert secret.word not in shown(client, secret.event.url + "calendrier.ics")
    for page in (public.publication, public.event, public.project):
        response = client.get(page.url)
        assert response.status_code == 200 and public.word in text(response)


def check_documents(client, secret, public, kind):
    assert not served_file(client.get(secret.document.url), "%PDF")
    assert not served_file(client.get(secret.annex.document.url), secret.annex_marker)
    assert served_file(client.get(public.document.url), "%PDF")
    assert served_file(client.get(public.annex.document.url), public.annex_marker)


def check_media_document(client, secret, public, kind):
    """A document is never under /media/, public or not: only /documents/ hands it out."""
    for world in (secret, public):
        for document in (world.document, world.annex.document):
            assert client.get(f"/media/{document.file.name}").status_code == 404
            assert client.get(f"/media/documents/{document.filename}").status_code == 404
    assert served_file(client.get(public.document.url), "%PDF")


def check_media_cover(client, secret, public, kind):
    for world in (secret, public):
        # The original is never linked by the public site: nobody but editors gets it.
        assert client.get(f"/media/{world.document.cover.file.name}").status_code == 404
    for rendition in secret.cover_renditions:
        assert client.get(rendition.url).status_code == 404, rendition.url
    for rendition in public.cover_renditions:
        assert client.get(rendition.url).status_code == 200, rendition.url


def check_downloads(client, secret, public, kind):
    for world, expected in ((secret, False), (public, True)):
        url = world.publication.url + "telecharger/"
        assert served_file(client.get(url), "%PDF") is expected, url
        url += f"annexe/{world.annex.pk}/"
        assert served_file(client.get(url), world.annex_marker) is expected, url


def check_cards(client, secret, public, kind):
    library = text(client.get(PublicationIndexPage.objects.get().url))
    assert secret.cover_id not in images_shown(library)
    assert public.cover_id in images_shown(library) and public.publication.title in library
    if kind == "collection":  # the publication is public, its PDF's cover is not
        assert secret.publication.title in library
    else:
        assert secret.publication.title not in library


def check_page_cover(client, secret, public, kind):
    """The publication's own page: its cover (also as og:image and in JSON-LD), its download
    button and its annexes."""
    response = client.get(secret.publication.url)
    content = text(response)
    assert secret.cover_id not in images_shown(content)
    assert "telecharger/" not in content
    assert secret.document.title not in content
    if kind == "collection":
        assert response.status_code == 200 and secret.publication.title in content
    content = text(client.get(public.publication.url))
    assert public.cover_id in images_shown(content)
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', content).group(1)
    json_ld_image = re.search(r'"image": "([^"]+)"', content).group(1)
    for url in (og_image, json_ld_image):
        assert images_shown(url) == {public.cover_id}
    assert f'{public.publication.url}telecharger/"' in content
    assert f"{public.publication.url}telecharger/annexe/{public.annex.pk}/" in content


def search(client, query):
    return text(client.get("/recherche/", {"q": query}))


def found(content, page):
    """Whether a page of search results links to `page` (titles are shown with marks)."""
    return f'href="{page.url}"' in content


def check_search(client, secret, public, kind):
    # Words only inside the PDF find nothing, and show nothing of it.
    content = search(client, secret.pdf_word)
    assert not found(content, secret.publication)
    assert secret.context_word not in content
    content = search(client, public.pdf_word)
    assert found(content, public.publication)
    assert "Dans le document PDF" in content and public.context_word in content
    # Words of the titles: the pages are found only when public, never with the PDF's text.
    content = search(client, secret.word)
    assert secret.context_word not in content
    secret_pages = [secret.publication, secret.event, secret.project]
    if kind == "collection":
        assert found(content, secret.publication)
    else:
        assert not any(found(content, page) for page in secret_pages)
    content = search(client, public.word)
    assert all(found(content, page) for page in (public.publication, public.event, public.project))


def suggested(client, query):
    response = client.get("/recherche/suggestions/", {"q": query})
    return [item["title"] for item in response.json()["suggestions"]]


def check_suggestions(client, secret, public, kind):
    assert suggested(client, secret.word) == []
    assert not set(secret.titles) & set(suggested(client, secret.word[:6]))
    assert set(public.titles) <= set(suggested(client, public.word))


def check_atom(client, secret, public, kind):
    feed = text(client.get(PublicationIndexPage.objects.get().url + "flux/"))
    assert secret.publication.title not in feed
    assert public.publication.title in feed


def check_ical(client, secret, public, kind):
    feed = text(client.get(EventIndexPage.objects.get().url + "agenda.ics"))
    assert secret.word not in feed
    assert public.event.title in feed
    assert secret.word not in shown(client, secret.event.url + "calendrier.ics")
    assert public.event.title in text(client.get(public.event.url + "calendrier.ics"))


def check_sitemap(client, secret, public, kind):
    sitemap = text(client.get("/sitemap.xml"))
    for page in (secret.publication, secret.event, secret.project):
        assert f"{page.url}<" not in sitemap
    for page in (public.publication, public.event, public.project):
        assert f"{page.url}<" in sitemap


def check_related(client, secret, public, kind):
    """An event's "Pour aller plus loin", a project's and a publication's related
    publications."""
    pages = [
        public.event.url,
        public.project.url,
        PublicationPage.objects.get(slug="poids-ess-orne").url,
    ]
    for url in pages:
        content = text(client.get(url))
        assert public.publication.title in content, url
        if kind == "collection":  # the publication is public, its PDF's cover is not
            assert secret.cover_id not in images_shown(content), url
        else:
            assert secret.publication.title not in content, url
            assert secret.publication.url not in content, url
    content = text(client.get(public.project.url))
    assert public.cover_id in images_shown(content)


def check_home(client, secret, public, kind):
    # The secret event's date comes first, the public one's next: both would be shown.
    soon = timezone.now() + timedelta(hours=1)
    for rank, world in enumerate((secret, public)):
        start = soon + timedelta(minutes=rank)
        EventOccurrence.objects.filter(page=world.event).update(
            start=start, end=start + timedelta(hours=1)
        )
    home = text(client.get("/"))
    next_events = home.split('class="next-events')[1].split("</section>")[0]
    assert public.event.title in next_events
    assert secret.event.title not in next_events
    entry_points = home.split('class="entry-points')[1].split("</section>")[0]
    assert f'href="{public.publication.url}"' in entry_points
    assert f'href="{secret.publication.url}"' not in entry_points

    pitch = text(client.get(PitchPage.objects.get().url))
    examples = pitch.split('class="project-examples"')[1].split("</section>")[0]
    assert public.project.title in examples
    assert secret.project.title not in examples


def check_map(client, secret, public, kind):
    """The projects map, narrowed to this kind's theme: the public project only."""
    response = client.get(ProjectIndexPage.objects.get().url, {"theme": secret.theme.slug})
    areas = {area.code: area for area in response.context["map"].areas}
    assert areas[MAP_DEPARTEMENT].count == 1
    titles = [project.title for project in response.context["listing"].items]
    assert titles == [public.project.title]


CHECKS = {
    "page": check_page,
    "documents": check_documents,
    "media-document": check_media_document,
    "media-cover": check_media_cover,
    "downloads": check_downloads,
    "cards": check_cards,
    "page-cover": check_page_cover,
    "search": check_search,
    "suggestions": check_suggestions,
    "atom": check_atom,
    "ical": check_ical,
    "sitemap": check_sitemap,
    "related": check_related,
    "home": check_home,
    "map": check_map,
}


def test_the_matrix_covers_every_kind_and_path():
    assert {kind for kind, _path in MATRIX} == set(KINDS)
    assert {path for _kind, path in MATRIX} == set(CHECKS)
    assert len(MATRIX) == len(PAGE_KINDS) * len(CHECKS) + len(DOCUMENT_PATHS)


# Pieces the matrix builds on -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_alias_of_a_private_page_is_private_too(home_page):
    from cress_site.visibility import is_public_page, public

    source = PublicationPage.objects.live().first()
    alias = source.create_alias(parent=home_page, update_slug="alias-de-publication")
    assert is_public_page(alias)
    PageViewRestriction.objects.create(page=source, restriction_type="login")
    assert not is_public_page(alias)
    assert not public(PublicationPage.objects.filter(pk=alias.pk), None).exists()
    assert not public(PublicationPage.objects.filter(pk=source.pk), None).exists()
