"""What people search for on the site, counted cheaply, without losing the counts.

The search view calls `record(query, result_count)` once per search. Where the count waits
before it is written to the database depends on the installation:

- With Redis (SEARCH_LOG_REDIS_URL, which defaults to REDIS_URL): the search is added at once to
  one Redis hash shared by every worker and machine (one round trip, no database access). After a
  response has been sent, a worker whose last look is SEARCH_LOG_FLUSH_SECONDS old takes the
  hash (RENAME, atomic) and writes it to the database in one upsert, under a lock that lets one
  worker at a time do it. A taken hash is registered before it is written and deleted after the
  database has committed: one left behind by a worker killed mid-way is written by the next
  flush once the lock it held has expired. A worker killed at any moment loses no search (at
  worst, a batch written just before a kill is counted twice). If Redis cannot be reached, the
  search falls back to the worker's memory, below.
- Without Redis: each process (gunicorn worker) adds the search to an in-process buffer, written
  in one bulk upsert after a response has been sent once it holds SEARCH_LOG_FLUSH_SIZE searches
  or its oldest is SEARCH_LOG_FLUSH_SECONDS old, and at process exit. A worker killed without a
  clean exit (`kill -9`, out of memory) loses at most SEARCH_LOG_FLUSH_SIZE - 1 searches (19 by
  default).

The upsert adds to the stored counts, so several processes writing at once never lose a search.

Queries are counted per day (Europe/Paris, the site's time zone) and per normalised form (lower
case, no accents, single spaces), so "Économie  sociale" and "economie sociale" count together;
the report shows a form as people typed it.

Privacy: a query that looks like an e-mail address or a phone number is not stored as typed; it
is replaced as a whole (the rest of it may be a person's name) by "[adresse e-mail]" or
"[numéro de téléphone]". It is still counted: that people look for a contact on the site is
itself useful to the editors.
"""

import atexit
import logging
import os
import re
import threading
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone

import redis

from search.french import fold
from search.log_redis import RedisStore
from search.models import QUERY_MAX_LENGTH, SearchQueryDay

logger = logging.getLogger(__name__)

EMAIL_PLACEHOLDER = "[adresse e-mail]"
PHONE_PLACEHOLDER = "[numéro de téléphone]"

# Anything with an "@" between two non-blank characters: errs on the side of privacy.
_EMAIL = re.compile(r"\S@\S")
# French numbers: a 0 and nine more digits, spaces, dots or dashes allowed between them
# (06 12 34 56 78, 0612345678, 0 800 123 456); international ones (+33 6 12 34 56 78,
# +33 (0)6 12 34 56 78, 0033612345678). Years ("2023 2024"), postcodes, dates (01/02/2023) and
# SIREN/SIRET numbers are kept.
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    r"0(?:[\s.\-]?\d){9}"
    r"|(?:\+|00)\s?[1-9]\d{0,2}(?:\s?\(0\))?(?:[\s.\-]?\d){6,13}"
    r")(?!\d)"
)
_SPACES = re.compile(r"\s+")

# Beyond this many distinct entries waiting (say the database is down for a while, or a robot
# sends random queries), new queries are dropped rather than filling the memory.
MAX_BUFFERED_ENTRIES = 10_000
# After a failed flush, requests wait this long before trying again.
RETRY_DELAY_SECONDS = 60


def _now():
    return timezone.now()


def _setting(name, default):
    return getattr(settings, name, default)


def normalise(query):
    """`(text, key)` for a query: the text to show (as typed, spaces tidied, length capped,
    e-mail addresses and phone numbers replaced) and the key to count it under (the text
    folded: lower case, no accents). None for an empty query."""
    text = "".join(char for char in str(query) if char.isprintable() or char.isspace())
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return None
    # Checked on the whole query, before capping, so that no piece of an address is kept.
    if _EMAIL.search(text):
        text = EMAIL_PLACEHOLDER
    elif _PHONE.search(text):
        text = PHONE_PLACEHOLDER
    text = text[:QUERY_MAX_LENGTH].rstrip()
    key = _SPACES.sub(" ", fold(text.replace("’", "'"))).strip()[:QUERY_MAX_LENGTH].rstrip()
    return text, key


class _Buffer:
    """The searches recorded by this process and not written yet. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.flush_lock = threading.Lock()
        self.clear()

    def clear(self):
        self.hits = Counter()  # (day, key) -> searches
        self.hits_without_results = Counter()  # (day, key) -> searches that found nothing
        self.texts = {}  # (day, key) -> the query as first typed that day
        self.started = None  # time.monotonic() when the oldest waiting entry was added
        self.searches = 0  # searches waiting (an entry may count several)
        self.retry_after = 0.0
        self.dropped = 0

    def add(self, entry, text, found):
        with self.lock:
            if entry not in self.texts:
                if len(self.texts) >= MAX_BUFFERED_ENTRIES:
                    self.dropped += 1
                    return
                self.texts[entry] = text
            self.hits[entry] += 1
            self.searches += 1
            if not found:
                self.hits_without_results[entry] += 1
            if self.started is None:
                self.started = time.monotonic()

    def take(self):
        """Everything waiting, as a list of (day, key, text, hits, hits_without_results); the
        buffer is left empty."""
        with self.lock:
            rows = [
                (day, key, text, self.hits[day, key], self.hits_without_results[day, key])
                for (day, key), text in self.texts.items()
            ]
            dropped, started = self.dropped, self.started
            self.hits, self.hits_without_results, self.texts = Counter(), Counter(), {}
            self.started, self.dropped, self.searches = None, 0, 0
        if dropped:
            logger.warning("Search log buffer full: %s searches were not counted.", dropped)
        return rows, started

    def put_back(self, rows, started):
        """Return rows whose writing failed, to be written with the next flush."""
        with self.lock:
            for day, key, text, hits, hits_without_results in rows:
                entry = (day, key)
                if entry not in self.texts and len(self.texts) >= MAX_BUFFERED_ENTRIES:
                    self.dropped += hits
                    continue
                self.texts.setdefault(entry, text)
                self.hits[entry] += hits
                self.searches += hits
                self.hits_without_results[entry] += hits_without_results
            if rows:
                self.started = min(started or time.monotonic(), self.started or time.monotonic())
            self.retry_after = time.monotonic() + RETRY_DELAY_SECONDS

    def __len__(self):
        return len(self.texts)

    def is_due(self):
        with self.lock:
            if self.started is None or time.monotonic() < self.retry_after:
                return False
            return self.searches >= _setting("SEARCH_LOG_FLUSH_SIZE", 20) or (
                time.monotonic() - self.started >= _setting("SEARCH_LOG_FLUSH_SECONDS", 10)
            )


_buffer = _Buffer()


class _RedisState:
    """This process's view of the Redis store: when it last flushed, and when it last said that
    Redis could not be reached (once a minute at most)."""

    last_flush = 0.0
    last_warning = None


_redis = _RedisState()


def _redis_store():
    """The shared store when SEARCH_LOG_REDIS_URL is set, else None."""
    url = _setting("SEARCH_LOG_REDIS_URL", "")
    if not url:
        return None
    return RedisStore(url, _setting("SEARCH_LOG_REDIS_PREFIX", "cress:searchlog"))


def _redis_unreachable(error):
    now = time.monotonic()
    if _redis.last_warning is None or now - _redis.last_warning >= RETRY_DELAY_SECONDS:
        _redis.last_warning = now
        logger.warning("Search log: Redis unreachable (%s); counting in memory.", error)


def record(query, result_count):
    """Count one search (the query as searched, and how many results it gave). Cheap: no
    database access; never raises."""
    if not query:
        return
    try:
        normalised = normalise(query)
        if normalised is None:
            return
        text, key = normalised
        day = timezone.localtime(_now(), timezone.get_default_timezone()).date()
        store = _redis_store()
        if store is not None:
            try:
                store.add(day, key, text, bool(result_count))
                return
            except redis.RedisError as error:
                _redis_unreachable(error)
        _buffer.add((day, key), text, bool(result_count))
    except Exception:
        logger.exception("Could not record a search.")


def pending():
    """How many distinct (day, query) entries wait to be written (in this process's memory, and
    in Redis when it is used)."""
    store = _redis_store()
    return len(_buffer) + (store.pending() if store is not None else 0)


def discard():
    """Empty the buffer (and the Redis store) without writing it (for tests)."""
    with _buffer.lock:
        _buffer.clear()
    store = _redis_store()
    if store is not None:
        store.discard()


def flush(raise_errors=False):
    """Write what waits to the database now: this process's buffer, and the Redis store when
    it is used, each in one upsert (a few for a very large buffer).

    Returns the number of (day, query) entries written. On failure the entries wait for the
    next attempt, and the error is logged (raised with `raise_errors`).
    """
    written = _flush_buffer(raise_errors)
    store = _redis_store()
    if store is not None:
        written += _flush_redis(store, raise_errors)
    return written


def _flush_redis(store, raise_errors):
    _redis.last_flush = time.monotonic()
    try:
        return store.flush(_write)
    except Exception as error:
        if raise_errors:
            raise
        if isinstance(error, redis.RedisError):
            _redis_unreachable(error)
        else:
            logger.exception("Could not write the search log waiting in Redis; will retry.")
        return 0


def _flush_buffer(raise_errors):
    """This process's buffer; when another thread is already writing it, nothing (0)."""
    if not _buffer.flush_lock.acquire(blocking=False):
        return 0
    try:
        rows, started = _buffer.take()
        if not rows:
            return 0
        try:
            _write(rows)
        except Exception:
            _buffer.put_back(rows, started)
            if raise_errors:
                raise
            logger.exception("Could not write %s search log entries; will retry.", len(rows))
            return 0
        return len(rows)
    finally:
        _buffer.flush_lock.release()


def _write(rows):
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        if connection.vendor in ("sqlite", "postgresql"):
            _upsert(connection, rows)
        else:
            _update_or_create(rows)


def _upsert(connection, rows):
    """INSERT … ON CONFLICT (day, key) DO UPDATE, adding the new counts to the stored ones.

    (QuerySet.bulk_create(update_conflicts=True) would replace the stored counts, not add.)
    """
    opts = SearchQueryDay._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    column = {name: quote(opts.get_field(name).column) for name in ("day", "key", "text")}
    hits = quote(opts.get_field("hits").column)
    without = quote(opts.get_field("hits_without_results").column)
    batch_size = min(1000, (connection.features.max_query_params or 5000) // 5)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            params = []
            for day, key, text, count, count_without in batch:
                params += [
                    connection.ops.adapt_datefield_value(day),
                    key,
                    text,
                    count,
                    count_without,
                ]
            cursor.execute(
                f"INSERT INTO {table} ({column['day']}, {column['key']}, {column['text']}, "
                f"{hits}, {without}) VALUES {values} "
                f"ON CONFLICT ({column['day']}, {column['key']}) DO UPDATE SET "
                f"{hits} = {table}.{hits} + EXCLUDED.{hits}, "
                f"{without} = {table}.{without} + EXCLUDED.{without}",
                params,
            )


def _update_or_create(rows):
    """Slow but portable fallback for databases without INSERT … ON CONFLICT."""
    for day, key, text, count, count_without in rows:
        increments = {
            "hits": F("hits") + count,
            "hits_without_results": F("hits_without_results") + count_without,
        }
        if not SearchQueryDay.objects.filter(day=day, key=key).update(**increments):
            SearchQueryDay.objects.create(
                day=day, key=key, text=text, hits=count, hits_without_results=count_without
            )


def flush_if_due(**kwargs):
    """request_finished receiver: write this process's buffer when it is old or big enough, and
    what waits in Redis when this process last looked SEARCH_LOG_FLUSH_SECONDS ago. Runs after
    the response has been sent; never raises."""
    try:
        written = 0
        # The common case: nothing waiting, not even worth the lock.
        if _buffer.texts and _buffer.is_due():
            written += _flush_buffer(raise_errors=False)
        store = _redis_store()
        if store is not None and (
            time.monotonic() - _redis.last_flush >= _setting("SEARCH_LOG_FLUSH_SECONDS", 10)
        ):
            written += _flush_redis(store, raise_errors=False)
        if written:
            _release_connection()
    except Exception:
        logger.exception("Search log flush failed.")


def _release_connection():
    """Django closes expired connections at the end of a request, before this receiver runs:
    close the one the flush (re)opened the same way, rather than leave it idle until the next
    request. Never inside a transaction (tests)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is not None and not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _flush_at_exit():
    if not _buffer.texts or not _setting("SEARCH_LOG_FLUSH_AT_EXIT", True):
        return
    try:
        _flush_buffer(raise_errors=False)
    except Exception:
        logger.exception("Search log flush at exit failed.")


def _after_fork():
    # A forked process starts with an empty buffer (its parent will write its own) and fresh
    # locks (one may have been held by another thread at the time of the fork).
    global _buffer
    _buffer = _Buffer()


request_finished.connect(flush_if_due, dispatch_uid="search_analytics_flush_if_due")
atexit.register(_flush_at_exit)
os.register_at_fork(after_in_child=_after_fork)


def purge(days=None):
    """Delete the counts of days older than `days` (default SEARCH_LOG_RETENTION_DAYS).
    Returns the number of rows deleted."""
    days = _setting("SEARCH_LOG_RETENTION_DAYS", 730) if days is None else days
    limit = timezone.localdate(_now(), timezone.get_default_timezone()) - timedelta(days=days)
    deleted, _details = SearchQueryDay.objects.filter(day__lt=limit).delete()
    return deleted


def searches_without_results(days=7, limit=10):
    """The most frequent queries that found nothing over the last `days` days (today
    included): a list of dicts with `text`, `searches_without_results`, `searches` and
    `last_day`, most frequent first. One SQL query."""
    end = timezone.localdate(_now(), timezone.get_default_timezone())
    start = end - timedelta(days=max(days, 1) - 1)
    rows = SearchQueryDay.objects.summary(start, end, without_results_only=True).order_by(
        "-total_without_results", "-total_hits", "-last_day", "key"
    )[:limit]
    return [
        {
            "text": row["label"],
            "searches_without_results": row["total_without_results"],
            "searches": row["total_hits"],
            "last_day": row["last_day"],
        }
        for row in rows
    ]
