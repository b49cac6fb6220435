"""Generated values sent to the admin's listings, their filters, searches and exports, as an
administrator: never a server error, never a value reflected unescaped."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ
from tests.fuzz.harness import parameter_names, send
from tests.fuzz.strategies import parameters
from tests.fuzz.targets import ADMIN_TARGETS, KNOWN_VALUES, demo_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(db):
    return demo_urls()


@pytest.mark.parametrize("target", ADMIN_TARGETS, ids=lambda target: target.name)
@settings(FUZZ)
@given(data=st.data())
def test_admin_listings(administrator, urls, target, data):
    names = parameter_names(administrator, target, urls)
    pairs = data.draw(parameters(names, KNOWN_VALUES), label="parameters")
    send(administrator, "GET", target.path.format(**urls), pairs)
