"""Page routing in two queries, whatever the depth of the page (issue #8).

Wagtail's `serve` view routes a URL one level at a time: `site.root_page`, its `.specific`,
then for each path component a child lookup and the child's `.specific`, i.e. two queries per
level. `serve` below behaves the same way (same `on_serve_page` and `before_serve_page` hooks,
same 404s) but reads every page along the URL in one query, as generic `Page` rows, and only
the page it serves as its specific class.

The walk follows Wagtail's `Page.route()`: at each level a page whose class routes its own
URLs has the first say on the rest of the path. `RoutablePageMixin` pages answer from their
class's URL resolver when live, before their children, so whether one of their sub-routes
matches is known without reading the page; only then is the page read in full and its real
`route()` called. A page class with any other `route()` of its own is read in full and its
`route()` decides the rest, as in Wagtail (with Wagtail's queries from there on).
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import F, Q, Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404, HttpResponse

from wagtail import hooks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve_chain


def serve(request, path):
    """Wagtail's `wagtail.views.serve`, with `route_for_request` below for the routing."""
    route_result = route_for_request(request, path)
    if route_result is None:
        raise Http404
    page, args, kwargs = route_result

    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)

    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result

    return on_serve_chain(page, request, args, kwargs)


def route_for_request(request, path):
    """`Page.route_for_request`: the route result for `path`, cached on the request.

    The cache is the attribute Wagtail reads (`request._wagtail_route_for_request`), so
    `Page.find_for_request()` later in the request reuses this result.
    """
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            if site := Site.find_for_request(request):
                path_components = [component for component in path.split("/") if component]
                result = route(request, site, path_components)
            else:
                result = None
        except Http404:
            result = None
        request._wagtail_route_for_request = result
    return request._wagtail_route_for_request


def route(request, site, path_components):
    """`site.root_page.localized.specific.route(request, path_components)`, in two queries.

    Raises Http404 where Wagtail's routing does.
    """
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # The site root is then swapped for its translation in the active language first:
        # Wagtail's own routing, unchanged.
        return site.root_page.localized.specific.route(request, path_components)

    root, levels = _pages_along(site, path_components)

    page = root
    for depth, component in enumerate(path_components + [None]):
        remaining = path_components[depth:]
        if _routes_itself(page, remaining):
            # The page decides the rest of the path itself, as in Wagtail.
            return page.specific.route(request, remaining)
        if component is None:
            break
        child = next((row for row in levels.get(depth + 1, ()) if _is_child(row, page)), None)
        if child is None:
            raise Http404
        # Treebeard's get_parent() reads this attribute instead of querying. Wagtail caches the
        # parent as its specific class: so here, with the fields of that class left to read
        # when used (no template needs more than the generic fields).
        child._cached_parent_obj = page.get_specific(deferred=True)
        page = child

    # As Wagtail: `live` read on the specific page (for the site root, the one kept with the
    # site if it was read before: cress_site.middleware keeps sites per content generation).
    page = page.specific
    if not page.live:
        raise Http404
    return RouteResult(page)


def _pages_along(site, path_components):
    """The site root and the pages at each prefix of the path, in at most one query.

    Returns the root (a generic `Page`) and a dict from level (1 for the first component) to
    the generic pages found at that level (one, unless the tree's url_paths disagree).

    `Site.find_for_request()` reads the site with its root page: the pages below are then
    found by their url_path, known in full (and no query at all for the home page). Given a
    site without its root page, the root is read in the same query and the url_paths below
    it are built from its own by subqueries.
    """
    prefixes = ["/".join(path_components[:i]) + "/" for i in range(1, len(path_components) + 1)]
    root_page = site.root_page if Site.root_page.is_cached(site) else None
    if root_page is not None:
        rows = []
        if prefixes:
            rows = list(
                Page.objects.filter(
                    url_path__in=[root_page.url_path + prefix for prefix in prefixes],
                    # Redundant with url_path, but slug has an index and url_path has not.
                    slug__in=sorted(set(path_components)),
                    path__startswith=root_page.path,
                )
            )
    else:
        root = Page.objects.filter(pk=site.root_page_id)
        along = Q(pk=site.root_page_id)
        if prefixes:
            along |= Q(
                reduce(or_, (Q(url_path=Concat(F("_root_url_path"), Value(p))) for p in prefixes)),
                slug__in=sorted(set(path_components)),
                path__startswith=F("_root_path"),
            )
        rows = list(
            Page.objects.alias(
                _root_url_path=Subquery(root.values("url_path")[:1]),
                _root_path=Subquery(root.values("path")[:1]),
            ).filter(along)
        )
        root_page = next((row for row in rows if row.pk == site.root_page_id), None)
        if root_page is None:
            raise Http404

    levels = {}
    for row in rows:
        level = row.depth - root_page.depth
        if (
            0 < level <= len(path_components)
            and row.path.startswith(root_page.path)
            and row.url_path == root_page.url_path + prefixes[level - 1]
        ):
            levels.setdefault(level, []).append(row)
    return root_page, levels


def _is_child(page, parent):
    """True if `page` sits directly under `parent` in the tree."""
    return page.depth == parent.depth + 1 and page.path[: -page.steplen] == parent.path


def _routes_itself(page, path_components):
    """Whether the page's own `route()` must decide what `path_components` lead to.

    True for a page class with its own `route()`, except a `RoutablePageMixin` page when
    none of its sub-routes matches: its `route()` then hands over to `Page.route()`, which
    the caller follows. `RoutablePageMixin.route()` tries the sub-routes only when the page is
    live, and the resolver belongs to the class, so no query is needed to know. A class that
    resolves its sub-routes its own way is asked by its real `route()`, to be safe.
    """
    page_class = page.specific_class or type(page)
    page_route = getattr(page_class, "route", Page.route)
    if page_route is Page.route:
        return False
    if (
        page_route is not RoutablePageMixin.route
        or page_class.resolve_subpage is not RoutablePageMixin.resolve_subpage
    ):
        return True
    if not page.live:
        return False
    path = "/"
    if path_components:
        path += "/".join(path_components) + "/"
    try:
        page_class.get_resolver().resolve(path)
    except Http404:
        return False
    return True
