"""What the public sees, cached, and forgotten as soon as the content changes.

Every cached entry is keyed by *generations*: the time of the last change of a *scope* of what
the public sees. A change writes a new generation of its scope; every entry made before it and
that depends on that scope is then out of reach at once, in every worker, and expires by itself.

The scopes:
- `CONTENT`, everything the whole site shows: a structural page (home, sections, content
  pages), a page moved, deleted or given a new address, a view restriction, a setting, a
  taxonomy term, an image, a document;
- one per family of pages, declared by its app (`declare`): `publications`, `events`,
  `projects`. A page of a family, published or unpublished, moves its family's generation
  only (`cache_scope` on its class), so that a new study does not empty the agenda;
- `places`, declared by the events app: registrations. They happen many times a day and few
  pages show them (the places left, on the agenda's pages and the home page's meetings).

A scope may also be narrowed to one object, `"<scope>:<key>"` (`places:42`: the places of the
event 42): a registration moves `places` and `places:<its event>`; an event's page follows only
the latter, so a registration renders again the agenda, the home page and its event's page, not
the pages of every other event. Such a generation is read when a page asks for it
(`generations(extra=…)`, from the `before_serve_page` hook, before the page reads its data).

Each public page says what it shows (`cache_dependencies`, cress_site.models.pages); the page
cache (cress_site.middleware) keeps it under the generations of those scopes only. A shared
entry (`shared`) names its scopes the same way: the menu follows `CONTENT`, the search's
vocabulary and matches follow `PAGES` (every scope but the places), and the default, `ALL`,
follows every change.

Generations are compared for equality, never for order: two machines whose clocks differ
cannot make an entry outlive a change.

Where the generations are kept decides who sees them change:
- with Redis (`REDIS_URL`), in Redis, shared by every worker on every machine;
- otherwise in small files (`CACHE_GENERATION_FILE`, and `CACHE_GENERATION_FILE-<scope>` for
  the other scopes), read by every worker of the machine. Each worker's local-memory cache then
  holds its own entries, but none of them can outlive a change.

A request reads them once (`snapshot`, opened by the page cache middleware): one Redis round
trip, or a few file reads, whatever the number of shared entries the page uses.
"""

import contextlib
import contextvars
import logging
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.checks import Tags, Warning, register
from django.utils import timezone

logger = logging.getLogger(__name__)

CONTENT = "content"
# Sets of scopes, resolved against the declared scopes when they are read.
ALL = "all"
PAGES = "pages"

# Scope name -> whether the pages' own content is in it (False for registrations).
_scopes = {CONTENT: True}
_snapshot = contextvars.ContextVar("cache_generations", default=None)


def declare(name, pages=True):
    """Declare the scope `name` (an app's family of pages, or `pages=False` for what is not the
    pages' content, like registrations), and return it."""
    _scopes[name] = pages
    return name


def resolve(scopes):
    """The scope names `scopes` stands for (ALL, PAGES, one name, or several, narrowed ones
    included), in a stable order."""
    if scopes == ALL:
        return tuple(_scopes)
    if scopes == PAGES:
        return tuple(name for name, pages in _scopes.items() if pages)
    if isinstance(scopes, str):
        scopes = (scopes,)
    unknown = {scope for scope in scopes if scope.partition(":")[0] not in _scopes}
    if unknown:
        raise ValueError(f"Undeclared cache scope(s): {', '.join(sorted(unknown))}")
    narrowed = sorted(scope for scope in set(scopes) if ":" in scope)
    return tuple(name for name in _scopes if name in scopes) + tuple(narrowed)


def page_scopes(scopes):
    """The scopes among `scopes` that are the pages' content: what a listing's counts or a
    feed of pages depend on, without the places left."""
    pages = set(resolve(PAGES))
    return tuple(scope for scope in resolve(scopes) if scope in pages)


def narrowed(scopes):
    """The scopes narrowed to one object among `scopes`."""
    return tuple(scope for scope in resolve(scopes) if ":" in scope)


def _uses_shared_cache():
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _generation_file(scope=CONTENT):
    path = Path(settings.CACHE_GENERATION_FILE)
    return path if scope == CONTENT else path.with_name(f"{path.name}-{scope.replace(':', '-')}")


def generation_key(scope):
    """The shared cache's key of the generation of `scope`."""
    return f"generation:{scope}"


def _read_file(scope):
    try:
        return int(_generation_file(scope).read_text())
    except (OSError, ValueError):  # not written yet (or cannot be: see bump)
        return None


def _read(scopes):
    if _uses_shared_cache():
        found = cache.get_many([generation_key(scope) for scope in scopes])
        values = {scope: found.get(generation_key(scope)) for scope in scopes}
    else:
        values = {scope: _read_file(scope) for scope in scopes}
    for scope, value in values.items():
        if value is None:  # never changed yet, or forgotten by the cache: a new one
            values[scope] = bump(scope)
    return values


def _read_all():
    return _read(tuple(_scopes))


def generations(extra=()):
    """The generation of every declared scope, and of the narrowed scopes `extra`: scope name
    -> nanoseconds since the epoch at its last change. Read once per request inside
    `snapshot` (a narrowed scope, the first time it is asked for)."""
    current = _snapshot.get()
    if current is None:
        return _read((*_scopes, *extra))
    missing = [scope for scope in extra if scope not in current]
    if missing:
        current.update(_read(missing))
    return dict(current)


@contextlib.contextmanager
def snapshot():
    """Read the generations once for everything done inside (a request)."""
    token = _snapshot.set(_read_all())
    try:
        yield
    finally:
        _snapshot.reset(token)


def generation(scopes=ALL, values=None):
    """The key of the generations of `scopes` (from `values`, else the current ones): it
    changes whenever one of them does."""
    values = generations(narrowed(scopes)) if values is None else values
    return ".".join(str(values[scope]) for scope in resolve(scopes))


def last_modified(scopes=ALL, values=None):
    """When what `scopes` covers last changed, in seconds since the epoch."""
    values = generations(narrowed(scopes)) if values is None else values
    return max(values[scope] for scope in resolve(scopes)) / 1e9


def bump(scope=CONTENT):
    """Record a change of `scope`: every entry cached before now that depends on it is out of
    date."""
    # The request's snapshot, if any, keeps the generations it read at its start: what it
    # renders after this change is kept under them, out of reach of the requests that read
    # the new one, so never served as current.
    value = time.time_ns()
    if _uses_shared_cache():
        cache.set(generation_key(scope), value, timeout=None)
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


def shared_key(name, generation_value=None, scopes=ALL):
    """The key of the shared entry `name` in the given (else the current) generation of
    `scopes`."""
    return f"shared:{generation(scopes) if generation_value is None else generation_value}:{name}"


def shared(name, build, timeout=None, cache_alias="default", scope=ALL):
    """What many pages show (the menu, the settings, the view restrictions), built once per
    generation of `scope` (ALL, PAGES, a scope or several) and kept `SHARED_CACHE_SECONDS`
    (or `timeout`; 0 keeps nothing) in the cache `cache_alias`."""
    timeout = settings.SHARED_CACHE_SECONDS if timeout is None else timeout
    if not timeout:
        return build()
    store = caches[cache_alias]
    key = shared_key(name, scopes=scope)
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, timeout)
    return value


# Entries of `held()` in this process: name -> (shared key, value, monotonic time of expiry).
_held = {}


def held(name, build, scope=ALL):
    """`shared(name, build, scope=scope)`, also kept in this process's memory for the same
    generation and as long (`SHARED_CACHE_SECONDS`): for a large value that requests read
    whole and never change (a listing's `FacetIndex`), which the cache would otherwise hand
    over as a new copy, unpickled, at each request. One value per name: a new generation
    replaces the old one."""
    timeout = settings.SHARED_CACHE_SECONDS
    if not timeout:
        return build()
    key = shared_key(name, scopes=scope)
    now = time.monotonic()
    entry = _held.get(name)
    if entry is not None and entry[0] == key and now < entry[2]:
        return entry[1]
    value = shared(name, build, scope=scope)
    _held[name] = (key, value, now + timeout)
    return value


def forget_held():
    """Forget what `held()` keeps in this process (the tests' rollback changes the content
    without a new generation, as nothing in production does)."""
    _held.clear()


def until_midnight(seconds):
    """`seconds`, but never past the coming midnight in the site's time zone (at least 1): what
    shows "today" or the coming events (a page, a fragment) changes then."""
    now = timezone.localtime()
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, min(seconds, int((midnight - now).total_seconds())))
