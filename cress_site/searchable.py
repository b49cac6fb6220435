"""What a page type contributes to the site search: its kind, and its facet data.

A page model takes part by declaring, as class attributes:

- `search_kind`: a `SearchKind`, the value of the search's "type" facet for its pages and how
  they are named (in that facet, on a result, in the header's suggestions);
- `search_date_field`: the date (or date and time) a result shows and is sorted by, and whose
  year is the "annee" facet; without it, the date of the page's last publication;
- `search_territory_field`: the path to its territory or territories (a foreign key, or a
  relation to many), counted under their département in the "territoire" facet;
- `search_theme_field`: the path to its themes, for the "theme" facet.

The search finds the models that declare a kind among Wagtail's page models
(`get_page_models()`), so a new page type needs no change to the search. Every other page is
of the kind `PAGE_KIND`.
"""

from dataclasses import dataclass

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
