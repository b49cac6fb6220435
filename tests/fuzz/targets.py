"""Every URL and form the fuzz suite sends generated values to.

A target names a path (a format string filled from `demo_urls()`: the demo site's own pages)
and the query parameters it knows, with a few values it accepts, so that generated values mix
what the view reads with what it does not. Each page is also read once before fuzzing, and the
names of the fields of its forms are added to its parameters: a filter added to a listing is
fuzzed without touching this table.

To add a URL, add a `Target`; to add a public form, a `FormTarget`.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Page

LISTING = ("q", "page", "tri")
PUBLICATION_FILTERS = ("type", "theme", "territoire", "annee")
EVENT_FILTERS = ("type", "territoire", "public", "format")
PROJECT_FILTERS = ("territoire", "theme", "accompagnement", "etape", "forme")
SEARCH_FILTERS = ("type", "territoire", "theme", "annee")
DIRECTORY_FILTERS = ("territoire", "famille", "secteur", "effectif")
KNOWN_VALUES = {
    "annee": ("2024", "2025", "1900", "2200"),
    "page": ("1", "2", "999"),
    "p": ("1", "2"),
    "tri": ("recentes", "anciennes", "titre", "date", "pertinence"),
    "territoire": ("calvados", "normandie", "orne", "manche"),
    "type": ("etude", "information", "publication"),
    "date": ("1", "2"),
    "q": ("coopérative", "ESS", '"économie sociale"', "123456789", "123 456 789"),
    "famille": ("association", "cooperative", "mutuelle"),
    "secteur": ("Q", "F", "A"),
    "effectif": ("NN", "11", "53"),
    "ordering": ("title", "-title", "latest_revision_created_at", "-created_at", "name"),
    "o": ("0", "-1", "1.2"),
}


@dataclass(frozen=True)
class Target:
    """A URL (`path`, a format string over `demo_urls()`) and the parameters it reads."""

    name: str
    path: str
    params: tuple = ()
    # Parts of the path itself to fuzz: {name: known values}; the path names them as {name}.
    path_params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FormTarget:
    """A public form: where it is, its fields and a valid value for each."""

    name: str
    path: str
    fields: dict
    method: str = "POST"


PUBLIC_TARGETS = [
    Target("home", "/", ()),
    Target("library", "{library}", LISTING + PUBLICATION_FILTERS),
    Target("library-feed", "{library}flux/", LISTING + PUBLICATION_FILTERS),
    Target("publication", "{publication}", ()),
    Target("publication-download", "{publication}telecharger/", ()),
    Target(
        "publication-annex",
        "{publication}telecharger/annexe/{annex}/",
        (),
        path_params={"annex": ("1", "2", "0")},
    ),
    Target("document", "{document}", ()),
    Target("agenda", "{agenda}", LISTING + EVENT_FILTERS),
    Target("agenda-archive", "{agenda}archives/", LISTING + EVENT_FILTERS),
    Target("agenda-this-month", "{agenda}mois/", LISTING + EVENT_FILTERS),
    Target(
        "month-grid",
        "{agenda}{year}/{month}/",
        LISTING + EVENT_FILTERS,
        path_params={
            "year": ("2025", "2000", "2100", "1999", "2101", "0000", "9999"),
            "month": ("01", "06", "12", "00", "13", "99"),
        },
    ),
    Target("agenda-ical", "{agenda}agenda.ics", LISTING + EVENT_FILTERS),
    Target("event", "{event}", ()),
    Target("event-ical", "{event}calendrier.ics", ()),
    Target("registration-form", "{event}inscription/", ("date",)),
    Target("registration-done", "{event}inscription/enregistree/", ()),
    Target(
        "confirmation",
        "/inscriptions/confirmation/{token}/",
        (),
        path_params={"token": ("abc:def", "0" * 32, "{confirm_token}")},
    ),
    Target(
        "cancellation",
        "/inscriptions/annulation/{token}/",
        (),
        path_params={"token": ("abc:def", "0" * 32, "{cancel_token}")},
    ),
    Target(
        "erase-link",
        "/mes-donnees/{token}/",
        (),
        path_params={"token": ("abc", "0" * 40, "{erase_token}")},
    ),
    Target("projects", "{projects}", LISTING + PROJECT_FILTERS),
    Target("project", "{project}", ()),
    Target("directory", "{directory}", LISTING + DIRECTORY_FILTERS),
    Target("directory-csv", "{directory}export.csv", ("q",) + DIRECTORY_FILTERS),
    Target("directory-json", "{directory}export.json", ("q",) + DIRECTORY_FILTERS),
    Target(
        "directory-unit",
        "{directory}{segment}/",
        (),
        path_params={"segment": ("123456789", "000000000", "12345678")},
    ),
    Target("directory-api", "/api/v1/entreprises/", ("q", "page") + DIRECTORY_FILTERS),
    Target(
        "directory-api-unit",
        "/api/v1/entreprises/{segment}/",
        (),
        path_params={"segment": ("123456789", "12345678", "abc")},
    ),
    Target("search", "/recherche/", LISTING + SEARCH_FILTERS),
    Target("suggestions", "/recherche/suggestions/", ("q",)),
    Target("content-page", "{content_page}", ()),
    Target("form-page", "{form_page}", ()),
    Target("sitemap", "/sitemap.xml", ("p",)),
    Target("any-page", "/{segment}/", (), path_params={"segment": ("agenda", "observatoire")}),
]

ADMIN_TARGETS = [
    Target("admin-registrations", "/admin/events/registration/", ("q", "o", "p")),
    Target("admin-forms", "/admin/forms/", ("q", "p", "ordering")),
    Target(
        "admin-form-submissions",
        "{submissions}",
        ("date_from", "date_to", "p", "ordering", "export"),
    ),
    Target("admin-downloads-report", "/admin/reports/telechargements/", ("p", "export")),
    Target("admin-search-report", "/admin/reports/recherches/", ("p", "ordering", "export")),
    Target("admin-site-history", "/admin/reports/site-history/", ("p", "ordering")),
    Target("admin-aging-pages", "/admin/reports/aging-pages/", ("p", "ordering")),
    Target("admin-locked-pages", "/admin/reports/locked/", ("p", "ordering")),
    Target("admin-workflow-report", "/admin/reports/workflow/", ("p", "ordering")),
    Target("admin-page-types", "/admin/reports/page-types-usage/", ("p", "ordering")),
    Target("admin-explore", "{explore}", ("p", "ordering", "q")),
    Target("admin-page-search", "/admin/pages/search/", ("q", "p", "ordering")),
    Target("admin-publications", "/admin/publications/", ("q", "p", "ordering")),
    Target("admin-page-history", "{page_history}", ("p", "ordering")),
    Target("admin-territories", "/admin/snippets/cress_site/territory/", ("q", "p", "ordering")),
    Target("admin-themes", "/admin/snippets/cress_site/theme/", ("q", "p", "ordering")),
    Target("admin-audiences", "/admin/snippets/events/audience/", ("q", "p", "ordering")),
    Target(
        "admin-support-types",
        "/admin/snippets/projects_showcase/supporttype/",
        ("q", "p", "ordering"),
    ),
    Target("admin-images", "/admin/images/", ("q", "p", "ordering", "collection_id", "tag")),
    Target("admin-image-chooser", "/admin/images/chooser/results/", ("q", "p", "collection_id")),
    Target("admin-documents", "/admin/documents/", ("q", "p", "ordering", "collection_id")),
    Target("admin-document-chooser", "/admin/documents/chooser/results/", ("q", "p")),
    Target("admin-page-chooser", "/admin/choose-page/search/", ("q", "p", "page_type")),
    Target("admin-users", "/admin/users/", ("q", "p", "ordering")),
    Target("admin-redirects", "/admin/redirects/", ("q", "p", "ordering")),
    Target("admin-promotions", "/admin/searchpicks/", ("q", "p", "ordering")),
]


def demo_urls():
    """The paths the targets are made of, from the demo site."""
    from cress_site.erase_links import address_token
    from directory.models import DirectoryPage
    from events.models import EventIndexPage, EventPage, Registration
    from events.views import cancel_token, confirm_token
    from home.models import ContentPage, FormPage
    from projects_showcase.models import ProjectIndexPage, ProjectPage
    from publications.models import PublicationIndexPage, PublicationPage

    publication = PublicationPage.objects.live().exclude(document=None).first()
    event = EventPage.objects.live().filter(registration_enabled=True).first()
    form_page = FormPage.objects.live().first()
    document = get_document_model().objects.first()
    return {
        "library": PublicationIndexPage.objects.live().first().url,
        "publication": publication.url,
        "document": document.url,
        "agenda": EventIndexPage.objects.live().first().url,
        "event": event.url,
        "projects": ProjectIndexPage.objects.live().first().url,
        "directory": DirectoryPage.objects.live().first().url,
        "project": ProjectPage.objects.live().first().url,
        "content_page": ContentPage.objects.live().first().url,
        "form_page": form_page.url,
        "submissions": reverse("wagtailforms:list_submissions", args=[form_page.pk]),
        "explore": reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk]),
        "page_history": reverse("wagtailadmin_pages:history", args=[publication.pk]),
        # The secrets of the e-mailed links, genuine ones (the demo has a registration still to
        # confirm, and confirmed ones).
        "confirm_token": confirm_token(_registration(Registration.Status.PENDING)),
        "cancel_token": cancel_token(_registration(Registration.Status.CONFIRMED)),
        "erase_token": address_token(_registration(Registration.Status.CONFIRMED).email),
    }


def _registration(status):
    from events.models import Registration

    return Registration.objects.filter(status=status).exclude(email="").order_by("pk").first()
