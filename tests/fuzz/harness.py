"""Sending one generated request and judging its answer, with a tally for the whole run.

With `FUZZ_TALLY_ONLY=1` a server error or a reflection is counted and reported at the end of
the run instead of failing the test: each target then tries all its examples, which gives the
number of distinct errors at once (the summary groups them by exception and place).
"""

import os
import re
import sys
import traceback
from collections import Counter

from django.core.signals import got_request_exception
from django.test import Client

from tests.fuzz.strategies import query_string

# Requests sent and answers judged, for the summary printed at the end of the run.
TALLY = Counter()
# (exception, where it was raised) -> [count, first request that raised it]
ERRORS = {}
TALLY_ONLY = os.environ.get("FUZZ_TALLY_ONLY") == "1"
# A marker right after one of these is markup the value injected: a tag, in HTML and XML; in
# HTML, also a quote that may close an attribute (Django escapes every quote it prints; a quote
# escaped for a JSON string, as in a <script type="application/json">, is no injection). XML
# text may hold a raw quote (feeds escape &, < and > only).
INJECTED = {
    "text/html": ("<fz{}", r'(?<!\\)"fz{}', "<script>fz{}"),
    "application/xhtml+xml": ("<fz{}", r'(?<!\\)"fz{}', "<script>fz{}"),
    "application/atom+xml": ("<fz{}", "<script>fz{}"),
    "application/rss+xml": ("<fz{}", "<script>fz{}"),
    "text/xml": ("<fz{}", "<script>fz{}"),
    "application/xml": ("<fz{}", "<script>fz{}"),
}
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
_field_names = {}


class FuzzClient(Client):
    """A test client that answers a server error as a response (not an exception), keeping the
    exception for the report."""

    def __init__(self, **kwargs):
        super().__init__(raise_request_exception=False, **kwargs)
        self.last_exception = None
        got_request_exception.connect(self._keep_exception, weak=False)

    def _keep_exception(self, sender, request=None, **kwargs):
        self.last_exception = sys.exc_info()[1]

    def request(self, **request):
        self.last_exception = None
        return super().request(**request)

    def close(self):
        got_request_exception.disconnect(self._keep_exception)


def send(client, method, path, pairs=(), *, body_pairs=None):
    """Send `pairs` in the query string (and `body_pairs` as a form body), judge the answer."""
    url = path + ("?" + query_string(pairs) if pairs else "")
    if method == "GET":
        response = client.get(url)
    else:
        response = client.generic(
            method,
            url,
            query_string(body_pairs or []),
            content_type="application/x-www-form-urlencoded",
        )
    status = response.status_code
    if response.streaming:
        # An error while the body is produced (a CSV export) is a server error too.
        try:
            body = b"".join(response.streaming_content)
        except Exception as error:
            client.last_exception, status, body = error, 500, b""
    else:
        body = response.content
    judge(client, f"{method} {url[:2000]}", status, response, body, [*pairs, *(body_pairs or [])])
    return response


def judge(client, what, status, response, body, pairs):
    """No server error; no marker of a sent value right after raw markup."""
    TALLY["requests"] += 1
    if status >= 500:
        TALLY["5xx"] += 1
        error = client.last_exception
        _record(error, what)
        trace = "".join(traceback.format_exception(error))[-4000:] if error else ""
        fail(f"{what} answered {status}: {error!r}\n{trace}")
    patterns = INJECTED.get(response.get("Content-Type", "").split(";")[0].strip())
    if not patterns:
        return
    body = body.decode("utf-8", "replace")
    for _name, sent in pairs:
        for marker in sent.markers:
            for pattern in patterns:
                found = re.search(pattern.format(marker), body)
                if found:
                    TALLY["reflections"] += 1
                    _record(None, what)
                    context = body[max(0, found.start() - 200) : found.end() + 50]
                    fail(f"{what} reflects {found.group(0)!r} unescaped: …{context}…")


def fail(message):
    if not TALLY_ONLY:
        raise AssertionError(message)


def _record(error, what):
    if error is None:
        key = f"reflection at {what.split('?')[0]}"
    else:
        frames = traceback.extract_tb(error.__traceback__)
        ours = [frame for frame in frames if "site-packages" not in frame.filename] or frames
        place = "/".join(ours[-1].filename.rsplit("/", 2)[-2:]) + f":{ours[-1].lineno}"
        key = f"{type(error).__name__} at {place}"
    entry = ERRORS.setdefault(key, [0, what])
    entry[0] += 1


def parameter_names(client, target, urls):
    """The parameters `target` declares, and the names of the fields of the forms of its page
    (read once per run): a filter added to a page is fuzzed without changing the targets."""
    path = target.path.format(
        **urls, **{name: known[0] for name, known in target.path_params.items()}
    )
    if path not in _field_names:
        response = client.get(path)
        names = set()
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            names = set(FIELD_NAME.findall(response.content.decode("utf-8", "replace")))
        names.discard("csrfmiddlewaretoken")
        _field_names[path] = names
    return sorted(set(target.params) | _field_names[path])
