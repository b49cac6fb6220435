"""What the public sees, cached, and forgotten as soon as the content changes.

Every cached entry is keyed by the content *generation*: the time of the last change to anything
the public sees (a page published, unpublished, moved or deleted, a view restriction, a setting,
a taxonomy term, an image, a document, a registration). A change writes a new generation; every
entry made before it is then out of reach at once, in every worker, and expires by itself.

Where the generation is kept decides who sees it change:
- with Redis (`REDIS_URL`), in Redis, shared by every worker on every machine;
- otherwise in a small file (`CACHE_GENERATION_FILE`), read at each request (a few microseconds)
  by every worker of the machine. Each worker's local-memory cache then holds its own entries,
  but none of them can outlive a change.

Registrations are the one change that happens many times a day and that few entries depend on
(the places left, shown by the agenda's pages and the home page's meetings). They move a
generation of their own, *places*; everything else moves *content*. `generation()`, which keys
the page cache and every `shared` entry by default, follows both; an entry that shows nothing of
registrations (the menu, the view restrictions, the search vocabulary…) asks for
`shared(…, scope=CONTENT)` and then survives a busy registration day.
"""

import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.checks import Tags, Warning, register

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
PLACES_GENERATION_KEY = "places-generation"
# The scopes of a change (`bump`) and of a shared entry (`shared`).
CONTENT = "content"
PLACES = "places"
ALL = "all"


def _uses_shared_cache():
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _generation_file(scope=CONTENT):
    path = Path(settings.CACHE_GENERATION_FILE)
    return path if scope == CONTENT else path.with_name(f"{path.name}-{scope}")


def _key(scope):
    return GENERATION_KEY if scope == CONTENT else PLACES_GENERATION_KEY


def _read_file(scope):
    try:
        return int(_generation_file(scope).read_text())
    except (OSError, ValueError):  # not written yet (or cannot be: see bump)
        return None


def generation():
    """The current generation of everything the public sees (content and places):
    nanoseconds since the epoch at the last change of either."""
    if _uses_shared_cache():
        values = cache.get_many([GENERATION_KEY, PLACES_GENERATION_KEY])
        content, places = values.get(GENERATION_KEY), values.get(PLACES_GENERATION_KEY)
    else:
        content, places = _read_file(CONTENT), _read_file(PLACES)
    if content is None:
        content = bump()
    return max(content, places or 0)


def content_generation():
    """The generation of the content alone: unchanged by registrations."""
    value = cache.get(GENERATION_KEY) if _uses_shared_cache() else _read_file(CONTENT)
    return value if value is not None else bump()


def bump(scope=CONTENT):
    """Record a change of `scope` (CONTENT, or PLACES for a registration): every entry cached
    before now that depends on it is out of date."""
    value = time.time_ns()
    if _uses_shared_cache():
        cache.set(_key(scope), value, timeout=None)
        return value
    path = _generation_file(scope)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed, so that a worker never reads half a number.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".generation-")
        with os.fdopen(fd, "w") as file:
            file.write(str(value))
        os.replace(temporary, path)
    except OSError:
        # The page is still served and the publication still done; cached pages then last
        # until they expire. The system check `cress_site.W001` reports the cause at start.
        logger.exception("Cannot write the cache generation file %s", path)
    return value


@register(Tags.caches, deploy=False)
def check_generation_file(app_configs, **kwargs):
    if _uses_shared_cache():
        return []
    folder = _generation_file().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if folder.is_dir() and os.access(folder, os.W_OK):
        return []
    return [
        Warning(
            f"CACHE_GENERATION_FILE ({_generation_file()}) cannot be written: a publication "
            "would not empty the page cache of the other workers before it expires.",
            hint="Point CACHE_GENERATION_FILE at a writable place, or set REDIS_URL.",
            id="cress_site.W001",
        )
    ]


def last_modified():
    """When the public content last changed, in seconds since the epoch."""
    return generation() / 1e9


def shared_key(name, generation_value=None):
    """The key of the shared entry `name` in the given (else the current) generation."""
    return f"shared:{generation() if generation_value is None else generation_value}:{name}"


def shared(name, build, timeout=None, cache_alias="default", scope=ALL):
    """What every page shows (the menu, the settings, the view restrictions), built once per
    generation and kept `SHARED_CACHE_SECONDS` (or `timeout`; 0 keeps nothing) in the cache
    `cache_alias`. `scope=CONTENT` for an entry that shows nothing of registrations: it is then
    kept across them."""
    timeout = settings.SHARED_CACHE_SECONDS if timeout is None else timeout
    if not timeout:
        return build()
    store = caches[cache_alias]
    current = content_generation() if scope == CONTENT else generation()
    key = shared_key(f"{scope}:{name}", current)
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, timeout)
    return value
