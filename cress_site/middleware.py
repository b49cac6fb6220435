"""Security headers Django 5.2 does not send by itself, and the public pages' cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from cress_site import cache as content_cache


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response.

    Public pages get the strict policy (`CONTENT_SECURITY_POLICY`: no inline script, nothing from
    another host); the Wagtail admin, which ships inline scripts and styles of its own, gets
    `CONTENT_SECURITY_POLICY_ADMIN`. A view may set its own header; it is then left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = ("/admin/", "/django-admin/")

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith(self.admin_prefixes) or self._is_preview(request):
                policy = settings.CONTENT_SECURITY_POLICY_ADMIN
            else:
                policy = settings.CONTENT_SECURITY_POLICY
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _is_preview(request):
        return getattr(request, "is_preview", False)


class PublicPageCacheMiddleware:
    """Serves the pages anonymous visitors ask for from the cache.

    Only responses a Wagtail page route produced (marked by the `on_serve_page` hook in
    cress_site.wagtail_hooks) are stored: 200, not streamed, setting no cookie (a page with a
    form sets the CSRF cookie, so it is always rendered), asked for without a session or
    messages cookie (editors, and visitors with a message to read, always get a fresh page).
    Entries are kept under the generations of what the page shows (its `cache_dependencies`,
    cress_site.cache): a change to any of them makes it unreachable at once, a change to
    something else (a registration, for a page of the observatory) leaves it. They carry
    `ETag`, `Last-Modified` (the last change of what the page shows) and a
    `Cache-Control` a CDN may follow for `PUBLIC_PAGE_SHARED_MAX_AGE` seconds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _bypass_cookies():
        """The cookies of editors and of visitors with a message to read, as configured now."""
        return (settings.SESSION_COOKIE_NAME, "messages")

    def __call__(self, request):
        # The generations are read once for the whole request (one Redis round trip, or a few
        # file reads): the page cache, the site and every shared entry use the same.
        with content_cache.snapshot():
            return self._serve(request)

    def _serve(self, request):
        # Wagtail's `Site.find_for_request`, with its root page, is read once per content
        # generation and host (a site saved starts a new one): the site an earlier request
        # found is given to this one; a request that looked it up (pages do, a JSON endpoint
        # may not) leaves it for the next.
        # `request._wagtail_site` is where `Site.find_for_request` itself keeps the site it
        # found for a request: Wagtail offers no public way to hand it one, and looking the site
        # up at each request would cost two queries on every page. A test pins this
        # (tests/cress_site/test_routing.py): an upgrade that renames it fails there, not
        # silently.
        generations = content_cache.generations()
        site_key = content_cache.shared_key(
            self._site_key(request), content_cache.generation(content_cache.CONTENT, generations)
        )
        site = cache.get(site_key)
        if site is not None:
            request._wagtail_site = site
        response = self._respond(request, generations)
        if site is None:
            self._keep_site(request, site_key)
        return response

    def _respond(self, request, generations):
        if not self._may_use_cache(request):
            response = self.get_response(request)
            self._keep_private(response)
            return response
        # Every page depends on the content: it keys the entry. The entry holds the other
        # generations the page depends on, as they were when it was rendered; one of them
        # changed since, and the page is rendered again.
        key = self._key(request, generations[content_cache.CONTENT])
        entry = cache.get(key)
        if entry is not None:
            stamp, response = entry
            current = content_cache.generations(extra=[s for s, _v in stamp if ":" in s])
            if all(current[scope] == value for scope, value in stamp):
                response["X-Cache"] = "HIT"
                return response
        response = self.get_response(request)
        if self._may_store(response):
            scopes = content_cache.resolve(
                getattr(response, "cache_dependencies", content_cache.ALL)
            )
            # The narrowed scopes the page asked for were read before it read its data (the
            # `before_serve_page` hook): the snapshot holds them now.
            generations = content_cache.generations(extra=content_cache.narrowed(scopes))
            self._add_public_headers(response, content_cache.last_modified(scopes, generations))
            stamp = tuple(
                (scope, generations[scope]) for scope in scopes if scope != content_cache.CONTENT
            )
            # Never past midnight: "today" and the coming events change then.
            cache.set(
                key,
                (stamp, response),
                content_cache.until_midnight(settings.PUBLIC_PAGE_CACHE_SECONDS),
            )
            # Whether the page came from the cache, as CDNs and Varnish say it (the benchmark
            # counts the hit rate with it).
            response["X-Cache"] = "MISS"
        else:
            self._keep_private(response)
        return response

    @staticmethod
    def _site_key(request):
        hostname = split_domain_port(request._get_raw_host())[0]
        return f"site:{hostname}:{request.get_port()}"

    @staticmethod
    def _keep_site(request, key):
        site = getattr(request, "_wagtail_site", None)
        if site is not None:
            site.root_page  # noqa: B018 (read now, kept with the site)
            cache.set(key, site, settings.SHARED_CACHE_SECONDS)

    def _may_use_cache(self, request):
        return (
            settings.PUBLIC_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not any(name in request.COOKIES for name in self._bypass_cookies())
        )

    @staticmethod
    def _key(request, generation):
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(url.encode()).hexdigest()
        # Kept compressed for the clients that accept gzip, as it is for the others.
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        return f"page:{generation}:{encoding}:{digest}"

    @staticmethod
    def _may_store(response):
        cache_control = response.get("Cache-Control", "")
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def _add_public_headers(response, last_modified):
        set_response_etag(response)
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=settings.PUBLIC_PAGE_SHARED_MAX_AGE
        )

    @staticmethod
    def _keep_private(response):
        """A page made for one person (a form and its CSRF token, an editor's view) is not
        kept by a shared cache."""
        if response.get("Content-Type", "").startswith("text/html") and not response.has_header(
            "Cache-Control"
        ):
            patch_cache_control(response, private=True, no_cache=True)
