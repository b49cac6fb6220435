"""Searching a queryset filtered on an annotation, with the database backends.

Wagtail's image and document lists filter on a usage count their view annotates; searching them
then fails (AttributeError in modelsearch, which reads a column where the annotation is an
expression). The database backends search the queryset itself, filters included, so only
modelsearch's check that each filter is an index `FilterField` stands in the way: a filter on an
annotation is left to the database.
"""

from django.db.models import Lookup
from django.db.models.expressions import Col
from django.db.models.functions.datetime import Extract


class AnnotationFiltersMixin:
    """For a database backend's query compilers."""

    def _get_filters_from_where_node(self, where_node, check_only=False):
        if (
            check_only
            and isinstance(where_node, Lookup)
            and not isinstance(where_node.lhs, Col | Extract)
        ):
            return None
        return super()._get_filters_from_where_node(where_node, check_only=check_only)
