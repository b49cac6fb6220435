"""Page routing: Wagtail's own, with each page on the way read once, as its own class.

Pages are served by Wagtail's `serve` view (`wagtail.urls`): the site found for the request
(`Site.find_for_request`), then `route()` of its root page, one path component at a time, the
`before_serve_page` hooks (view restrictions) and `Page.serve()`. Wagtail's `Page.route()`
reads each child twice: as a generic `Page`, then as its own class (`.specific`).

`SpecificRoutingMixin.route()` is that same walk (it hands over to Wagtail's `Page.route()` for
the page itself, so `live` is checked and a 404 raised as Wagtail does), with each child read in
one query as its own class: the row of `wagtailcore_page` is joined with the tables of the page
types the parent may hold (its `subpage_types`). A child of another type (placed by a script,
say) is read as Wagtail reads it. A `RoutablePageMixin` page still answers its own sub-routes
first: it calls this `route()` only when none matches.

The sections (the children of a site's root page) come from the shared cache for the content
generation (cress_site.cache), as the site and its root page do (cress_site.middleware): any
change to what the public sees starts a new generation, so a section moved, renamed or
unpublished is routed anew at once.

A page type may name, in `route_select_related`, the relations of its own model its page shows
(a publication's PDF and cover, an event's territory): they are joined to that same query, so
the page does not read each of them on its own afterwards. (Nothing is deferred: Django's
`defer()` through `select_related` costs more to compile than a PDF's text costs to read.)

The page reached knows the page that routed to it, as its own class: `get_parent()` returns it
without a query (the detail pages show their index page). Wagtail keeps the same in a private
attribute of treebeard's; here it is this mixin's own `route_parent`.
"""

import re
from functools import cache

from django.http import Http404

from wagtail.models import Page

from cress_site import cache as content_cache

# A site's root page (the home page) sits at this depth of Wagtail's tree.
SITE_ROOT_DEPTH = 2
SLUG = re.compile(r"[-\w]{1,200}")  # a cache key stays under 250 characters


@cache
def _child_tables(page_class):
    """{page model: (name for select_related, attribute)} for each page type a page of
    `page_class` may hold that extends `Page` directly (its table is one join away)."""
    allowed = set(page_class.allowed_subpage_models())
    return {
        rel.related_model: (rel.name, rel.get_accessor_name())
        # The reverse of each page type's link to wagtailcore_page (multi-table inheritance).
        for rel in Page._meta.get_fields()
        if not rel.concrete and rel.one_to_one and rel.parent_link and rel.related_model in allowed
    }


@cache
def _child_select_related(page_class):
    """What reading a child of a `page_class` page joins: the tables of the page types it may
    hold, with the relations each names in `route_select_related`."""
    related = []
    for model, (name, _attribute) in _child_tables(page_class).items():
        related.append(name)
        related += [f"{name}__{field}" for field in getattr(model, "route_select_related", ())]
    return tuple(related)


class SpecificRoutingMixin:
    """Routes each path component to a child read in one query, as its own class."""

    # The page whose `route()` led to this one, set when this one is reached by routing.
    route_parent = None
    # Relations of the page's own model read with it when it is routed to (see the module's
    # docstring).
    route_select_related = ()

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        child = self.child_for_route(path_components[0])
        child.route_parent = self
        return child.route(request, path_components[1:])

    def child_for_route(self, slug):
        """The child page at `slug`, as its own class; Http404 if there is none.

        The sections (the children of a site's root page), through which nearly every request
        passes, are kept in the shared cache for the content generation (cress_site.cache):
        they are few, and reading one means joining the tables of every page type the home page
        may hold. A page below them then costs one query, for itself."""
        if self.depth == SITE_ROOT_DEPTH and SLUG.fullmatch(slug):
            return content_cache.shared(
                f"section:{self.pk}:{slug}",
                lambda: self.read_child(slug),
                scope=content_cache.CONTENT,
            )
        return self.read_child(slug)

    def read_child(self, slug):
        """The child page at `slug`, read in one query as its own class; Http404 if none."""
        tables = _child_tables(type(self))
        children = self.get_children().select_related(*_child_select_related(type(self)))
        try:
            row = children.get(slug=slug)
        except Page.DoesNotExist as error:
            raise Http404 from error
        if row.specific_class in tables:
            return getattr(row, tables[row.specific_class][1])
        return row.specific

    def get_parent(self, update=False):
        """treebeard's `get_parent()`, or the page that routed to this one (no query)."""
        if self.route_parent is not None:
            if not update:
                return self.route_parent
            self.route_parent = None
        return super().get_parent(update=update)
