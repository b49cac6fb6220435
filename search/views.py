"""The site-wide search page."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from modelsearch.index import SearchField
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from cress_site import cache as content_cache
from cress_site.visibility import is_public_page, non_public
from search import analytics
from search.french import fold
from search.results import SORTS, kind_labels, run_search
from search.sections import PAGE_LIMIT, find_in_sections
from search.snippets import fallback_snippet, highlight, make_snippet, query_stems
from search.vocabulary import did_you_mean, vocabulary

MAX_QUERY_LENGTH = 200


def search(request):
    """Full-text search over every live, public page of the current site, PDFs included."""
    query = _clean(request.GET.get("q", ""))
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH].strip()

    outcome = None
    results = []
    promotions = []
    correction = None
    sections = []
    if query:
        site = Site.find_for_request(request)
        outcome = run_search(request, site, query)
        results = _results(request, site, outcome, query_stems(query))
        promotions = _promotions(query, site)
        # What is not a page (cress_site.searchable sections): on the first page of a search
        # that no facet narrows (the facets are the pages').
        if outcome.page_obj.number == 1 and not outcome.active:
            sections = find_in_sections(query, PAGE_LIMIT)
        if not outcome.total and not outcome.active:
            correction = _correction(site, query)
        if _is_new_search(request, outcome):
            analytics.record(query, outcome.total)

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
            "sections": sections,
            "correction": correction,
            "sorts": SORTS,
        },
    )


def _correction(site, query):
    """ "Vouliez-vous dire": the query with its misspelt words corrected from the words of the
    site's public content, and the address of that search; None when nothing is corrected."""
    corrected = did_you_mean(query, vocabulary(site))
    if corrected is None:
        return None
    return {"query": corrected, "url": f"{reverse('search')}?{urlencode({'q': corrected})}"}


def _results(request, site, outcome, stems):
    """The current page of results: each page's address, title and snippet, and what the
    facets know of it (kind and its label, date)."""
    hits = list(outcome.page_obj.object_list)
    labels = kind_labels()
    shown = _shown(request, site, [hit.page_id for hit in hits], stems)
    results = []
    for hit in hits:
        if hit.page_id not in shown:  # deleted since the search was made
            continue
        url, title_html, snippet = shown[hit.page_id]
        results.append(
            {
                "url": url,
                "kind": hit.kind,
                "kind_label": labels.get(hit.kind, hit.kind),
                "date": hit.date,
                "date_state": hit.state,
                "date_end": hit.end,
                "series": hit.series,
                "title_html": title_html,
                "snippet": snippet,
            }
        )
    return results


def _shown(request, site, ids, stems):
    """Each page's address, and its title and snippet with the words of the query marked, by
    page id.

    Kept with the search's matches (same cache, same generation): the next page of results, or
    the next visitor who searches the same words, reads them without a query."""
    timeout = settings.SEARCH_CACHE_SECONDS
    store = caches["search"]
    words = hashlib.sha256(" ".join(sorted(stems)).encode()).hexdigest()
    keys = {
        pk: content_cache.shared_key(f"result:{site.pk}:{words}:{pk}", scopes=content_cache.PAGES)
        for pk in ids
    }
    found = store.get_many(keys.values()) if timeout else {}
    shown = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in shown]
    if missing:
        # One query per page type for the specific fields, whatever the page size.
        pages = list(Page.objects.filter(pk__in=missing).specific())
        documents = _documents(pages)
        made = {
            page.pk: (
                page.get_url(request),
                highlight(page.title, stems),
                _snippet(page, stems, documents.get(page.pk)),
            )
            for page in pages
        }
        if timeout:
            store.set_many({keys[pk]: value for pk, value in made.items()}, timeout)
        shown.update(made)
    return shown


def _documents(pages):
    """The extracted text of the publications' PDFs, by page id (one query); none for a PDF in
    a private collection (cress_site.visibility), whose words are not the public's to read."""
    wanted = {page.document_id: page.pk for page in pages if getattr(page, "document_id", None)}
    if not wanted:
        return {}
    rows = (
        get_document_model()
        .objects.filter(pk__in=wanted)
        .exclude(collection_id__in=non_public().collections)
        .values_list("pk", "extracted_text")
    )
    return {wanted[pk]: text for pk, text in rows}


# Search fields whose text is not the page's own: the title (shown apart), and a publication's
# PDF (read for the whole page of results by `_documents`, and marked as coming from it).
NOT_PAGE_TEXT = {"title", "document_text"}


def _page_text(page):
    """The text a page shows, from its search fields (its title and related objects aside)."""
    parts = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, SearchField) or search_field.field_name in NOT_PAGE_TEXT:
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


def _promoted_ids():
    """The promotions' ids by the folded words of their query, in the editors' order."""
    promoted = {}
    rows = SearchPromotion.objects.order_by("query_id", "sort_order", "pk").values_list(
        "pk", "query__query_string"
    )
    for pk, query_string in rows:
        promoted.setdefault(" ".join(fold(query_string).split()), []).append(pk)
    return promoted


def _promotions(query, site):
    """The results editors chose for this query (wagtail.contrib.search_promotions), read only.

    Editors type the query once; it matches whatever the accents and case ("economie sociale"
    shows what was promoted for "Économie sociale"). Which queries have promotions is read
    once per content generation: a query without any costs no query.
    """
    ids = content_cache.shared("search-promotions", _promoted_ids, scope=content_cache.CONTENT).get(
        " ".join(fold(query).split())
    )
    if not ids:
        return []
    promotions = SearchPromotion.objects.select_related("page").in_bulk(ids)
    shown = []
    for pk in ids:
        promotion = promotions.get(pk)
        if promotion is None:
            continue
        page = promotion.page
        if page is not None and not (is_public_page(page) and page.get_site() == site):
            continue
        shown.append(promotion)
    return shown


def _is_new_search(request, outcome):
    """A query counts once: not again for its next pages, another sort or a facet."""
    return outcome.page_obj.number == 1 and set(outcome.params) == {"q"}


def _clean(text):
    """The query without control characters (a NUL byte breaks some database drivers)."""
    return "".join(char for char in text if char.isprintable() or char == " ").strip()
