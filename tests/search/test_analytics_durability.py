"""How many searches a killed worker may lose: none with Redis, a bounded few without.

The Redis tests talk to the Redis server of the machine (REDIS_TEST_URL, by default
redis://127.0.0.1:6379/15), under a key prefix of their own. When it cannot be reached they are
skipped, unless REQUIRE_REDIS_TESTS is set (CI), where they fail.
"""

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from django.utils import timezone

import pytest
import redis

from search import analytics, log_redis
from search.models import SearchQueryDay

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def empty_buffer():
    analytics.discard()
    yield
    analytics.discard()


def stored_hits():
    return sum(SearchQueryDay.objects.values_list("hits", flat=True))


# Without Redis: each worker's memory.


def test_a_killed_worker_loses_fewer_searches_than_the_flush_size(settings):
    """The same query searched 1,000 times (one distinct entry), each search followed by the
    end of its request: at most SEARCH_LOG_FLUSH_SIZE - 1 of them wait in memory at any time."""
    settings.SEARCH_LOG_FLUSH_SECONDS = 3600
    settings.SEARCH_LOG_FLUSH_SIZE = 20
    for _ in range(1000):
        analytics.record("coopérative", 3)
        analytics.flush_if_due()
    waiting = analytics._buffer.searches
    analytics.discard()  # what kill -9 does to the buffer
    assert waiting < 20
    assert stored_hits() == 1000 - waiting >= 981


# With Redis.


@pytest.fixture
def redis_store(settings):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS_TESTS"):
            pytest.fail(f"Redis is required (REQUIRE_REDIS_TESTS) but unreachable: {error}")
        pytest.skip(f"needs a Redis server at {REDIS_URL} (REDIS_TEST_URL): {error}")
    settings.SEARCH_LOG_REDIS_URL = REDIS_URL
    settings.SEARCH_LOG_REDIS_PREFIX = f"cress-test:searchlog:{uuid.uuid4().hex}"
    store = analytics._redis_store()
    yield store
    store.discard()


KILLED_WORKER = textwrap.dedent(
    """
    import os, signal, django
    django.setup()
    from django.conf import settings
    settings.SEARCH_LOG_REDIS_URL = os.environ["URL"]
    settings.SEARCH_LOG_REDIS_PREFIX = os.environ["PREFIX"]
    settings.SEARCH_LOG_FLUSH_SECONDS = 3600
    from search import analytics
    for number in range(1000):
        analytics.record("tiers-lieux" if number % 2 else "mobilité solidaire", number % 3)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_with_redis_a_killed_worker_loses_no_search(redis_store, settings):
    worker = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cress_site.settings.test",
            "URL": settings.SEARCH_LOG_REDIS_URL,
            "PREFIX": settings.SEARCH_LOG_REDIS_PREFIX,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr
    assert analytics._buffer.searches == 0  # nothing in this process's memory

    assert analytics.flush() == 2
    rows = {row.key: row for row in SearchQueryDay.objects.all()}
    assert rows["tiers-lieux"].hits == 500
    assert rows["mobilite solidaire"].hits == 500
    assert rows["mobilite solidaire"].text == "mobilité solidaire"
    # number % 3 == 0 found nothing: 334 of the 1,000 searches.
    assert sum(row.hits_without_results for row in rows.values()) == 334
    assert rows["tiers-lieux"].day == timezone.localdate()


def test_with_redis_searches_are_written_at_the_end_of_a_request(redis_store, client):
    analytics.record("entrepreneuriat", 3)
    assert analytics._buffer.searches == 0
    assert analytics.pending() == 1
    assert not SearchQueryDay.objects.exists()
    analytics._redis.last_flush = 0.0
    assert client.get("/").status_code == 200
    assert SearchQueryDay.objects.get().hits == 1
    assert analytics.pending() == 0


def test_with_redis_one_worker_writes_at_a_time(redis_store):
    analytics.record("habitat", 1)
    redis_store.client.set(redis_store.lock_key, "another worker", ex=60)
    assert analytics.flush() == 0
    assert analytics.pending() == 1
    redis_store.client.delete(redis_store.lock_key)
    assert analytics.flush() == 1
    assert stored_hits() == 1


def test_with_redis_a_batch_left_by_a_killed_flush_is_written_later(redis_store, monkeypatch):
    analytics.record("alimentation", 0)
    analytics.record("alimentation", 2)

    def killed(rows):
        raise RuntimeError("worker killed while writing")

    with pytest.raises(RuntimeError):
        redis_store.flush(killed)
    assert not SearchQueryDay.objects.exists()
    assert redis_store.client.get(redis_store.lock_key) is None
    analytics.record("alimentation", 5)
    # Before the lock's expiry the batch may still be in the hands of its worker: only the
    # new search is written.
    assert analytics.flush() == 1
    assert stored_hits() == 1
    later = log_redis.time.time() + log_redis.LOCK_SECONDS + 1
    monkeypatch.setattr(log_redis.time, "time", lambda: later)
    assert analytics.flush() == 1
    row = SearchQueryDay.objects.get()
    assert (row.hits, row.hits_without_results) == (3, 1)
    assert analytics.pending() == 0


def test_when_redis_is_unreachable_searches_are_counted_in_memory(settings, caplog):
    settings.SEARCH_LOG_REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: refused
    analytics._redis.last_warning = None
    analytics.record("insertion", 3)
    analytics.record("insertion", 3)
    assert analytics._buffer.searches == 2
    assert caplog.text.count("Redis unreachable") == 1
    settings.SEARCH_LOG_REDIS_URL = ""
    assert analytics.flush() == 1
    assert stored_hits() == 2
