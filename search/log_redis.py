"""The search counts waiting in Redis, shared by every worker, until one of them writes them.

Layout, under the prefix SEARCH_LOG_REDIS_PREFIX:

- `<prefix>:pending`, one hash: `h|<day>|<key>` the searches, `z|<day>|<key>` those that found
  nothing, `t|<day>|<key>` the query as first typed that day. `record` adds to it in one
  pipeline.
- `<prefix>:batch:<token>`, a pending hash taken for writing (RENAME, atomic: a search recorded
  meanwhile starts a new pending hash), listed in the sorted set `<prefix>:batches` with the
  time it was taken; deleted once written.
- `<prefix>:lock`, held by the one worker writing (SET NX with an expiry). A batch older than the
  lock's expiry was left by a worker killed before it finished: the next flush writes it.

Written with redis-py directly rather than through Django's cache: the cache API has no
hash increments or atomic rename, and a cache may evict; the counts must not be.
"""

import time
import uuid
from datetime import date

import redis

# Longer than any flush takes (one upsert); a batch older than this was abandoned.
LOCK_SECONDS = 120
TIMEOUT_SECONDS = 0.5

_clients = {}


def client_for(url):
    """One client (and its connection pool) per URL, per process."""
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
        )
    return _clients[url]


class RedisStore:
    def __init__(self, url, prefix):
        self.client = client_for(url)
        self.pending_key = f"{prefix}:pending"
        self.batches_key = f"{prefix}:batches"
        self.batch_prefix = f"{prefix}:batch:"
        self.lock_key = f"{prefix}:lock"

    def add(self, day, key, text, found):
        """Count one search. Raises redis.RedisError when Redis cannot be reached."""
        field = f"{day.isoformat()}|{key}"
        pipeline = self.client.pipeline(transaction=False)
        pipeline.hincrby(self.pending_key, f"h|{field}", 1)
        if not found:
            pipeline.hincrby(self.pending_key, f"z|{field}", 1)
        pipeline.hsetnx(self.pending_key, f"t|{field}", text)
        pipeline.execute()

    def pending(self):
        """How many distinct (day, query) entries wait, in the pending hash and in batches."""
        keys = [self.pending_key] + [
            self.batch_prefix + token for token in self.client.zrange(self.batches_key, 0, -1)
        ]
        return sum(1 for key in keys for field in self.client.hkeys(key) if field.startswith("h|"))

    def discard(self):
        """Forget everything waiting (for tests)."""
        tokens = self.client.zrange(self.batches_key, 0, -1)
        self.client.delete(
            self.pending_key,
            self.batches_key,
            self.lock_key,
            *(self.batch_prefix + token for token in tokens),
        )

    def flush(self, write):
        """Take what waits and give it to `write(rows)` (the database upsert), with the batches
        abandoned by killed workers. Returns the number of entries written; 0 when another
        worker holds the lock. A batch whose writing fails stays, and is written again once the
        lock has expired."""
        token = uuid.uuid4().hex
        if not self.client.set(self.lock_key, token, nx=True, ex=LOCK_SECONDS):
            return 0
        try:
            now = time.time()
            batches = self.client.zrangebyscore(self.batches_key, 0, now - LOCK_SECONDS)
            # Listed before the rename: a worker killed between the two leaves a batch the
            # next flush finds (or, if killed before the rename, an entry with no hash).
            self.client.zadd(self.batches_key, {token: now})
            try:
                self.client.rename(self.pending_key, self.batch_prefix + token)
                batches.append(token)
            except redis.ResponseError:  # nothing pending
                self.client.zrem(self.batches_key, token)
            written = 0
            for batch in batches:
                rows = self._rows(self.client.hgetall(self.batch_prefix + batch))
                if rows:
                    write(rows)
                # The database has committed: the batch is done.
                self.client.delete(self.batch_prefix + batch)
                self.client.zrem(self.batches_key, batch)
                written += len(rows)
            return written
        finally:
            self._release(token)

    def _release(self, token):
        """Delete the lock if it is still this flush's (it may have expired and been taken)."""
        with self.client.pipeline() as pipeline:
            try:
                pipeline.watch(self.lock_key)
                if pipeline.get(self.lock_key) == token:
                    pipeline.multi()
                    pipeline.delete(self.lock_key)
                    pipeline.execute()
            except redis.WatchError:
                pass

    @staticmethod
    def _rows(fields):
        """(day, key, text, hits, hits_without_results) rows from a hash's fields."""
        rows = []
        for field, value in fields.items():
            kind, _, entry = field.partition("|")
            if kind != "h":
                continue
            day, _, key = entry.partition("|")
            rows.append(
                (
                    date.fromisoformat(day),
                    key,
                    fields.get(f"t|{entry}", key),
                    int(value),
                    int(fields.get(f"z|{entry}", 0)),
                )
            )
        return rows
