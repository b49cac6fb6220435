"""View restrictions (BasePage.get_view_restrictions, cress_site.visibility): the same answers as
Wagtail's `Page.get_view_restrictions()`, an alias counting as the page at the end of its chain
however long, read from the site's list of restricted branches (no query for a public page)."""

from wagtail.models import Page, PageViewRestriction

import pytest

from cress_site.visibility import is_public_page, public, restricted_branches
from events.models import EventIndexPage, EventPage
from home.models import ContentPage, PitchPage
from tests.cress_site.test_query_budgets import rendered_queries, urls

pytestmark = pytest.mark.django_db


def first(model):
    return model.objects.live().order_by("path").first()


def restriction_sets(page):
    return set(page.get_view_restrictions()), set(Page.get_view_restrictions(page))


def test_view_restrictions_none(home_page):
    event = first(EventPage)
    ours, wagtails = restriction_sets(event)
    assert ours == wagtails == set()


def test_view_restrictions_on_an_ancestor_and_on_the_page(home_page):
    agenda = EventIndexPage.objects.get()
    event = first(EventPage)
    on_agenda = PageViewRestriction.objects.create(page=agenda, restriction_type="login")
    elsewhere = PageViewRestriction.objects.create(
        page=first(ContentPage), restriction_type="login"
    )
    ours, wagtails = restriction_sets(event)
    assert ours == wagtails == {on_agenda}
    on_event = PageViewRestriction.objects.create(
        page=event, restriction_type="password", password="x"
    )
    ours, wagtails = restriction_sets(event)
    assert ours == wagtails == {on_agenda, on_event}
    on_home = PageViewRestriction.objects.create(page=home_page, restriction_type="login")
    ours, wagtails = restriction_sets(event)
    assert ours == wagtails == {on_agenda, on_event, on_home}
    assert elsewhere not in ours
    ours, wagtails = restriction_sets(agenda)
    assert ours == wagtails == {on_agenda, on_home}


def test_view_restrictions_of_aliases_are_their_sources(home_page):
    about = first(ContentPage)
    team = about.add_child(instance=ContentPage(title="Équipe", slug="equipe"))
    alias = about.create_alias(recursive=True, update_slug="a-propos-bis")
    team_alias = ContentPage.objects.get(alias_of=team)
    alias_of_alias = team_alias.create_alias(parent=team_alias, update_slug="bis")
    on_about = PageViewRestriction.objects.create(page=about, restriction_type="login")
    on_team = PageViewRestriction.objects.create(page=team, restriction_type="login")
    for page in [alias, team_alias, alias_of_alias]:
        ours, wagtails = restriction_sets(Page.objects.get(pk=page.pk).specific)
        assert ours == wagtails
    assert restriction_sets(alias_of_alias)[0] == {on_about, on_team}


def test_view_restrictions_take_at_most_one_query(django_assert_num_queries, home_page):
    event = first(EventPage)
    PageViewRestriction.objects.create(page=event.get_parent(), restriction_type="login")
    home_page.get_view_restrictions()  # the site's list of restricted branches, read once
    with django_assert_num_queries(1):
        assert len(event.get_view_restrictions()) == 1
    # Outside every restricted branch: none, without a query.
    with django_assert_num_queries(0):
        assert list(home_page.get_view_restrictions()) == []


def test_without_any_restriction_no_query(django_assert_num_queries, home_page):
    assert not PageViewRestriction.objects.exists()
    event = first(EventPage)
    event.get_view_restrictions()  # the site's (empty) list of restricted branches, read once
    with django_assert_num_queries(0):
        assert list(event.get_view_restrictions()) == []


@pytest.mark.parametrize("page_type", ["content", "event", "publication index"])
def test_a_private_page_elsewhere_adds_no_query_to_public_pages(client, settings, page_type):
    """Serving a page reads its view restrictions (Wagtail's `before_serve_page` hook): from
    the list of restricted branches, which says at once that none applies here."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = urls()[page_type]
    without, _html = rendered_queries(client, url)
    PageViewRestriction.objects.create(page=first(PitchPage), restriction_type="login")
    with_one, _html = rendered_queries(client, url)
    assert with_one == without


def test_the_list_of_restricted_branches_takes_one_query(django_assert_num_queries, home_page):
    """However long the chains of aliases."""
    source = home_page.add_child(instance=ContentPage(title="Réservée", slug="reservee"))
    PageViewRestriction.objects.create(page=source, restriction_type="login")
    chain = alias_chain(source, home_page, 5)
    with django_assert_num_queries(1):
        branches = restricted_branches(None)
    assert {branch.path for branch in branches} == {page.path for page in [source, *chain]}
    assert {branch.source for branch in branches} == {source.pk}


# -- Chains of aliases of any length ---------------------------------------------------------------

SECRET_WORD = "zygopetalite"


def alias_chain(source, parent, length, start=1):
    """An alias of `source`, an alias of that alias, and so on: `length` pages under `parent`."""
    chain = []
    page = source
    for level in range(start, start + length):
        page = page.create_alias(parent=parent, update_slug=f"{source.slug}-alias-{level}")
        chain.append(page)
    return chain


def found_by_search(client, page):
    content = client.get("/recherche/", {"q": SECRET_WORD}).content.decode()
    return f'href="{page.url}"' in content


@pytest.fixture
def source(home_page):
    return home_page.add_child(
        instance=ContentPage(title=f"Espace adhérents {SECRET_WORD}", slug="espace-adherents")
    )


@pytest.mark.parametrize("length", [4, 6])
def test_the_deepest_alias_of_a_private_page_is_private(client, home_page, source, length):
    # The first alias is made before the restriction: Wagtail copies a page's restrictions to
    # its new aliases, so the next ones get none of their own, as in a site where a page was
    # aliased, then made private, then the alias aliased.
    chain = alias_chain(source, home_page, 1)
    restriction = PageViewRestriction.objects.create(page=source, restriction_type="login")
    assert not is_public_page(source)  # the list of restricted branches is read, then…
    chain += alias_chain(chain[0], home_page, length - 1, start=2)  # … the aliases made
    assert not PageViewRestriction.objects.filter(page__in=chain).exists()
    deepest = Page.objects.get(pk=chain[-1].pk).specific
    assert deepest.alias_of.alias_of.alias_of_id == chain[-4].pk  # an alias of an alias of…
    # Wagtail's own answer, and ours.
    assert restriction_sets(deepest) == ({restriction}, {restriction})
    # The page asks to log in; the search and the lists leave it out.
    response = client.get(deepest.url)
    assert response.status_code == 302
    assert response["Location"] == f"/_util/login/?next={deepest.url}"
    assert not found_by_search(client, deepest)
    assert not is_public_page(deepest)
    assert not public(Page.objects.filter(pk__in=[page.pk for page in chain]), None).exists()


def test_the_deepest_alias_is_public_again_once_the_restriction_is_removed(
    client, home_page, source
):
    restriction = PageViewRestriction.objects.create(page=source, restriction_type="login")
    chain = alias_chain(source, home_page, 4)
    deepest = Page.objects.get(pk=chain[-1].pk).specific
    assert client.get(deepest.url).status_code == 302
    restriction.delete()
    assert restriction_sets(deepest) == (set(), set())
    response = client.get(deepest.url)
    assert response.status_code == 200
    assert SECRET_WORD in response.content.decode()
    assert found_by_search(client, deepest)
    assert is_public_page(deepest)
    assert set(public(Page.objects.filter(pk__in=[page.pk for page in chain]), None)) == set(
        Page.objects.filter(pk__in=[page.pk for page in chain])
    )


def test_a_restriction_on_an_alias_itself_counts_for_nothing_as_in_wagtail(home_page):
    """Wagtail reads an alias's restrictions from its source (the admin gives an alias no
    privacy setting of its own)."""
    source = home_page.add_child(instance=ContentPage(title="Ouverte", slug="ouverte"))
    chain = alias_chain(source, home_page, 4)
    PageViewRestriction.objects.create(page=chain[1], restriction_type="login")
    deepest = Page.objects.get(pk=chain[-1].pk).specific
    assert restriction_sets(deepest) == (set(), set())
    assert is_public_page(deepest)
