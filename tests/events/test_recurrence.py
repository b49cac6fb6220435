"""Recurring events: the editor's rule turned into dates, across daylight-saving changes."""

from datetime import date, datetime, timedelta

import pytest

from events.recurrence import (
    PARIS,
    Change,
    Repeat,
    Rule,
    compute_occurrences,
    to_aware,
    to_local,
)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def utc_hour(value):
    return value.astimezone(PARIS).utcoffset(), value.astimezone(PARIS).hour


def test_a_single_event_has_one_occurrence():
    start, end = paris(2027, 1, 12, 14), paris(2027, 1, 12, 16)
    occurrences = compute_occurrences(start, end, Rule(repeat=Repeat.NONE))
    assert [(o.start, o.end) for o in occurrences] == [(start, end)]


def test_first_tuesday_of_each_month_stays_at_14h_across_daylight_saving():
    start, end = paris(2027, 1, 5, 14), paris(2027, 1, 5, 16, 30)
    rule = Rule(repeat=Repeat.MONTHLY_WEEKDAY, count=12)
    occurrences = compute_occurrences(start, end, rule)

    assert [o.original_date for o in occurrences] == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
        date(2027, 7, 6),
        date(2027, 8, 3),
        date(2027, 9, 7),
        date(2027, 10, 5),
        date(2027, 11, 2),
        date(2027, 12, 7),
    ]
    for occurrence in occurrences:
        local = occurrence.start.astimezone(PARIS)
        assert (local.hour, local.minute) == (14, 0)
        assert occurrence.end - occurrence.start == timedelta(hours=2, minutes=30)
    # 14:00 in Paris is 13:00 UTC in winter and 12:00 UTC in summer.
    january, july = occurrences[0].start, occurrences[6].start
    assert january.utcoffset() == timedelta(hours=1)
    assert july.utcoffset() == timedelta(hours=2)
    assert january.astimezone(PARIS).utcoffset() == timedelta(hours=1)


def test_weekly_meeting_keeps_its_wall_clock_time_over_the_october_change():
    start = paris(2027, 10, 28, 18)  # the Thursday before the last Sunday of October
    rule = Rule(repeat=Repeat.WEEKLY, count=3)
    occurrences = compute_occurrences(start, start + timedelta(hours=1), rule)
    hours = [o.start.astimezone(PARIS).hour for o in occurrences]
    offsets = [o.start.utcoffset() for o in occurrences]
    assert hours == [18, 18, 18]
    assert offsets == [timedelta(hours=2), timedelta(hours=1), timedelta(hours=1)]


def test_an_evening_that_spans_the_spring_change_keeps_its_length_in_wall_clock_time():
    # 01:00 → 03:30 on the last Sunday of March: 2 h 30 on the clock.
    start = paris(2027, 3, 21, 1)
    rule = Rule(repeat=Repeat.WEEKLY, count=2)
    occurrences = compute_occurrences(start, paris(2027, 3, 21, 3, 30), rule)
    second = occurrences[1]
    assert to_local(second.start) == datetime(2027, 3, 28, 1)
    assert to_local(second.end) == datetime(2027, 3, 28, 3, 30)


def test_nonexistent_wall_clock_time_moves_forward():
    assert to_local(to_aware(datetime(2027, 3, 28, 2, 30))) == datetime(2027, 3, 28, 3, 30)


def test_until_is_inclusive_and_interval_skips_months():
    start = paris(2027, 1, 15, 9)
    rule = Rule(repeat=Repeat.MONTHLY_DAY, interval=2, until=date(2027, 7, 15))
    dates = [o.original_date for o in compute_occurrences(start, start, rule)]
    assert dates == [date(2027, 1, 15), date(2027, 3, 15), date(2027, 5, 15), date(2027, 7, 15)]


def test_last_weekday_of_the_month():
    start = paris(2027, 1, 28, 10)  # last Thursday of January 2027
    rule = Rule(repeat=Repeat.MONTHLY_LAST_WEEKDAY, count=3)
    dates = [o.original_date for o in compute_occurrences(start, start, rule)]
    assert dates == [date(2027, 1, 28), date(2027, 2, 25), date(2027, 3, 25)]


def test_fifth_weekday_is_read_as_the_last():
    start = paris(2027, 3, 30, 10)  # fifth (and last) Tuesday of March 2027
    rule = Rule(repeat=Repeat.MONTHLY_WEEKDAY, count=2)
    dates = [o.original_date for o in compute_occurrences(start, start, rule)]
    assert dates == [date(2027, 3, 30), date(2027, 4, 27)]


def test_exceptions_cancel_move_and_exclude():
    start, end = paris(2027, 1, 5, 14), paris(2027, 1, 5, 16)
    rule = Rule(repeat=Repeat.MONTHLY_WEEKDAY, count=6)
    changes = [
        Change(date(2027, 2, 2), "cancel", note="Remplacée par la rencontre régionale"),
        Change(date(2027, 3, 2), "move", new_start=paris(2027, 3, 4, 10)),
        Change(date(2027, 4, 6), "exclude"),
    ]
    occurrences = {o.original_date: o for o in compute_occurrences(start, end, rule, changes)}

    assert date(2027, 4, 6) not in occurrences
    assert len(occurrences) == 5
    cancelled = occurrences[date(2027, 2, 2)]
    assert cancelled.cancelled and cancelled.note == "Remplacée par la rencontre régionale"
    moved = occurrences[date(2027, 3, 2)]
    assert moved.moved and not moved.cancelled
    assert moved.start == paris(2027, 3, 4, 10)
    assert moved.end == paris(2027, 3, 4, 12)  # same length as the others


def test_a_moved_date_is_sorted_by_its_new_start():
    start = paris(2027, 1, 5, 14)
    rule = Rule(repeat=Repeat.WEEKLY, count=3)
    changes = [Change(date(2027, 1, 5), "move", new_start=paris(2027, 1, 14, 9))]
    occurrences = compute_occurrences(start, start + timedelta(hours=1), rule, changes)
    assert [o.original_date for o in occurrences] == [
        date(2027, 1, 12),
        date(2027, 1, 5),
        date(2027, 1, 19),
    ]


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        (
            Rule(Repeat.MONTHLY_WEEKDAY, count=12),
            datetime(2027, 1, 5, 14),
            "le premier mardi de chaque mois, 12 fois",
        ),
        (
            Rule(Repeat.MONTHLY_LAST_WEEKDAY, interval=2, until=date(2027, 6, 30)),
            datetime(2027, 1, 28, 9),
            "le dernier jeudi du mois, tous les 2 mois, jusqu'au 30 juin 2027",
        ),
        (Rule(Repeat.WEEKLY, count=4), datetime(2027, 1, 6, 9), "chaque mercredi, 4 fois"),
        (
            Rule(Repeat.WEEKLY, interval=2, count=4),
            datetime(2027, 1, 6, 9),
            "un mercredi sur 2, 4 fois",
        ),
        (
            Rule(Repeat.MONTHLY_DAY, count=3),
            datetime(2027, 1, 1, 9),
            "le 1er de chaque mois, 3 fois",
        ),
        (Rule(Repeat.DAILY, count=3), datetime(2027, 1, 1, 9), "tous les jours, 3 fois"),
        (Rule(Repeat.NONE), datetime(2027, 1, 1, 9), ""),
    ],
)
def test_rule_in_words(rule, start, expected):
    assert rule.describe(start) == expected


def test_series_are_capped():
    start = paris(2027, 1, 1, 9)
    occurrences = compute_occurrences(start, start, Rule(Repeat.DAILY, count=5000))
    assert len(occurrences) == 200
