"""The fuzz suite's judge fails on what it is there to find."""

from django.http import HttpResponse

import pytest

from tests.fuzz import harness
from tests.fuzz.harness import ERRORS, TALLY, FuzzClient, judge
from tests.fuzz.strategies import Sent, encode


@pytest.fixture
def client(monkeypatch):
    """A client whose judgements fail (even with FUZZ_TALLY_ONLY) and stay out of the run's
    tally."""
    monkeypatch.setattr(harness, "TALLY_ONLY", False)
    tally, errors = TALLY.copy(), {key: list(entry) for key, entry in ERRORS.items()}
    client = FuzzClient()
    yield client
    client.close()
    TALLY.clear()
    TALLY.update(tally)
    ERRORS.clear()
    ERRORS.update(errors)


def page(body, content_type="text/html; charset=utf-8"):
    return HttpResponse(body, content_type=content_type)


MARKED = [("q", Sent(encode('<fzabcd1234>"x'), ["abcd1234"]))]


def test_a_server_error_fails(client):
    with pytest.raises(AssertionError, match="answered 500"):
        judge(client, "GET /", 500, page(""), b"", [])


@pytest.mark.parametrize(
    "body", ["<p><fzabcd1234></p>", '<input value=""fzabcd1234">', "<script>fzabcd1234</script>"]
)
def test_a_value_reflected_as_markup_fails(client, body):
    with pytest.raises(AssertionError, match="unescaped"):
        judge(client, "GET /", 200, page(body), body.encode(), MARKED)


def test_a_tag_reflected_in_a_feed_fails(client):
    body = "<feed><title><fzabcd1234></title></feed>"
    with pytest.raises(AssertionError, match="unescaped"):
        judge(client, "GET /", 200, page(body, "application/atom+xml"), body.encode(), MARKED)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>&lt;fzabcd1234&gt;</p>", "text/html"),
        ('<input value="&quot;fzabcd1234">', "text/html"),
        ('{"q": "<fzabcd1234>"}', "application/json"),
        ('<script type="application/json">{"q": "\\"fzabcd1234"}</script>', "text/html"),
        ('<feed><title>recherche : « "fzabcd1234 »</title></feed>', "application/atom+xml"),
    ],
)
def test_an_escaped_value_or_one_outside_markup_passes(client, body, content_type):
    judge(client, "GET /", 200, page(body, content_type), body.encode(), MARKED)
