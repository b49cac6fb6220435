"""What a page type contributes to the site search: its kind, and its facet data.

A page model takes part by declaring, as class attributes:

- `search_kind`: a `SearchKind`, the value of the search's "type" facet for its pages and how
  they are named (in that facet, on a result, in the header's suggestions);
- `search_dates`: how its results get the date they show (a `ResultDates`: `DateField`, the
  page's own date, shown, sorted by, whose year is the "annee" facet; `Period`, a period that
  gives neither a year nor a sort date; or the app's own); without it, no date (the date of
  a page's last publication is an editor's, not the reader's);
- `search_territory_field`: the path to its territory or territories (a foreign key, or a
  relation to many), counted under their département in the "territoire" facet;
- `search_theme_field`: the path to its themes, for the "theme" facet.

The search finds the models that declare a kind among Wagtail's page models
(`get_page_models()`), so a new page type needs no change to the search. Every other page is
of the kind `PAGE_KIND`.

Sections: what is not a page
----------------------------
Things that are not pages (the directory's enterprises, the portraits of territories) take part
through a *section*: a function that finds them, registered by their app (or by the project,
in an `AppConfig.ready()`), that the search (which imports no feature app) calls:

    from cress_site.searchable import SectionResult, register_search_section

    def find_enterprises(query, limit):
        return [
            SectionResult(title=unit.name, url=enterprise_url(unit), label="Entreprise",
                          description="Scop · Caen")
            for unit in Enterprise.objects.public().filter(...)[:limit]
        ]

    register_search_section(
        "entreprises",
        label="Entreprises de l'ESS",
        find=find_enterprises,
        scope=DIRECTORY,  # what its results depend on: cress_site.cache scopes
        order=10,
        more_url=lambda query: directory_url(q=query),
    )

- `find(query, limit)` returns at most `limit` `SectionResult`s, best first: `title`, `url`,
  `label` (what the result is, shown beside it: "Entreprise", "Département") and an optional
  plain-text `description`. `query` is what the reader typed, cleaned (no control character,
  at most a few hundred characters), but otherwise untrusted: match it as text, never as a
  query syntax. In the header's suggestions it is reduced to plain words, the last one maybe
  unfinished ("coopér"): a section that can match word starts should. Only what the public may
  see may be returned (the directory: `Enterprise.objects.public()` only).
- `scope`: the cache scope or scopes (cress_site.cache) of what `find` reads. Its results for a
  query are kept in the "search" cache (`SEARCH_CACHE_SECONDS`) for the current generation of
  those scopes and of `CONTENT` (the addresses of the pages the results link to): `find` is
  called once per query and generation, whoever searches.
- `more_url(query)`, optional: the address of all the section's results for the query (a
  filtered listing), or None; shown as "Voir tout" under the section's first results.
- `order`: the sections are shown by increasing order (then key).
- A `find` or `more_url` that raises is logged and its section left out: the search still
  answers.

The search page shows each section with results in its own titled block (its `label`) above
the pages, on the first page of an unfiltered search; the header's suggestions list a few of
its results after the pages, each with its result's label.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from wagtail.models import get_page_models

from cress_site import cache as content_cache


@dataclass(frozen=True)
class SearchKind:
    value: str  # in the query string: ?type=…
    label: str  # the facet's option: "Publications"
    result_label: str  # on a result: "Publication"
    suggestion_label: str  # in the suggestions of the header's search box
    order: int = 100  # among the facet's options, the smaller first


PAGE_KIND = SearchKind("page", "Pages", "Page", "Page", order=1000)


@dataclass(frozen=True)
class SectionResult:
    """One result of a search section (not a page): shown as a link to `url`."""

    title: str
    url: str
    label: str  # what it is: "Entreprise", "Département"
    description: str = ""  # plain text, a line at most


@dataclass(frozen=True)
class SearchSection:
    """A registered section of the search (`register_search_section`)."""

    key: str
    label: str  # the block's heading: "Entreprises de l'ESS"
    find: Callable  # (query, limit) -> list[SectionResult]
    scope: str | tuple  # cress_site.cache scope(s) its results depend on
    order: int = 100
    more_url: Callable | None = None  # (query) -> str | None


SECTION_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_sections = {}


def register_search_section(key, *, label, find, scope, order=100, more_url=None):
    """Make the search show the results of `find` (see the module's docstring) under
    `label`. Registering a key again replaces its section. Returns the section."""
    if not SECTION_KEY.match(key or ""):
        raise ValueError(f"A search section's key is lower-case letters, digits, - or _: {key!r}")
    if not callable(find) or (more_url is not None and not callable(more_url)):
        raise TypeError("find and more_url must be callables")
    content_cache.resolve(scope)  # an undeclared scope fails now, not at the first search
    section = SearchSection(key, label, find, scope, order, more_url)
    _sections[key] = section
    return section


def unregister_search_section(key):
    """Remove the section `key` (nothing if there is none)."""
    _sections.pop(key, None)


def search_sections():
    """The registered sections, by order then key."""
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def search_contributors():
    """The page models that declare a `search_kind`, in the order of their kinds."""
    models = [model for model in get_page_models() if getattr(model, "search_kind", None)]
    return sorted(models, key=lambda model: (model.search_kind.order, model.search_kind.value))


def search_kinds():
    """The kinds of the search's results, `PAGE_KIND` last."""
    return [model.search_kind for model in search_contributors()] + [PAGE_KIND]


class DateState:
    """What a result's date is (`hit.state`; the search's result_date.html words it)."""

    DATE = ""  # a date of the item (a publication's)
    NEXT = "next"  # an event's next date
    PAST = "past"  # an event that is over: its last date
    SINCE = "since"  # a project supported since then
    PERIOD = "period"  # a project supported from `date` to `end`


def local_day(value):
    """The day of a date, or of a date and time (in the site's time zone when aware)."""
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def give_date(hit, value, state=DateState.DATE):
    """Give `hit` the day of `value`: shown, sorted by, its year in the "annee" facet."""
    hit.date = local_day(value)
    hit.year = hit.date.year
    hit.sort_date = hit.date
    hit.state = state


class ResultDates:
    """How the results of a page type get their date. A search hit has `date`, `state` (a
    `DateState`), `end` (of a period), `series` (an event with several dates), `year` (the
    "annee" facet) and `sort_date` (None: last in the sort by date).

    - `columns`: the fields of the page's own table read with each result;
    - `set_date(hit, values)`: what the `values` of these columns give the hit;
    - `add_dates(model, hits_by_id)`: dates read from elsewhere, in one query for all the hits
      of the page type.
    """

    columns = ()

    def set_date(self, hit, values):
        pass

    def add_dates(self, model, hits_by_id):
        pass


NO_DATES = ResultDates()


class DateField(ResultDates):
    """The page's own date (or date and time): a publication's publication date."""

    def __init__(self, name):
        self.columns = (name,)

    def set_date(self, hit, values):
        (value,) = values
        if value is not None:
            give_date(hit, value)


class Period(ResultDates):
    """A period from `start` (required to show anything) to `end` (none: still going on), as
    a project's support: it gives no year to the facet nor a date to the sort (a project
    supported since 2008 and still followed is not "of 2008")."""

    def __init__(self, start, end):
        self.columns = (start, end)

    def set_date(self, hit, values):
        start, end = values
        if start is not None:
            hit.date, hit.end = start, end
            hit.state = DateState.PERIOD if end else DateState.SINCE


def result_dates(model):
    """How the results of `model` get their date (`search_dates`), `NO_DATES` if it says not."""
    return getattr(model, "search_dates", None) or NO_DATES
