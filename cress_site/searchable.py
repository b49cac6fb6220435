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
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from wagtail.models import get_page_models


@dataclass(frozen=True)
class SearchKind:
    value: str  # in the query string: ?type=…
    label: str  # the facet's option: "Publications"
    result_label: str  # on a result: "Publication"
    suggestion_label: str  # in the suggestions of the header's search box
    order: int = 100  # among the facet's options, the smaller first


PAGE_KIND = SearchKind("page", "Pages", "Page", "Page", order=1000)


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
