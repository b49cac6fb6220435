"""The date a search result shows, and whose year is the "annee" facet: one that means
something to the reader.

Each page type that takes part in the search says how its results get their date
(`search_dates`, cress_site.searchable): a publication its publication date, an event its next
(else its last) date, a supported project the period of the chamber's support; any other page
shows none. This module knows no app: it reads what the page types declare.
"""

from datetime import date

from cress_site.searchable import DateState, result_dates

__all__ = ["DateState", "add_dates", "date_columns", "set_date", "sort_key"]


def date_columns(model):
    """The columns `set_date` needs from the model's own table."""
    return list(result_dates(model).columns)


def set_date(model, hit, values):
    """Give `hit` its date from the `values` of `date_columns(model)`."""
    if values:
        result_dates(model).set_date(hit, values)


def add_dates(model, hits_by_id):
    """The dates of `model`'s hits read from elsewhere (an event's dates), in one query."""
    if hits_by_id:
        result_dates(model).add_dates(model, hits_by_id)


def sort_key(hit):
    """Most recent first once reversed; results without a date last."""
    value = hit.sort_date
    return (value is not None, value or date.min)
