"""The site-wide search page."""

from django.template.response import TemplateResponse

from wagtail.models import Page, Site

from search.french import fold
from search.results import SORTS, run_search
from search.snippets import fallback_snippet, highlight, make_snippet, query_stems

MAX_QUERY_LENGTH = 200


def search(request):
    """Full-text search over every live, public page of the current site, PDFs included."""
    query = _clean(request.GET.get("q", ""))
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH].strip()

    outcome = None
    results = []
    promotions = []
    if query:
        site = Site.find_for_request(request)
        outcome = run_search(request, site, query)
        results = _results(outcome, query_stems(query))
        promotions = _promotions(query, site)
        if _is_new_search(request, outcome):
            _record(query, outcome.hits_total)

    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "query_truncated": truncated,
            "max_query_length": MAX_QUERY_LENGTH,
            "outcome": outcome,
            "results": results,
            "promotions": promotions,
            "sorts": SORTS,
        },
    )


def _results(outcome, stems):
    """The current page of results as specific pages, each with its title and snippet."""
    hits = list(outcome.page_obj.object_list)
    ids = [hit.page.pk for hit in hits]
    # One query per page type for the specific fields, whatever the page size.
    specific = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    documents = _documents(list(specific.values()))
    results = []
    for hit in hits:
        page = specific.get(hit.page.pk)
        if page is None:
            continue
        results.append(
            {
                "page": page,
                "kind": hit.kind,
                "date": hit.date,
                "title_html": highlight(page.title, stems),
                "snippet": _snippet(page, stems, documents.get(page.pk)),
            }
        )
    return results


def _documents(pages):
    """The extracted text of the publications' PDFs, by page id (one query)."""
    from wagtail.documents import get_document_model

    wanted = {page.document_id: page.pk for page in pages if getattr(page, "document_id", None)}
    if not wanted:
        return {}
    rows = get_document_model().objects.filter(pk__in=wanted).values_list("pk", "extracted_text")
    return {wanted[pk]: text for pk, text in rows}


def _page_text(page):
    """The text a page shows, from its search fields (its title and related objects aside)."""
    from modelsearch.index import SearchField

    parts = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, SearchField) or search_field.field_name == "title":
            continue
        value = search_field.get_value(page)
        if isinstance(value, list | tuple):
            parts.extend(str(item) for item in value)
        elif value:
            parts.append(str(value))
    return " ".join(parts)


def _snippet(page, stems, document_text):
    summary = getattr(page, "get_listing_summary", lambda: "")() or page.search_description
    for text, source in ((summary, ""), (_page_text(page), ""), (document_text, "document")):
        snippet = make_snippet(text, stems, source=source)
        if snippet is not None:
            return snippet
    return fallback_snippet(summary)


def _promotions(query, site):
    """The results editors chose for this query (wagtail.contrib.search_promotions), read only.

    Editors type the query once; it matches whatever the accents and case ("economie sociale"
    shows what was promoted for "Économie sociale").
    """
    from wagtail.contrib.search_promotions.models import SearchPromotion

    key = " ".join(fold(query).split())
    promotions = SearchPromotion.objects.select_related("query", "page").order_by(
        "query_id", "sort_order", "pk"
    )
    shown = []
    for promotion in promotions:
        if " ".join(fold(promotion.query.query_string).split()) != key:
            continue
        page = promotion.page
        if page is not None and not (page.live and page.get_site() == site):
            continue
        shown.append(promotion)
    return shown


def _is_new_search(request, outcome):
    """A query counts once: not again for its next pages, another sort or a facet."""
    return outcome.page_obj.number == 1 and set(outcome.params) == {"q"}


def _record(query, count):
    from search.analytics import record

    record(query, count)


def _clean(text):
    """The query without control characters (a NUL byte breaks some database drivers)."""
    return "".join(char for char in text if char.isprintable() or char == " ").strip()
