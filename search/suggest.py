"""As-you-type suggestions for the header search box: searches and pages, as JSON.

`GET /recherche/suggestions/?q=coopérat` answers
`{"query": "coopérat", "completions": [{"text": "coopérative", "url": "/recherche/?q=…"}],
"suggestions": [{"title": "…", "url": "/…", "type": "Publication"}]}`:

- `completions`: at most `MAX_COMPLETIONS` searches, the query with its last word completed
  from the words of the site's public content (search.vocabulary: titles, summaries, bodies,
  PDFs, territories, themes), the most frequent words first: "méthan" → "méthanisation";
- `suggestions`: at most `MAX_SUGGESTIONS` live, public pages of the current site whose title
  has words that start with what was typed (the last word may be incomplete), best matches
  first;
- `sections`: what is not a page (cress_site.searchable: the directory's enterprises, the
  portraits of territories…), at most `search.sections.SUGGESTION_LIMIT` results per section
  that has some, `[{"key": "entreprises", "label": "Entreprises de l'ESS", "results":
  [{"title": "…", "url": "…", "type": "Entreprise"}]}]`, in the sections' order; each
  section's `find` receives the plain words (`terms` below), and its results are cached per
  generation of its scopes (search.sections).

The search backend's autocomplete does the matching. On every backend of the site it is
French-aware (see search/backends): accents and case are ignored, so "cooperat", "coopérat"
and "COOPERAT" all suggest "… coopérative …". The title is the only `AutocompleteField` of the
site's pages, so `autocomplete()` matches titles only; its `fields` argument is not given, since
the SQLite backend would then look in its stemmed title column, where prefixes do not match.

The query is reduced to plain words here, before the backend sees it: elisions are removed
("l'insert" looks for "insert…"), and so is every character that is neither a letter nor a
digit, which leaves no full-text syntax (quotes, stars, parentheses…), emoji or control
character to any backend. The completions cost no SQL query once the vocabulary is built
(once per content generation). Two SQL queries, whatever the number of suggestions: the site and
the matching pages; the private sections (cress_site.visibility), content types and the sites'
root paths come from caches (a few more queries the first time), and so do the sections'
results (their own queries the first time a query is typed in a generation).
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from wagtail.models import Page, Site

from cress_site.searchable import PAGE_KIND, search_contributors
from cress_site.visibility import public
from search.french import ELISION, fold
from search.sections import SUGGESTION_LIMIT, find_in_sections
from search.vocabulary import vocabulary

MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2
MAX_SUGGESTIONS = 8
MAX_COMPLETIONS = 3
CACHE_SECONDS = 60

DEFAULT_TYPE_LABEL = PAGE_KIND.suggestion_label

# Runs of characters that are neither letters nor digits (nor the underscore, left out too).
NOT_A_WORD = re.compile(r"[\W_]+")


@require_safe
def suggestions(request):
    """The titles of the pages that match `q`, as JSON; an empty list for a short query."""
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    results = []
    completions = []
    sections = []
    if len(terms) >= MIN_QUERY_LENGTH:
        site = Site.find_for_request(request)
        if site is not None:
            completions = _complete(site, query, terms)
            results = _suggest(request, site, terms)
            sections = _sections(terms)
    response = JsonResponse(
        {
            "query": query,
            "completions": completions,
            "suggestions": results,
            "sections": sections,
        }
    )
    # The same answer for everyone: nothing personal, only live public pages.
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["X-Robots-Tag"] = "noindex"
    return response


def clean_query(text):
    """The query trimmed, capped at `MAX_QUERY_LENGTH`, without control characters."""
    text = "".join(char for char in text if char.isprintable() or char == " ")
    return text.strip()[:MAX_QUERY_LENGTH].strip()


def search_terms(query):
    """The words of the query, elisions and other signs removed, separated by single spaces."""
    return NOT_A_WORD.sub(" ", ELISION.sub(" ", query)).strip()


def _complete(site, query, terms):
    """The searches the query may be the start of: its last word completed."""
    last = terms.split()[-1]
    if len(last) < MIN_QUERY_LENGTH:
        return []
    # What comes before the last word, as typed ("l'économie soc" → "l'économie ").
    before = query[: query.rfind(last)]
    found = []
    for word in vocabulary(site).completions(last, limit=MAX_COMPLETIONS + 1):
        if fold(word) == fold(last):
            continue  # the word as typed is already the search
        text = before + word
        found.append({"text": text, "url": f"{reverse('search')}?{urlencode({'q': text})}"})
    return found[:MAX_COMPLETIONS]


def _suggest(request, site, terms):
    # How each page type that declares a search kind (cress_site.searchable) is named.
    labels = {
        content_type.pk: model.search_kind.suggestion_label
        for model, content_type in ContentType.objects.get_for_models(
            *search_contributors()
        ).items()
    }
    pages = public(Page.objects.in_site(site), request).autocomplete(terms)[:MAX_SUGGESTIONS]
    results = []
    for page in pages:
        url = page.get_url(request=request)
        if not url:
            continue
        results.append(
            {
                "title": page.title,
                "url": url,
                "type": labels.get(page.content_type_id, DEFAULT_TYPE_LABEL),
            }
        )
    return results


def _sections(terms):
    """A few results of each search section (what is not a page), labelled."""
    return [
        {
            "key": found.key,
            "label": found.label,
            "results": [
                {"title": result.title, "url": result.url, "type": result.label or found.label}
                for result in found.results
            ],
        }
        for found in find_in_sections(terms, SUGGESTION_LIMIT)
    ]
