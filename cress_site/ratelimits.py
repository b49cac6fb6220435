"""Rate limits on what people send to the site: registrations, form submissions, passwords of
private pages and documents, admin logins and password resets (and the links that erase
personal data, which are costly to look up, the directory's downloads and its API).

Every limit is declared below, in `LIMITS`, and counts each POST twice or more: per client (its
IP address) and per target (the event date and the e-mail address given, the form page, the
protected page or collection, the username or the address asked for). Over any of its rates,
the request is answered with the French 429 page (`429.html`) before the view runs, and it still
counts: after 100 wrong passwords, the right one is refused too until the window is over. The
rates are settings (`RATE_LIMITS`, from `RATE_LIMIT_…` environment variables, see the README).

The counting is django-ratelimit's (`get_usage`): fixed windows in Django's default cache,
which is Redis, shared by every worker, when REDIS_URL is set (without Redis each worker counts
on its own). It honours RATELIMIT_ENABLE, RATELIMIT_USE_CACHE and RATELIMIT_IP_META_KEY, which
the settings point at `cress_site.clients.client_address`. Its app is not in INSTALLED_APPS: its
only content is a system check that refuses the local-memory cache of a developer's machine and
warns about Django's own Redis backend (atomic increments all the same), which would fail
`check --deploy`.

Where each limit applies: Wagtail's views by their URL names (`RateLimitMiddleware`, before the
view), pages by their type and route (the `before_serve_page` hook in wagtail_hooks.py, once the
page is known), so that no view of Wagtail's is patched or copied.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class Limit:
    """`targets` map each rate name of RATE_LIMITS[name] (besides "client") to a function of
    (request, page or URL kwargs) that returns what is aimed at, or "" when nothing is."""

    name: str
    targets: dict[str, Callable]
    url_names: tuple[str, ...] = ()  # view names: "namespace:name" for a namespaced URL
    page_types: tuple[tuple[str, str | None], ...] = ()  # (model label, route name)
    methods: tuple[str, ...] = ("POST",)


def _post(name):
    return lambda request, context: request.POST.get(name, "").strip().lower()[:254]


def _page(request, page):
    return str(page.pk)


def _occurrence(request, page):
    value = request.POST.get("occurrence", "")
    return f"{page.pk}:{value if value.isdigit() else ''}"


def _kwarg(name):
    return lambda request, kwargs: str(kwargs.get(name, ""))


LIMITS = (
    Limit(
        "registration",
        {"date": _occurrence, "email": _post("email")},
        page_types=(("events.eventpage", "register"),),
    ),
    Limit("form", {"page": _page}, page_types=(("home.formpage", None),)),
    Limit(
        "page_password",
        {"page": _kwarg("page_id")},
        url_names=("wagtailcore_authenticate_with_password",),
    ),
    Limit(
        "document_password",
        {"restriction": _kwarg("restriction_id")},
        url_names=("wagtaildocs_authenticate_with_password",),
    ),
    Limit("admin_login", {"username": _post("username")}, url_names=("wagtailadmin_login",)),
    Limit("password_reset", {"email": _post("email")}, url_names=("wagtailadmin_password_reset",)),
    # Opening an e-mail's "supprimer mes données" link looks the address up among all those
    # held: a robot trying random links is stopped before it costs much.
    Limit("erase_link", {}, url_names=("personal_data:erase",), methods=("GET", "POST")),
    # The directory's downloads read the whole filtered list (streamed): a robot downloading
    # in a loop is stopped. The API's pages are small, with a wider limit.
    Limit(
        "directory_export",
        {},
        page_types=(
            ("directory.directorypage", "export_csv"),
            ("directory.directorypage", "export_json"),
        ),
        methods=("GET", "HEAD"),
    ),
    Limit(
        "directory_api",
        {},
        url_names=("directory_api:enterprises", "directory_api:enterprise"),
        methods=("GET", "HEAD"),
    ),
)
BY_URL_NAME = {url_name: limit for limit in LIMITS for url_name in limit.url_names}
BY_PAGE_TYPE = {page_type: limit for limit in LIMITS for page_type in limit.page_types}


def _check(request, limit, context):
    """Count this request for each rate of `limit`; the 429 response when any is exceeded."""
    if request.method not in limit.methods:
        return None
    rates = settings.RATE_LIMITS.get(limit.name, {})
    keys = {"client": "ip"}
    for rate_name, target in limit.targets.items():
        value = target(request, context)
        if value:
            keys[rate_name] = lambda group, request, value=value: value
    waits = []
    for rate_name, key in keys.items():
        rate = rates.get(rate_name)
        if not rate:
            continue
        usage = get_usage(
            request,
            group=f"{limit.name}:{rate_name}",
            key=key,
            rate=rate,
            method=list(limit.methods),
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    if waits:
        return too_many_requests(request, max(waits))
    return None


def check_url(request, url_name, kwargs):
    limit = BY_URL_NAME.get(url_name)
    return _check(request, limit, kwargs) if limit is not None else None


def check_page(request, page):
    match = getattr(request, "routable_resolver_match", None)
    route = match.url_name if match is not None else None
    limit = BY_PAGE_TYPE.get((page._meta.label_lower, route))
    return _check(request, limit, page) if limit is not None else None


def too_many_requests(request, retry_after):
    minutes = max(1, -(-retry_after // 60))
    response = TemplateResponse(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


class RateLimitMiddleware:
    """Applies the limits of Wagtail's views, by URL name, before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        return check_url(request, match.view_name, view_kwargs)
