"""The agenda's lists grouped by month around their cached cards."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def by_month(cards, items):
    """`[(start, cards)]`: the cards of `{% shared_cards items … %}` grouped by the local month
    their date starts in, in their order; `start` is the first date of the group, for its
    heading. The dates' starts come from `items` (`PageItems.values_of`): one query of that
    column when every card came from the cache and no row was read."""
    starts = items.values_of("start")
    groups = []
    for pk, card in zip(cards.pks, cards, strict=True):
        start = starts.get(pk)
        if start is None:
            continue
        local = timezone.localtime(start)
        if not groups or groups[-1][2] != (local.year, local.month):
            groups.append((start, [], (local.year, local.month)))
        groups[-1][1].append(card)
    return [(start, month_cards) for start, month_cards, _month in groups]
