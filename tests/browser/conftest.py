"""Browser tests: the demo site served by a live Django server, driven through Debian's Chromium.

Every test here is marked `browser`. When /usr/bin/chromium is missing they are skipped, unless
REQUIRE_BROWSER_TESTS is set (CI): then each of them fails, so that a green run never hides
browser tests that did not run.

The live server shares the test database with the tests (`live_server` implies
`transactional_db`): pytest-django flushes the database after each of these tests, so
`live_site` puts the demo site back, from a snapshot taken once (tests/db_snapshot.py).
"""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the main thread: without this, Django refuses ORM
# calls made from the tests ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.core.management import call_command

from tests.browser.helpers import PageGuard
from tests.db_snapshot import DatabaseSnapshot

CHROMIUM = "/usr/bin/chromium"
BROWSER_DIR = Path(__file__).resolve().parent


def _chromium_missing_reason():
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return f"Chromium introuvable ({CHROMIUM}) : tests de navigateur impossibles."


def _in_browser_dir(item):
    return BROWSER_DIR in Path(str(item.path)).resolve().parents


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the browser tests, and run them after every other test.

    Each of them ends with a flush of the database (see `live_site`), which the other tests do
    not expect. pytest-django already runs transactional tests last, but pytest then regroups
    the tests that share a session-scoped parameter (pytest-playwright's `browser_name`), which
    can pull database tests behind them: the order is restored here, after that regrouping.
    """
    browser_items = [item for item in items if _in_browser_dir(item)]
    if not browser_items:
        return
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if not _in_browser_dir(item)] + browser_items


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip (or, with REQUIRE_BROWSER_TESTS, fail) before any fixture launches Chromium."""
    if not _in_browser_dir(item):
        return
    reason = _chromium_missing_reason()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(
            f"{reason} REQUIRE_BROWSER_TESTS est défini : les tests de navigateur doivent "
            "s'exécuter (installer le paquet Debian `chromium`).",
            pytrace=False,
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, without any call to Google's hosts (no network here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Pages open relative addresses (`page.goto("/contact/")`) on the live server."""
    return {**browser_context_args, "base_url": live_server.url}


_demo_snapshot = DatabaseSnapshot()


@pytest.fixture
def live_site(live_server):
    """The live server's base URL, with the demo site in its (possibly just flushed) database:
    built once, then restored from a snapshot (tests/db_snapshot.py)."""
    from home.models import HomePage

    if HomePage.objects.exists():  # as the session built it, or restored by a previous test
        if not _demo_snapshot.taken:
            _demo_snapshot.take()
    elif _demo_snapshot.taken:
        _demo_snapshot.restore()
    else:
        call_command("load_demo_content", without_communes=True, stdout=io.StringIO())
        _demo_snapshot.take()
    return live_server.url


@pytest.fixture
def guard(live_site):
    """A PageGuard for the live site; the test fails at teardown if a page broke the rules."""
    page_guard = PageGuard(live_site)
    yield page_guard
    page_guard.check()


@pytest.fixture
def site_page(page, guard):
    """Playwright's page (JS on, desktop size), watched by the guard."""
    return guard.attach(page)


@pytest.fixture
def new_guarded_page(new_context, guard):
    """Factory: a page in a new browser context (`new_context` options), watched by the guard."""

    def make(**context_options):
        context = new_context(**context_options)
        return guard.attach(context.new_page())

    return make


ADMIN_PASSWORD = "motdepasse-de-test"


@pytest.fixture
def admin_page(new_guarded_page, django_user_model):
    """Factory: a page (`new_context` options) signed in to the admin as a new superuser
    "equipe", on the dashboard."""

    def make(**context_options):
        django_user_model.objects.create_superuser(
            username="equipe", email="equipe@cress-normandie.example", password=ADMIN_PASSWORD
        )
        page = new_guarded_page(**context_options)
        page.goto("/admin/login/")
        page.locator("#id_username").fill("equipe")
        page.locator("#id_password").fill(ADMIN_PASSWORD)
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        return page

    return make
