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


def _uses_shared_cache():
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _generation_file():
    return Path(settings.CACHE_GENERATION_FILE)


def generation():
    """The current content generation: nanoseconds since the epoch at the last change."""
    if _uses_shared_cache():
        value = cache.get(GENERATION_KEY)
        return value if value is not None else bump()
    try:
        return int(_generation_file().read_text())
    except (OSError, ValueError):  # not written yet (or cannot be: see bump)
        return bump()


def bump():
    """Record a change: every entry cached before now is out of date."""
    value = time.time_ns()
    if _uses_shared_cache():
        cache.set(GENERATION_KEY, value, timeout=None)
        return value
    path = _generation_file()
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
    """The key of the shared entry `name` in the given (else the current) content generation."""
    return f"shared:{generation() if generation_value is None else generation_value}:{name}"


def shared(name, build, timeout=None, cache_alias="default"):
    """What every page shows (the menu, the settings, the view restrictions), built once per
    content generation and kept `SHARED_CACHE_SECONDS` (or `timeout`; 0 keeps nothing) in the
    cache `cache_alias`."""
    timeout = settings.SHARED_CACHE_SECONDS if timeout is None else timeout
    if not timeout:
        return build()
    store = caches[cache_alias]
    key = shared_key(name)
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, timeout)
    return value
