"""Fixtures shared by the whole suite.

The demo site is built once per test session, by the same command a person runs
(`load_demo_content`, without the 2,644 communes), and every database test sees it inside its
own rolled-back transaction.
"""

import io

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from wagtail.models import Site

import pytest

from cress_site import cache as content_cache
from search import vocabulary


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo_content", without_communes=True, stdout=io.StringIO())


@pytest.fixture
def site(db):
    return Site.objects.select_related("root_page").get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page cached by an earlier test may show content
    that test's rollback removed."""
    for alias in settings.CACHES:
        caches[alias].clear()
    vocabulary.forget()  # this process's copy of the search's vocabulary, as the cache
    content_cache.forget_held()  # and of the listings' facet indexes
