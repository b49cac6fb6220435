"""Rendered fragments and page data kept per content generation, for the public.

`{% shared_fragment name key… %}` (cress_site/templatetags/fragment_tags.py) in templates,
`shared_for` in Python.

What a fragment shows (a page's StreamField body, a card, a home page section, the footer) only
changes when what its page shows does, and every such change starts a new generation of one of
the page's scopes (cress_site.cache). The fragment is rendered once per generation of those
scopes, name and key (and host), kept
under `cress_site.cache.shared_key` for `SHARED_CACHE_SECONDS` (never past midnight, when the
coming events change), and read back by every later render of any page that shows it: a page
the page cache does not hold (switched off, or forgotten) does not render it again. Work the
template does only inside the fragment (queries of a lazy context value, block rendering) is
skipped too.

Django's own `{% cache %}` tag keys by its arguments only: it knows neither the generation nor
who asks. This one follows the public page cache's rule (cress_site.middleware): previews, and
requests carrying a session or a messages cookie (editors, who may see drafts and private
files, and visitors with a message to read), always render the fragment and never store it.
Nothing inside a fragment may depend on the request beyond the host: no form, no CSRF token,
nothing for the signed-in user.
"""

from django.conf import settings
from django.core.cache import cache

from cress_site import cache as content_cache


def may_share(request):
    """Whether `request` may read and store shared fragments: the public, outside previews."""
    if request is None or getattr(request, "is_preview", False):
        return False
    cookies = (settings.SESSION_COOKIE_NAME, "messages")
    return not any(name in request.COOKIES for name in cookies)


def shared_for(request, name, build, scopes=content_cache.ALL):
    """`build()`, from the shared cache for the current generation of `scopes` and the host
    when `request` may share it (`may_share`), else built for this request alone.

    `scopes` (cress_site.cache): what the fragment shows; the page's own dependencies for a
    fragment of a page template (`{% shared_fragment %}`), since a part shows no more than
    its page. The generation is read once per request and scopes (a page showing twenty cards
    asks for it once, not twenty times), so that every fragment of a page comes from the same
    generation."""
    if not settings.SHARED_CACHE_SECONDS or not may_share(request):
        return build()
    key = content_cache.shared_key(f"{name}:{request.get_host()}", _generation(request, scopes))
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, content_cache.until_midnight(settings.SHARED_CACHE_SECONDS))
    return value


def shared_many(request, name, keys, build, scopes=content_cache.ALL):
    """`{key: fragment}` for each of `keys` (a page of a listing's cards, say): read from the
    shared cache in one round trip, and the missing ones built together by `build(missing)`,
    which returns `{key: fragment}` (a key it leaves out is left out, and not stored), then
    stored together. So a page whose cards are all cached reads none of its items' rows.
    Outside what may be shared (`may_share`), everything is built for this request alone."""
    keys = list(keys)
    if not settings.SHARED_CACHE_SECONDS or not may_share(request):
        return build(keys)
    generation = _generation(request, scopes)
    host = request.get_host()
    cache_keys = {key: content_cache.shared_key(f"{name}:{key}:{host}", generation) for key in keys}
    found = cache.get_many(list(cache_keys.values()))
    values = {key: found[cache_key] for key, cache_key in cache_keys.items() if cache_key in found}
    missing = [key for key in keys if key not in values]
    if missing:
        built = build(missing)
        cache.set_many(
            {cache_keys[key]: value for key, value in built.items() if key in cache_keys},
            content_cache.until_midnight(settings.SHARED_CACHE_SECONDS),
        )
        values.update(built)
    return values


def _generation(request, scopes):
    """The generation of `scopes`, read once per request and scopes (a page showing twenty
    cards asks for it once, not twenty times), so that every fragment of a page comes from the
    same generation."""
    read = getattr(request, "_fragments_generations", None)
    if read is None:
        read = request._fragments_generations = {}
    scopes = content_cache.resolve(scopes)
    generation = read.get(scopes)
    if generation is None:
        generation = read[scopes] = content_cache.generation(scopes)
    return generation
