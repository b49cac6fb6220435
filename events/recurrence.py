"""Recurring events: the editor's choices turned into dates, and into words.

An editor never types an RRULE. They choose how an event repeats ("chaque mois, le même jour de
la semaine"), every how many weeks or months, and until when or how many times; the first date
is the event's own start. Everything is computed in Europe/Paris wall-clock time, so that a
meeting at 14:00 stays at 14:00 across daylight-saving changes.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES

from dateutil import rrule

from cress_site.typography import date_label

PARIS = ZoneInfo("Europe/Paris")

# Limits an editor can reach through the form; they keep every series finite and small.
MAX_OCCURRENCES = 200
MAX_SERIES_YEARS = 5

WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
ORDINALS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}


class Repeat(models.TextChoices):
    NONE = "", "Ne se répète pas"
    DAILY = "daily", "Chaque jour"
    WEEKLY = "weekly", "Chaque semaine, le même jour de la semaine"
    MONTHLY_DAY = "monthly_day", "Chaque mois, le même jour du mois (par exemple le 15)"
    MONTHLY_WEEKDAY = (
        "monthly_weekday",
        "Chaque mois, le même jour de la semaine (par exemple le premier mardi)",
    )
    MONTHLY_LAST_WEEKDAY = (
        "monthly_last",
        "Chaque mois, le dernier jour de la semaine du mois (par exemple le dernier jeudi)",
    )


class ExceptionAction(models.TextChoices):
    CANCEL = "cancel", "Annuler cette date (elle reste affichée, comme annulée)"
    MOVE = "move", "Déplacer cette date"
    EXCLUDE = "exclude", "Retirer cette date du calendrier"


def to_local(value):
    """An aware datetime as a naive Europe/Paris wall-clock datetime."""
    return value.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None)


def to_aware(value):
    """A naive Europe/Paris wall-clock datetime as an aware one.

    A wall-clock time that does not exist (02:30 on the last Sunday of March) is moved forward
    by the gap; an ambiguous one (02:30 on the last Sunday of October) takes the first offset.
    """
    aware = value.replace(tzinfo=PARIS, fold=0)
    round_trip = to_local(aware)
    if round_trip != value:  # in the spring-forward gap
        aware = (value + timedelta(hours=1)).replace(tzinfo=PARIS)
    return aware


def week_position(day):
    """Which occurrence of its weekday in its month a date is: 1 to 4, or -1 for the fifth."""
    position = (day.day - 1) // 7 + 1
    return -1 if position == 5 else position


@dataclass
class Rule:
    """How an event repeats, as the editor set it."""

    repeat: str
    interval: int = 1
    until: date | None = None
    count: int | None = None

    @property
    def is_recurring(self):
        return bool(self.repeat)

    def rrule_kwargs(self, local_start):
        """The keyword arguments of dateutil's rrule (and of the iCalendar RRULE) for a series
        starting at `local_start` (naive, Europe/Paris)."""
        weekday = WEEKDAYS[local_start.weekday()]
        kwargs = {"interval": max(1, self.interval or 1)}
        if self.repeat == Repeat.DAILY:
            kwargs["freq"] = rrule.DAILY
        elif self.repeat == Repeat.WEEKLY:
            kwargs["freq"] = rrule.WEEKLY
            kwargs["byweekday"] = [weekday]
        elif self.repeat == Repeat.MONTHLY_DAY:
            kwargs["freq"] = rrule.MONTHLY
            kwargs["bymonthday"] = [local_start.day]
        elif self.repeat == Repeat.MONTHLY_WEEKDAY:
            kwargs["freq"] = rrule.MONTHLY
            kwargs["byweekday"] = [weekday(week_position(local_start))]
        elif self.repeat == Repeat.MONTHLY_LAST_WEEKDAY:
            kwargs["freq"] = rrule.MONTHLY
            kwargs["byweekday"] = [weekday(-1)]
        else:
            raise ValueError(f"Not a recurring rule: {self.repeat!r}")
        if self.count:
            kwargs["count"] = min(self.count, MAX_OCCURRENCES)
        elif self.until:
            kwargs["until"] = datetime.combine(self.until, time.max)
        return kwargs

    def local_starts(self, local_start):
        """Every start of the series, naive Europe/Paris, the first one included."""
        if not self.is_recurring:
            return [local_start]
        kwargs = self.rrule_kwargs(local_start)
        starts = list(rrule.rrule(dtstart=local_start, cache=False, **kwargs)[:MAX_OCCURRENCES])
        # The event's own date is the first occurrence even when it does not match the rule
        # (a "last Thursday" series whose first date is not a last Thursday).
        if not starts or starts[0] != local_start:
            starts = [local_start, *starts]
        limit = min(self.count, MAX_OCCURRENCES) if self.count else MAX_OCCURRENCES
        return starts[:limit]

    def describe_from(self, start):
        """`describe` for an aware start."""
        return self.describe(to_local(start))

    def describe(self, local_start, excluded=()):
        """The rule in French: "le premier mardi de chaque mois, jusqu'au 30 juin 2027", and
        the dates `excluded` from it: "sauf le 3 août 2027", "sauf 4 dates" beyond three."""
        if not self.is_recurring:
            return ""
        return self._describe(local_start) + _except(sorted(excluded))

    def _describe(self, local_start):
        interval = max(1, self.interval or 1)
        weekday = WEEKDAY_NAMES[local_start.weekday()]
        if self.repeat == Repeat.DAILY:
            text = "tous les jours" if interval == 1 else f"tous les {interval} jours"
        elif self.repeat == Repeat.WEEKLY:
            text = f"chaque {weekday}" if interval == 1 else f"un {weekday} sur {interval}"
        else:
            if self.repeat == Repeat.MONTHLY_DAY:
                day = "1er" if local_start.day == 1 else str(local_start.day)
                text = f"le {day}"
            elif self.repeat == Repeat.MONTHLY_WEEKDAY:
                text = f"le {ORDINALS[week_position(local_start)]} {weekday}"
            else:
                text = f"le dernier {weekday}"
            text += " de chaque mois" if interval == 1 else f" du mois, tous les {interval} mois"
        if self.count:
            text += f", {min(self.count, MAX_OCCURRENCES)} fois"
        elif self.until:
            text += f", jusqu'au {date_label(self.until)}"
        return text


def _except(days):
    if not days:
        return ""
    if len(days) > 3:
        return f", sauf {len(days)} dates"
    labels = [date_label(day) for day in days]
    if len(labels) == 1:
        return f", sauf le {labels[0]}"
    return f", sauf les {', '.join(labels[:-1])} et {labels[-1]}"


@dataclass
class Occurrence:
    """One date of an event, as computed (not yet stored)."""

    original_date: date
    start: datetime
    end: datetime
    cancelled: bool = False
    moved: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Change:
    """An editor's exception to a series: cancel, move or exclude the date `original_date`."""

    original_date: date
    action: str
    new_start: datetime | None = None
    new_end: datetime | None = None
    note: str = ""


def compute_occurrences(start, end, rule, changes=()):
    """The occurrences of an event starting at `start` and ending at `end` (aware datetimes),
    repeating by `rule`, with `changes` applied. Ordered by start.

    Each occurrence lasts as long as the first, in wall-clock time: a meeting from 14:00 to
    16:00 stays 14:00–16:00 on both sides of a daylight-saving change.
    """
    local_start = to_local(start)
    duration = to_local(end) - local_start
    by_date = {change.original_date: change for change in changes}
    occurrences = []
    for occurrence_start in rule.local_starts(local_start):
        original_date = occurrence_start.date()
        occurrence = Occurrence(
            original_date=original_date,
            start=to_aware(occurrence_start),
            end=to_aware(occurrence_start + duration),
        )
        change = by_date.get(original_date)
        if change is not None:
            if change.action == ExceptionAction.EXCLUDE:
                continue
            occurrence.note = change.note
            if change.action == ExceptionAction.CANCEL:
                occurrence.cancelled = True
            elif change.action == ExceptionAction.MOVE and change.new_start:
                length = occurrence.end - occurrence.start
                occurrence.moved = True
                occurrence.start = change.new_start
                occurrence.end = change.new_end or change.new_start + length
        occurrences.append(occurrence)
    occurrences.sort(key=lambda occurrence: occurrence.start)
    return occurrences


def series_dates(start, rule):
    """The original dates of a series, for validating an editor's exceptions."""
    return {local.date() for local in rule.local_starts(to_local(start))}


def series_errors(start, end, rule, *, dates_valid=True):
    """What is wrong with a series as the editor set it (`rule`, its interval not filled in),
    as French messages by field name; `dates_valid` says the start and end passed their own
    checks."""
    errors = {}
    if not rule.until and not rule.count:
        errors["repeat_until"] = "Indiquez jusqu'à quand l'événement se répète, ou combien de fois."
    if rule.until and rule.count:
        errors["repeat_count"] = (
            "Indiquez soit une date de fin, soit un nombre de fois, pas les deux."
        )
    if rule.count is not None and not 2 <= rule.count <= MAX_OCCURRENCES:
        errors["repeat_count"] = f"Entre 2 et {MAX_OCCURRENCES} fois."
    if rule.interval is None or not 1 <= rule.interval <= 12:
        errors["repeat_interval"] = "Un intervalle entre 1 et 12."
    if start and rule.until:
        first = to_local(start).date()
        if rule.until <= first:
            errors["repeat_until"] = "La fin de la série doit venir après la première date."
        elif rule.until > first.replace(year=first.year + MAX_SERIES_YEARS):
            errors["repeat_until"] = (
                f"Une série dure au plus {MAX_SERIES_YEARS} ans ; créez-en une nouvelle ensuite."
            )
    long = start and end and end - start >= timedelta(days=1)
    if dates_valid and not errors and long and rule.repeat == Repeat.DAILY:
        errors["repeat"] = "Un événement de plus d'un jour ne peut pas se répéter chaque jour."
    return errors
