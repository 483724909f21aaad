"""Reads of the working-day calendar.

`current_calendar()` keeps the whole calendar (a few hundred rows) in memory per
process and checks one value — the `CalendarVersion` token — on each call, so a
deadline costs one small primary-key query; the calendar is reloaded only after a change.
`add_working_days`, `is_working_day`, `working_days_between` and `explain_deadline` do the
arithmetic of `eban.workdays.calendar` on that calendar (or on one given in memory).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from .calendar import Calendar, CalendarRow, Deadline
from .models import CalendarVersion, CalendarYear, SpecialDay

_lock = threading.Lock()
_cached: tuple[str | None, Calendar] | None = None


def calendar_version() -> str | None:
    return CalendarVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def load_calendar() -> Calendar:
    """The calendar read afresh from the database."""
    years = CalendarYear.objects.values_list("year", flat=True)
    rows = [
        CalendarRow(d, kind, name) for d, kind, name in SpecialDay.objects.values_list("date", "kind", "name")
    ]
    return Calendar.from_rows(years, rows)


def current_calendar() -> Calendar:
    """The calendar, from this process's cache unless the version stamp has changed."""
    global _cached
    token = calendar_version()
    cached = _cached
    if cached is not None and token is not None and cached[0] == token:
        return cached[1]
    with _lock:
        calendar = load_calendar()
        # Without a stamp (never bumped) the calendar is not cached: always read afresh.
        _cached = (token, calendar) if token is not None else None
    return calendar


def add_working_days(start: date, n: int, *, calendar: Calendar | None = None) -> date:
    """The date `n` working days after `start` (not counting `start`); `n = 0` gives `start`.

    Raises `CalendarYearMissing(year)` when the range reaches a year not loaded, and
    `InvalidWorkingDays` for a negative `n`.
    """
    return (calendar or current_calendar()).add_working_days(start, n)


def is_working_day(d: date, *, calendar: Calendar | None = None) -> bool:
    return (calendar or current_calendar()).is_working_day(d)


def working_days_between(a: date, b: date, *, calendar: Calendar | None = None) -> int:
    return (calendar or current_calendar()).working_days_between(a, b)


def explain_deadline(start: date, n: int, *, calendar: Calendar | None = None) -> Deadline:
    return (calendar or current_calendar()).explain(start, n)


def loaded_years() -> list[int]:
    return list(CalendarYear.objects.values_list("year", flat=True))


@dataclass(frozen=True)
class YearSummary:
    year: int
    source: str
    loaded_at: object
    holidays: int
    workdays: int


def year_summaries() -> list[YearSummary]:
    """Each loaded year with the number of holidays and make-up workdays it holds."""
    counts: dict[int, dict[str, int]] = {}
    for row in (
        SpecialDay.objects.values("date__year")
        .annotate(
            holidays=Count("id", filter=Q(kind="holiday")), workdays=Count("id", filter=Q(kind="workday"))
        )
        .order_by()
    ):
        counts[row["date__year"]] = row
    return [
        YearSummary(
            y.year,
            y.source,
            y.loaded_at,
            counts.get(y.year, {}).get("holidays", 0),
            counts.get(y.year, {}).get("workdays", 0),
        )
        for y in CalendarYear.objects.all()
    ]


def special_days_of(year: int) -> list[SpecialDay]:
    return list(SpecialDay.objects.filter(date__year=year).order_by("date"))


# The back office warns from this day of the year (month, day) when next year is missing.
WARN_FROM = (11, 1)


def missing_next_year(today: date | None = None) -> int | None:
    """Next year, if it is not loaded and `today` is on or after 1 November; else None."""
    today = today or timezone.localdate()
    if (today.month, today.day) < WARN_FROM:
        return None
    next_year = today.year + 1
    if CalendarYear.objects.filter(year=next_year).exists():
        return None
    return next_year
