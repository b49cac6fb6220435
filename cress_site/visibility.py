"""Which pages the public may see, with the view restrictions read once per request.

Wagtail's `PageQuerySet.public()` reads every `PageViewRestriction` each time it is called: the
menu, the breadcrumbs and a page's related items would each read them again. `public(queryset,
request)` gives the same pages, from restrictions kept on the request and in the shared cache.
"""

from django.db.models import Q

from wagtail.models import PageViewRestriction

from cress_site import cache as content_cache


def restricted_branches(request):
    """(path, depth) of each page under a view restriction (it and its descendants are
    private), read once per content generation (a restriction added or removed, or a page moved,
    starts a new one) and kept on the request."""
    branches = getattr(request, "_restricted_branches", None)
    if branches is None:
        branches = content_cache.shared(
            "restricted-branches",
            lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
        )
        if request is not None:
            request._restricted_branches = branches
    return branches


def public(queryset, request):
    """`queryset.public()`, without reading the view restrictions again in this request."""
    for path, depth in restricted_branches(request):
        queryset = queryset.exclude(Q(path__startswith=path) & Q(depth__gte=depth))
    return queryset
