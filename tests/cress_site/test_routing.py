"""Page routing (Wagtail's serve view, each page on the way read once by cress_site.routing) and
private pages: the same answers as Wagtail's own `Page.route()`, for fewer queries. (View
restrictions themselves: test_view_restrictions.py.)"""

from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site

import pytest

from cress_site.routing import SpecificRoutingMixin
from events.models import EventIndexPage, EventPage
from home.models import ContentPage
from projects_showcase.models import ProjectPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


def first(model):
    return model.objects.live().order_by("path").first()


def route_paths():
    """A URL path (without its leading slash) for every page type and sub-route."""
    agenda = EventIndexPage.objects.get().url.lstrip("/")
    event = first(EventPage).url.lstrip("/")
    publication = PublicationPage.objects.get(slug="poids-ess-orne").url.lstrip("/")
    project = first(ProjectPage)
    return {
        "home": "",
        "content": first(ContentPage).url.lstrip("/"),
        "publication index": PublicationPage.objects.first().get_parent().url.lstrip("/"),
        "publication": publication,
        "publication download": publication + "telecharger/",
        "event index": agenda,
        "month grid": agenda + "2026/12/",
        "month": agenda + "mois/",
        "archives": agenda + "archives/",
        "ical feed": agenda + "agenda.ics",
        "event": event,
        "event ical": event + "calendrier.ics",
        "project index": project.get_parent().url.lstrip("/"),
        "project": project.url.lstrip("/"),
    }


def wagtails_route(rf, path):
    """What Wagtail's own `Page.route()` answers, as (page id, page class, view name, args,
    kwargs)."""
    with mock.patch.object(SpecificRoutingMixin, "route", Page.route):
        return summary(Page.route_for_request(rf.get("/" + path), path))


def our_route(rf, path):
    return summary(Page.route_for_request(rf.get("/" + path), path))


def summary(result):
    if result is None:
        return None
    page, args, kwargs = result
    if args:  # a RoutablePageMixin sub-route: (view, view args, view kwargs)
        view, view_args, view_kwargs = args
        args = (view.__name__, tuple(view_args), view_kwargs)
    return page.pk, type(page), args, kwargs


# -- Same answers as Wagtail ----------------------------------------------------------------------


ROUTE_NAMES = [
    "home",
    "content",
    "publication index",
    "publication",
    "publication download",
    "event index",
    "month grid",
    "month",
    "archives",
    "ical feed",
    "event",
    "event ical",
    "project index",
    "project",
]


@pytest.mark.parametrize("route_name", ROUTE_NAMES)
def test_every_page_type_and_sub_route_routes_as_wagtail_does(rf, route_name):
    path = route_paths()[route_name]
    expected = wagtails_route(rf, path)
    assert expected is not None
    assert our_route(rf, path) == expected


@pytest.mark.parametrize(
    "route_name, content_type",
    [
        ("home", "text/html"),
        ("content", "text/html"),
        ("publication", "text/html"),
        ("publication download", "application/pdf"),
        ("event index", "text/html"),
        ("month grid", "text/html"),
        ("archives", "text/html"),
        ("ical feed", "text/calendar"),
        ("event", "text/html"),
        ("event ical", "text/calendar"),
        ("project", "text/html"),
    ],
)
def test_every_page_type_and_sub_route_serves(client, route_name, content_type):
    response = client.get("/" + route_paths()[route_name])
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_pages_are_served_by_wagtails_view():
    assert resolve("/").func is wagtail_views.serve
    assert resolve("/agenda/archives/").func is wagtail_views.serve
    assert resolve("/agenda/agenda.ics").func is wagtail_views.serve
    # The page URLs are reversed as before.
    assert reverse("wagtail_serve", args=[""]) == "/"
    assert reverse("wagtail_serve", args=["a-propos/"]) == "/a-propos/"
    assert first(ContentPage).url == "/" + route_paths()["content"]


ODD_PATHS = [
    "inconnu/",
    "agenda/inconnu/",
    "agenda/archives/en-trop/",
    "agenda/2026/13/en-trop/",
    "accueil/",
    "accueil/agenda/",
    "a-propos/agenda.ics",
    "agenda/calendrier.ics",
    "agenda/agenda.ics/en-trop/",
    "../",
    "agenda/../",
    "agenda/../a-propos/",
    "./agenda/",
    "agenda//archives/",
    "//",
    "_util/",
    "%2e%2e/",
    "agenda/%00/",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_unknown_and_odd_paths_route_as_wagtail_does(rf, path):
    assert our_route(rf, path) == wagtails_route(rf, path)


@pytest.mark.parametrize(
    "path",
    # "//": "///" is read as the home page's URL (an empty host, then "/").
    [path for path in ODD_PATHS if path != "//"] + ["agenda/x.ics", "a-propos/.ics", "x/%2e%2e/"],
)
def test_unknown_and_odd_paths_are_not_found(client, path):
    # The test client raises the view's exception instead of answering 500.
    assert client.get("/" + path).status_code == 404


def test_a_draft_page_is_not_found(client, rf):
    event = first(EventPage)
    path = event.url.lstrip("/")
    Page.objects.filter(pk=event.pk).update(live=False)
    assert wagtails_route(rf, path) is None
    assert our_route(rf, path) is None
    assert client.get(event.url).status_code == 404
    assert client.get(event.url + "calendrier.ics").status_code == 404


def test_a_live_page_under_a_draft_parent_is_served(client, rf):
    """As in Wagtail: only the page served must be live. A draft RoutablePageMixin page
    answers none of its own sub-routes, though."""
    agenda = EventIndexPage.objects.get()
    event = first(EventPage)
    Page.objects.filter(pk=agenda.pk).update(live=False)
    for path in [event.url, event.url + "calendrier.ics", agenda.url, agenda.url + "archives/"]:
        assert our_route(rf, path.lstrip("/")) == wagtails_route(rf, path.lstrip("/"))
    assert client.get(event.url).status_code == 200
    assert client.get(event.url + "calendrier.ics").status_code == 200
    assert client.get(agenda.url).status_code == 404
    assert client.get(agenda.url + "archives/").status_code == 404


def test_a_sub_route_wins_over_a_child_with_the_same_slug(rf):
    agenda = EventIndexPage.objects.get()
    archives = ContentPage(title="Archives", slug="archives")
    agenda.add_child(instance=archives)
    path = agenda.url.lstrip("/") + "archives/"
    expected = wagtails_route(rf, path)
    assert expected[0] == agenda.pk
    assert our_route(rf, path) == expected


def test_deeper_pages_route_as_wagtail_does(rf, client):
    about = first(ContentPage)
    team = about.add_child(instance=ContentPage(title="Équipe", slug="equipe"))
    board = team.add_child(instance=ContentPage(title="Bureau", slug="bureau"))
    draft = team.add_child(instance=ContentPage(title="Brouillon", slug="brouillon", live=False))
    for page in [team, board, draft]:
        path = page.url_path[len("/accueil/") :]
        assert our_route(rf, path) == wagtails_route(rf, path)
    assert client.get(board.url).status_code == 200
    assert client.get(draft.url_path[len("/accueil") :]).status_code == 404


# -- Private pages --------------------------------------------------------------------------------


def test_a_page_under_a_login_restriction_asks_to_log_in(client):
    agenda = EventIndexPage.objects.get()
    event = first(EventPage)
    PageViewRestriction.objects.create(page=agenda, restriction_type="login")
    response = client.get(event.url)
    assert response.status_code == 302
    assert response["Location"] == f"/_util/login/?next={event.url}"
    # Wagtail's login page is still reached, before our page URLs.
    assert client.get("/_util/login/").status_code == 200


def test_a_page_under_a_password_restriction_asks_for_it(client):
    page = first(ContentPage)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="secret"
    )
    response = client.get(page.url)
    assert response.status_code == 200
    action = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    assert action in response.content.decode()
    response = client.post(action, {"password": "secret", "return_url": page.url})
    assert response.status_code == 302
    assert response["Location"] == page.url
    response = client.get(page.url)
    assert response.status_code == 200
    assert action not in response.content.decode()


@pytest.mark.parametrize(
    "return_url",
    [
        "https://example.com/",
        "//example.com/",
        "javascript:alert(1)",
        "accueil",
        "page-inconnue",
        "",
    ],
)
def test_after_a_password_an_odd_return_address_leads_to_the_page(client, return_url):
    """Not to another site, not to /accounts/profile/ (a 404), not to a 500."""
    page = first(ContentPage)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="secret"
    )
    action = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    response = client.post(action, {"password": "secret", "return_url": return_url})
    if return_url == "":  # a field of the form left out: the form again
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response["Location"] == page.url
    assert client.get(response["Location"]).status_code == 200


def test_after_a_password_a_page_of_the_site_below_the_restriction_is_reached(client):
    about = first(ContentPage)
    team = about.add_child(instance=ContentPage(title="Équipe", slug="equipe"))
    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type="password", password="secret"
    )
    action = f"/_util/authenticate_with_password/{restriction.pk}/{team.pk}/"
    response = client.post(action, {"password": "secret", "return_url": team.url + "?a=1"})
    assert response["Location"] == team.url + "?a=1"


def test_a_wrong_password_shows_the_form_again(client):
    page = first(ContentPage)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="secret"
    )
    action = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    response = client.post(action, {"password": "faux", "return_url": page.url})
    assert response.status_code == 200
    assert action in response.content.decode()
    assert client.get(page.url).content.decode().count(action) == 1  # still locked


def test_the_login_form_of_a_private_page_without_next_leads_home(client, django_user_model):
    django_user_model.objects.create_user(username="lecteur", password="mot-de-passe-123")
    response = client.post("/_util/login/", {"username": "lecteur", "password": "mot-de-passe-123"})
    assert response.status_code == 302
    assert response["Location"] == "/"


# -- Queries --------------------------------------------------------------------------------------


def test_a_child_of_a_type_its_parent_does_not_list_routes_as_wagtail_does(rf, client):
    """Read as Wagtail reads it (its parent's subpage_types do not name its table)."""
    agenda = EventIndexPage.objects.get()
    stray = agenda.add_child(instance=ContentPage(title="Égarée", slug="egaree"))
    path = stray.url.lstrip("/")
    assert our_route(rf, path) == wagtails_route(rf, path)
    assert our_route(rf, path)[1] is ContentPage
    assert client.get(stray.url).status_code == 200


# -- Queries --------------------------------------------------------------------------------------

# Below the home page (read with the site, once per content generation: see
# test_the_site_and_home_page_are_read_once_per_content_generation), the sections from the
# shared cache (read once per content generation too), then one query per page on the way,
# each read as its own class; Wagtail's `Page.route()` reads each twice.
ROUTING_QUERIES = {"event": 1, "publication": 1, "content": 0, "event index": 0}


def found_site(rf, path):
    request = rf.get("/" + path)
    return request, Site.find_for_request(request)


@pytest.mark.parametrize("route_name", ROUTING_QUERIES)
def test_routing_reads_each_page_once(rf, django_assert_num_queries, home_page, route_name):
    path = route_paths()[route_name]
    components = [component for component in path.split("/") if component]
    # Content types read once per process, the section once per content generation.
    home_page.route(rf.get("/" + path), components)
    with django_assert_num_queries(ROUTING_QUERIES[route_name]):
        page = home_page.route(rf.get("/" + path), components).page
    assert page.url == "/" + path
    with django_assert_num_queries(0):
        assert type(page.specific) is type(page)


def test_the_site_and_home_page_are_read_once_per_content_generation(
    rf, client, settings, django_assert_num_queries
):
    """A request whose site is not known yet reads the site with its home page, and the home
    page as its own class (Wagtail's `Site.find_for_request`, then `site.root_page.specific`);
    the site is then kept with both for the next requests (cress_site.middleware)."""
    path = route_paths()["event"]
    event = first(EventPage)
    # Content types read once per process, the agenda (a section) once per content generation.
    Page.route_for_request(rf.get("/" + path), path)
    # The site with its home page, the home page as its own class, the event.
    with django_assert_num_queries(3):
        assert Page.route_for_request(rf.get("/" + path), path).page == event
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert client.get("/" + path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/" + path).status_code == 200
    sql = [query["sql"] for query in queries]
    assert not [query for query in sql if 'FROM "wagtailcore_site"' in query]
    assert not [query for query in sql if 'FROM "home_homepage"' in query]


def test_sections_are_read_once_per_content_generation(rf, django_assert_num_queries, home_page):
    """The children of the home page come from the shared cache until the content changes: a
    section renamed (a new slug, a new generation) routes at its new address at once."""
    section = first(EventIndexPage)
    old_path = section.url.strip("/") + "/"
    assert Page.route_for_request(rf.get("/" + old_path), old_path).page == section
    with django_assert_num_queries(0):
        home_page.route(rf.get("/" + old_path), [section.slug])
    section.slug = "evenements"
    section.save_revision().publish()
    assert Page.route_for_request(rf.get("/evenements/"), "evenements/").page == section
    assert Page.route_for_request(rf.get("/" + old_path), old_path) is None


def test_the_home_page_takes_one_query(rf, django_assert_num_queries, home_page):
    """Given the site (with its home page, as Wagtail reads it): the home page as its own
    class."""
    request, _site = found_site(rf, "")
    with django_assert_num_queries(1):
        assert Page.route_for_request(request, "").page == home_page


def test_the_route_is_kept_for_the_request(rf, django_assert_num_queries):
    event = first(EventPage)
    path = event.url.lstrip("/")
    request = rf.get(event.url)
    request.user = AnonymousUser()
    assert wagtail_views.serve(request, path).status_code == 200
    with django_assert_num_queries(0):
        assert Page.find_for_request(request, path) == event
        parent = Page.find_for_request(request, path).get_parent()
        # The parent comes as its own class, as Wagtail gives it.
        assert isinstance(parent, EventIndexPage)
    assert parent.url == EventIndexPage.objects.get().url


def test_a_routed_page_comes_with_the_relations_it_names(rf, django_assert_num_queries, home_page):
    """`route_select_related`: a publication's PDF and its cover are read with the page (one
    query)."""
    publication = PublicationPage.objects.exclude(document=None).order_by("path").first()
    assert publication.document.cover_id
    path = publication.url.strip("/")
    components = path.split("/")
    home_page.route(rf.get("/" + path), components)  # the section, once per generation
    with django_assert_num_queries(1):
        page = home_page.route(rf.get("/" + path + "/"), components).page
        assert page.document.cover.pk == publication.document.cover_id
