"""The fuzz suite's settings: a bounded number of examples, no example database.

`HYPOTHESIS_PROFILE=fuzz-long` tries ten times more inputs (for a run by hand). Examples are
drawn afresh at each run and never stored (`database=None`): a failure prints the blob that
replays it (`@reproduce_failure`).
"""

import os

import hypothesis
import pytest

from tests.fuzz.harness import ERRORS, TALLY, FuzzClient

COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    # The database, the clients and the demo site are set up once per test, not per example.
    "suppress_health_check": [
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
        hypothesis.HealthCheck.data_too_large,
        hypothesis.HealthCheck.filter_too_much,
    ],
}
hypothesis.settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)), **COMMON
)
hypothesis.settings.register_profile("fuzz-long", max_examples=250, **COMMON)
# The settings each fuzz test runs with (`@hypothesis.settings(FUZZ)`).
FUZZ = hypothesis.settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Thousands of requests from one client are the point here, not abuse to refuse
    (django-ratelimit reads RATELIMIT_ENABLE; without it, the setting is unused)."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def anonymous():
    client = FuzzClient()
    yield client
    client.close()


@pytest.fixture
def administrator(admin_user):
    client = FuzzClient()
    client.force_login(admin_user)
    yield client
    client.close()


def pytest_terminal_summary(terminalreporter):
    if not TALLY["requests"]:
        return
    terminalreporter.write_line(
        f"fuzz: {TALLY['requests']} requests sent, {TALLY['5xx']} answered 5xx, "
        f"{TALLY['reflections']} reflected a value unescaped"
    )
    for key, (count, what) in sorted(ERRORS.items()):
        terminalreporter.write_line(f"  {count:5d} × {key}, first: {what}")
