"""The agenda's lists grouped by month around their cached cards, and the month grid's rows."""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from cress_site import typography

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


@register.simple_tag(takes_context=True)
def card_status(context, occurrence):
    """An event card's status (`EventOccurrence.status_label`); on a card `without_places`, the
    one the editors set (`set_status_label`), for a view that does not follow registrations."""
    if context.get("without_places"):
        return occurrence.set_status_label
    return occurrence.status_label


@register.simple_tag
def month_grid_weeks(month):
    """The month grid's rows (`events.month_grid.MonthGrid`), one `<tr>` per week, a `<td>`
    per day with its dates.

    Written here rather than as template loops: at full volume a month shows about 55 dates
    over its 42 cells, and Django's template engine spent about 20,000 variable lookups on
    them, half of the month page's render. Each date's link is made once, even when it spans
    several days. The strings are joined with the standard library's `html.escape` (what
    Django's `escape` calls) rather than `format_html`, whose lazy-string checks on each of
    its arguments cost a tenth of the page. The markup is the one the template wrote
    (`tests/events/test_month_grid.py` renders both and compares them)."""
    entries = {}
    rows = []
    for week in month.weeks:
        cells = []
        for day in week:
            classes = "month-grid__day"
            if not day["in_month"]:
                classes += " month-grid__day--outside"
            if day["is_today"]:
                classes += " month-grid__day--today"
            occurrences = day["occurrences"]
            if occurrences:
                classes += " month-grid__day--busy"
            label = escape(typography.date_label(day["date"], "l j F"))
            number = day["date"].day
            if day["is_today"]:
                date = (
                    '<span class="month-grid__date" aria-current="date"><span '
                    f'class="visually-hidden">{label} (aujourd\'hui)</span>'
                    f'<span aria-hidden="true">{number}</span></span>'
                )
            else:
                date = (
                    f'<span class="month-grid__date"><span class="visually-hidden">{label}'
                    f'</span><span aria-hidden="true">{number}</span></span>'
                )
            events = ""
            if occurrences:
                items = []
                for occurrence in occurrences:
                    entry = entries.get(occurrence.pk)
                    if entry is None:
                        entry = entries[occurrence.pk] = _grid_entry(occurrence)
                    items.append(entry)
                events = f'<ul class="month-grid__events" role="list">{"".join(items)}</ul>'
            cells.append(f'<td class="{classes}">{date}{events}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(rows))


def _grid_entry(date):
    """One date in a day's cell (`events.month_grid.GridDate`): its time, its event's title as
    a link, "Annulé"."""
    time = date.start_time_label
    return '<li class="month-grid__event{}"><a href="{}">{}{}</a>{}</li>'.format(
        " month-grid__event--cancelled" if date.is_cancelled else "",
        escape(date.url),
        f'<span class="month-grid__time">{escape(time)}</span> ' if time else "",
        escape(date.title),
        ' <span class="status status--cancelled">Annulé</span>' if date.is_cancelled else "",
    )
