"""The site-wide search page."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from wagtail.models import Page, Site
from wagtail.search.utils import parse_query_string

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def search(request):
    """Full-text search over every live, public page of the current site."""
    query = _clean(request.GET.get("q", ""))
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH].strip()

    results_page = None
    if query:
        # Quoted words are searched as a phrase; the rest is plain text, never raw FTS syntax.
        _filters, parsed_query = parse_query_string(query)
        site = Site.find_for_request(request)
        pages = Page.objects.live().public().in_site(site).search(parsed_query)
        results_page = Paginator(pages, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        # One query per page type for the specific fields (summaries), whatever the page size.
        ids = [page.pk for page in results_page]
        specific = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
        results_page.object_list = [
            specific[page.pk] for page in results_page if page.pk in specific
        ]

    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "query_truncated": truncated,
            "max_query_length": MAX_QUERY_LENGTH,
            "results_page": results_page,
            "query_string": urlencode({"q": query}),
        },
    )


def _clean(text):
    """The query without control characters (a NUL byte breaks some database drivers)."""
    return "".join(char for char in text if char.isprintable() or char == " ").strip()
