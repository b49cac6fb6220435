"""iCalendar (RFC 5545) output: an event's calendar file, the subscribable feed of the calendar,
and the one-date file attached to the e-mails sent to registrants.

A series is one master VEVENT with an RRULE (the editor's rule, in Europe/Paris wall-clock time,
so that a 14:00 meeting stays at 14:00 across daylight-saving changes), EXDATEs for the dates
removed from the calendar, and one VEVENT per cancelled or moved date (same UID, with a
RECURRENCE-ID). The dates are computed by `events.recurrence.compute_occurrences`, like the
stored `EventOccurrence` rows, so that the calendar files and the site always agree.

The subscribable feed covers a window: the events with a date in the last `FEED_PAST_MONTHS`
months, and every upcoming one. A calendar application replaces its copy of a feed at each
refresh, so an event left out of the feed vanishes from its subscribers' calendars: the
recent past is kept (who came to last month's meeting still finds it, with its link), the older
past is in the agenda's archive and would only grow the feed (and its cost) with the years. The
future is complete. The feed is built once per content generation and day (the window moves
at midnight), stored in the shared cache and served with `ETag` and `Last-Modified`, so that a
calendar application that asks again gets a 304.
"""

import gzip
import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import slugify

from dateutil import rrule
from dateutil.relativedelta import relativedelta
from icalendar import Calendar, Event, Timezone, vCalAddress

from cress_site import cache as content_cache
from events.choices import ORGANISER, AttendanceMode, EventStatus
from events.recurrence import (
    MAX_OCCURRENCES,
    PARIS,
    ExceptionAction,
    compute_occurrences,
    to_aware,
    to_local,
)

PRODID = "-//CRESS Normandie//Agenda//FR"
TZID = "Europe/Paris"
FEED_NAME = "Agenda de la CRESS Normandie"
FEED_REFRESH = timedelta(hours=6)
# The past the feed keeps (see the module's docstring).
FEED_PAST_MONTHS = 3
# How long a built feed is kept (it is keyed by the content generation and the day anyway).
FEED_CACHE_SECONDS = 6 * 3600
CONTENT_TYPE = "text/calendar; charset=utf-8"
# As django.middleware.gzip.GZipMiddleware reads the header.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
DEFAULT_DOMAIN = "cress-normandie.example"
# SEQUENCE is the number of seconds since this moment at the latest change (a publication, a
# registration's change): it only grows, and fits a 32-bit integer until 2088.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)

FREQUENCIES = {rrule.DAILY: "DAILY", rrule.WEEKLY: "WEEKLY", rrule.MONTHLY: "MONTHLY"}
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


# -- public API ------------------------------------------------------------------------------


def event_calendar(page, request):
    """One event (a single date or a whole series) as an iCalendar file, in bytes."""
    calendar = _calendar(page.title)
    stamp = _now()
    changes = page.get_changes()
    events = _page_events(page, page.get_full_url(request), stamp, changes)
    _add_timezone(calendar, events)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def event_response(page, request):
    """The event's calendar file, as a download named after the page."""
    response = HttpResponse(event_calendar(page, request), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = _disposition("attachment", f"{page.slug}.ics")
    return response


def feed_window_start(today=None):
    """The first moment of the feed's window: local midnight, `FEED_PAST_MONTHS` months ago."""
    first_day = (today or timezone.localdate()) - relativedelta(months=FEED_PAST_MONTHS)
    return datetime.combine(first_day, time.min, tzinfo=PARIS)


def stored_feed_response(index_page, request, listing, variant=()):
    """The feed of `index_page` for the filters `variant` (what the query string chose), built
    by `feed_response` from `listing()` once per content generation and day and kept in the
    shared cache; with `ETag` and `Last-Modified`, and a 304 when the client has it already."""
    today = timezone.localdate()
    digest = hashlib.sha256(repr((today.isoformat(), variant)).encode()).hexdigest()[:24]
    # The feed's DTSTAMP is the last content change: the same feed, byte for byte, from every
    # worker that builds it, hence the same ETag.
    # It shows the events, not the places left: registrations leave it.
    scopes = content_cache.page_scopes(index_page.cache_dependencies)
    changed = content_cache.last_modified(scopes)
    # Its content changes with the content, and at midnight (its window moves).
    modified = max(changed, datetime.combine(today, time.min, tzinfo=PARIS).timestamp())

    def build():
        stamp = datetime.fromtimestamp(int(changed), UTC)
        body = feed_response(index_page, request, listing(), stamp=stamp).content
        # Kept compressed too: gzip of the whole feed at each request cost more than the rest
        # of serving it (5 ms for 236 KB at volume). The feed is public and holds nothing
        # secret, so the random padding GZipMiddleware adds against BREACH has no use here.
        compressed = gzip.compress(body, mtime=0)
        return body, compressed, f'"{hashlib.sha256(body).hexdigest()[:32]}"'

    timeout = FEED_CACHE_SECONDS if settings.SHARED_CACHE_SECONDS else 0
    body, compressed, etag = content_cache.shared(
        f"ical-feed:gz:{index_page.pk}:{digest}", build, timeout=timeout, scope=scopes
    )
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
        # As GZipMiddleware says of what it compresses: the same content, other bytes.
        etag = f"W/{etag}"
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPE)
    patch_vary_headers(response, ("Accept-Encoding",))
    response["Content-Disposition"] = _disposition("inline", "agenda.ics")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return get_conditional_response(
        request, etag=etag, last_modified=int(modified), response=response
    )


def feed_response(index_page, request, listing, stamp=None):
    """The subscribable feed: every event that has one of the listed (filtered) dates, with its
    whole series, stamped `stamp` (now by default). A fixed number of SQL queries whatever the
    number of events."""
    pages = []
    seen = set()
    for occurrence in listing.items:
        if occurrence.page_id not in seen:
            seen.add(occurrence.page_id)
            pages.append(occurrence.page)
    prefetch_related_objects(pages, "date_changes")

    name = FEED_NAME
    hints = [active.value_label for active in getattr(listing, "active", [])]
    if hints:
        name = f"{name} – {', '.join(hints)}"
    calendar = _calendar(name, description="Les rendez-vous de la CRESS Normandie.")
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")

    stamp = stamp or _now()
    events = []
    for page in pages:
        events.extend(_page_events(page, page.get_full_url(request), stamp, page.get_changes()))
    _add_timezone(calendar, events)
    for event in events:
        calendar.add_component(event)

    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = _disposition("inline", "agenda.ics")
    return response


def occurrence_calendar(occurrence, registration=None, cancelled=False):
    """One date of an event, for the e-mails to a registrant, in bytes.

    Its UID is not the series' one, so that importing it never clashes with a subscription to
    the feed; `cancelled` marks it as cancelled, with a higher SEQUENCE than the file sent when
    the person registered.
    """
    page = occurrence.page
    url = page.get_full_url()
    is_cancelled = cancelled or occurrence.is_cancelled
    moments = [_published_at(page)]
    if registration is not None:
        moments += [registration.created_at, registration.promoted_at, registration.cancelled_at]

    event = Event()
    event.add("uid", f"event-{page.pk}-{occurrence.original_date:%Y%m%d}@{_domain()}")
    event.add("dtstamp", _now())
    _add_dates(event, page, occurrence.start, occurrence.end)
    event.add("summary", page.title)
    lines = [page.summary]
    if is_cancelled:
        lines.append(f"Cette date est annulée. {occurrence.note}".strip())
    elif occurrence.note:
        lines.append(occurrence.note)
    if page.online_url:
        lines.append(f"Lien de connexion : {page.online_url}")
    if page.registration_notes and not is_cancelled:
        lines.append(page.registration_notes)
    if url:
        lines.append(f"Plus d'informations : {url}")
    event.add("description", "\n\n".join(line for line in lines if line))
    _add_common(event, page, url)
    event.add("status", "CANCELLED" if is_cancelled else _status(page))
    event.add("sequence", _sequence(*moments) + (1 if cancelled else 0))

    calendar = _calendar(page.title)
    _add_timezone(calendar, [event])
    calendar.add_component(event)
    return calendar.to_ical()


# -- building blocks -------------------------------------------------------------------------


def _disposition(kind, filename):
    """A Content-Disposition with the file name, and an ASCII fallback when it has accents."""
    if filename.isascii():
        return f'{kind}; filename="{filename}"'
    fallback = slugify(filename.removesuffix(".ics")) + ".ics"
    return f"{kind}; filename=\"{fallback}\"; filename*=utf-8''{quote(filename)}"


def _calendar(name, description=""):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TZID)
    return calendar


def _add_timezone(calendar, events):
    """One VTIMEZONE for Europe/Paris, with the transitions of the years the events cover
    (always added: a calendar needs at least one component, even an empty feed)."""
    years = set()
    for event in events:
        for name in ("dtstart", "dtend", "recurrence-id"):
            if name in event:
                years.add(event.decoded(name).year)
        until = event.get("rrule", {}).get("UNTIL")
        if until:
            years.add((until[0] if isinstance(until, list) else until).year)
    if not years:
        years.add(timezone.localdate().year)
    vtimezone = Timezone.from_tzinfo(
        PARIS,
        tzid=TZID,
        first_date=date(min(years) - 1, 1, 1),
        last_date=date(max(years) + 2, 1, 1),
    )
    calendar.add_component(vtimezone)


def _page_events(page, url, stamp, changes):
    """The VEVENTs of a page: the master (with its RRULE and EXDATEs for a series) and one per
    cancelled or moved date of a series."""
    sequence = _sequence(_published_at(page))
    master = Event()
    _add_identity(master, page, stamp, sequence)
    _add_dates(master, page, page.start, page.end)
    master.add("summary", page.title)
    master.add("description", _description(page, url))
    _add_common(master, page, url)
    master.add("status", _status(page))
    if not page.repeat:
        return [master]

    local_start = to_local(page.start)
    rule = page.rule
    starts = rule.local_starts(local_start)
    starts_by_date = {start.date(): start for start in starts}
    master.add("rrule", _rrule(rule, local_start, starts, page.all_day))

    excluded = [
        starts_by_date[change.original_date]
        for change in changes
        if change.action == ExceptionAction.EXCLUDE and change.original_date in starts_by_date
    ]
    if excluded:
        master.add("exdate", [_instance_value(start, page.all_day) for start in sorted(excluded)])

    events = [master]
    for occurrence in compute_occurrences(page.start, page.end, rule, changes):
        if not (occurrence.cancelled or occurrence.moved):
            continue
        original = starts_by_date.get(occurrence.original_date)
        if original is None:
            continue
        override = Event()
        _add_identity(override, page, stamp, sequence)
        override.add("recurrence-id", _instance_value(original, page.all_day))
        _add_dates(override, page, occurrence.start, occurrence.end)
        override.add("summary", page.title)
        if occurrence.cancelled:
            note = f"Cette date est annulée. {occurrence.note}".strip()
        elif occurrence.moved:
            moved_from = f"{original:%d/%m/%Y}"
            note = f"Date déplacée (prévue le {moved_from}). {occurrence.note}".strip()
        override.add("description", _description(page, url, note=note))
        _add_common(override, page, url)
        override.add("status", "CANCELLED" if occurrence.cancelled else _status(page))
        events.append(override)
    return events


def _add_identity(event, page, stamp, sequence):
    event.add("uid", _uid(page))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    modified = _published_at(page)
    if modified is not None:
        event.add("last-modified", modified.astimezone(UTC).replace(microsecond=0))


def _add_dates(event, page, start, end):
    """DTSTART/DTEND in Europe/Paris time, or as dates (DTEND exclusive) for an all-day event."""
    if page.all_day:
        first, after_last = _all_day_range(start, end)
        event.add("dtstart", first)
        event.add("dtend", after_last)
    else:
        event.add("dtstart", _paris(start))
        event.add("dtend", _paris(max(end, start)))


def _add_common(event, page, url):
    if url:
        event.add("url", url)
    location = _location(page)
    if location:
        event.add("location", location)
    event.add("categories", [page.get_kind_display()])
    event.add("organizer", _organizer(page))
    event.add("class", "PUBLIC")


def _all_day_range(start, end):
    """The first local day and the day after the last one (DTEND of a date is exclusive)."""
    local_start, local_end = to_local(start), to_local(end)
    first = local_start.date()
    last = local_end.date()
    if local_end.time() == time.min and local_end > local_start:
        last -= timedelta(days=1)  # ending at midnight: the previous day is the last one
    return first, max(last, first) + timedelta(days=1)


def _instance_value(local_start, all_day):
    """An instance's original start, for EXDATE and RECURRENCE-ID (the same form as DTSTART)."""
    if all_day:
        return local_start.date()
    return to_aware(local_start).astimezone(PARIS)


def _rrule(rule, local_start, starts, all_day):
    """The RRULE of a series, such that DTSTART plus its instances are exactly `starts`.

    The editor's count or end date is kept when the rule gives the same dates; otherwise (a
    first date that is not on the rule, a series cut at MAX_OCCURRENCES) the last date becomes
    the UNTIL, since RFC 5545 counts DTSTART as the first instance whether or not it is on the
    rule. UNTIL is in UTC (DTSTART has a TZID), or a date for an all-day event.
    """
    kwargs = rule.rrule_kwargs(local_start)
    expanded = list(rrule.rrule(dtstart=local_start, cache=False, **kwargs)[: MAX_OCCURRENCES + 1])
    if expanded != starts:
        kwargs.pop("count", None)
        kwargs["until"] = starts[-1]
    value = {"FREQ": FREQUENCIES[kwargs["freq"]]}
    if kwargs.get("interval", 1) > 1:
        value["INTERVAL"] = kwargs["interval"]
    if kwargs.get("byweekday"):
        value["BYDAY"] = [
            f"{weekday.n or ''}{DAY_CODES[weekday.weekday]}" for weekday in kwargs["byweekday"]
        ]
    if kwargs.get("bymonthday"):
        value["BYMONTHDAY"] = list(kwargs["bymonthday"])
    if kwargs.get("count"):
        value["COUNT"] = kwargs["count"]
    elif kwargs.get("until"):
        until = kwargs["until"]
        if all_day:
            value["UNTIL"] = until.date()
        else:
            value["UNTIL"] = to_aware(until).astimezone(UTC).replace(microsecond=0)
    return value


def _description(page, url, note=""):
    lines = [page.summary]
    if note:
        lines.append(note)
    if page.repeat:
        lines.append(f"Dates : {page.recurrence_description()}.")
    if page.status == EventStatus.CANCELLED:
        lines.append("Cet événement est annulé.")
    elif page.status == EventStatus.POSTPONED:
        lines.append("Cet événement est reporté : la nouvelle date sera annoncée.")
    elif page.status == EventStatus.FULL:
        lines.append("Cet événement est complet.")
    # The connection link goes to registrants only when people register.
    if page.online_url and not page.registration_enabled:
        lines.append(f"Lien de connexion : {page.online_url}")
    if url:
        label = "Informations et inscription" if page.registration_enabled else "Informations"
        lines.append(f"{label} : {url}")
    return "\n\n".join(line for line in lines if line)


def _location(page):
    """ "Maison des associations, 12 rue…, 14000 Caen", "… et en ligne" or "En ligne"."""
    if page.attendance_mode == AttendanceMode.ONLINE:
        return page.place_label
    location = ", ".join(page.address_lines) or page.place_label
    if page.attendance_mode == AttendanceMode.MIXED and location != page.place_label:
        location = f"{location} (et en ligne)"
    return location


def _organizer(page):
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = address or f"contact@{_domain()}"
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = ", ".join(page.organiser_names()) or name or ORGANISER
    return organizer


def _status(page):
    if page.status == EventStatus.CANCELLED:
        return "CANCELLED"
    if page.status == EventStatus.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def _uid(page):
    return f"event-{page.pk}@{_domain()}"


def _domain():
    return urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).hostname or DEFAULT_DOMAIN


def _published_at(page):
    return page.last_published_at or page.latest_revision_created_at or page.first_published_at


def _sequence(*moments):
    moments = [moment for moment in moments if moment is not None]
    if not moments:
        return 0
    return max(0, int((max(moments) - SEQUENCE_EPOCH).total_seconds()))


def _paris(value):
    return value.astimezone(PARIS)


def _now():
    return timezone.now().astimezone(UTC).replace(microsecond=0)
