"""Working-day arithmetic, with no I/O of its own.

A working day is Monday to Friday unless the State Council's holiday notice makes it a
holiday, plus the weekend days the notice makes working days (调休上班). The notice
comes out once a year, so the calendar only knows the years that have been loaded;
a computation that reaches any other year raises `CalendarYearMissing` naming it —
it never guesses.

`Calendar.add_working_days(start, n)` counts from the day after `start`: the start day itself
is never counted, whatever it is. `n = 0` returns `start` (a matter done on the spot,
当场办结). The other methods follow the same convention, so that
`working_days_between(start, add_working_days(start, n)) == n`.

This module holds the calendar in memory and reads nothing: `eban.workdays.queries` loads it
from the database (`current_calendar()`, cached per process) and offers the same functions on
the loaded calendar; `eban.workdays.holiday_file` reads the yearly notice from a CSV file.
(The stdlib's `calendar` is untouched: absolute imports elsewhere still find it.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eban.core.exceptions import DomainError

# Years a calendar may be loaded for; keeps date arithmetic far from date.max.
MIN_YEAR = 1990
MAX_YEAR = 2199
# The largest number of working days the calculator and the API accept (about 4 years).
MAX_WORKING_DAYS = 1000

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

# The festivals of the holiday notices, in Chinese (as stored) and in English (for display).
FESTIVAL_NAMES_EN = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival (Tomb-sweeping Day)",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
    "中秋节、国庆节": "Mid-Autumn Festival and National Day",
    "抗战胜利70周年纪念日": "70th Anniversary of the Victory of the War of Resistance",
}


class CalendarYearMissing(DomainError):
    """The computation reaches a year whose holiday notice has not been loaded."""

    status_code = 400
    code = "calendar_year_missing"

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "The holiday calendar for %(year)s has not been loaded yet, so a date in %(year)s "
                "cannot be worked out. The %(year)s holidays and make-up workdays must be loaded first "
                "(once the State Council publishes them)."
            )
            % {"year": year},
            details={"year": year},
        )


class InvalidWorkingDays(DomainError):
    code = "invalid_working_days"

    def __init__(self, n: int) -> None:
        super().__init__(
            _("The number of working days must be a whole number from 0 to %(max)s.")
            % {"max": MAX_WORKING_DAYS},
            details={"working_days": n},
        )


@dataclass(frozen=True)
class CalendarRow:
    date: date
    kind: str
    name: str = ""


@dataclass(frozen=True)
class Calendar:
    """The loaded years and their special days, held in memory."""

    years: frozenset[int] = frozenset()
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, years: Iterable[int], rows: Iterable[CalendarRow]) -> Calendar:
        holidays, workdays = {}, {}
        for row in rows:
            (holidays if row.kind == HOLIDAY else workdays)[row.date] = row.name
        return cls(frozenset(years), holidays, workdays)

    def ensure_year(self, year: int) -> None:
        if year not in self.years:
            raise CalendarYearMissing(year)

    def is_working_day(self, d: date) -> bool:
        self.ensure_year(d.year)
        return self._working(d)

    def _working(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidWorkingDays(n)
        self.ensure_year(start.year)
        d, year, left = start, start.year, n
        one_day = timedelta(days=1)
        while left:
            d += one_day
            if d.year != year:
                year = d.year
                self.ensure_year(year)
            if self._working(d):
                left -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """The working days after `a` up to and including `b` (negative when b < a)."""
        if b < a:
            return -self.working_days_between(b, a)
        for year in range(a.year, b.year + 1):
            self.ensure_year(year)
        count, d, one_day = 0, a, timedelta(days=1)
        while d < b:
            d += one_day
            count += self._working(d)
        return count

    def explain(self, start: date, n: int) -> Deadline:
        """The deadline and the days that shaped it (holidays skipped, make-up workdays counted)."""
        deadline = self.add_working_days(start, n)
        holidays, weekends, makeups = [], [], []
        d = start + timedelta(days=1)
        while d <= deadline:
            if d in self.workdays:
                makeups.append(SpecialDate(d, self.workdays[d]))
            elif d in self.holidays:
                holidays.append(SpecialDate(d, self.holidays[d]))
            elif d.weekday() >= 5:
                weekends.append(d)
            d += timedelta(days=1)
        return Deadline(start, n, deadline, holidays, weekends, makeups)


@dataclass(frozen=True)
class SpecialDate:
    date: date
    name: str

    @property
    def display_name(self) -> str:
        return festival_display_name(self.name)


@dataclass(frozen=True)
class Deadline:
    start: date
    working_days: int
    deadline: date
    holidays_skipped: list[SpecialDate]
    weekend_days_skipped: list[date]
    makeup_workdays_counted: list[SpecialDate]

    @property
    def calendar_days(self) -> int:
        return (self.deadline - self.start).days


def festival_display_name(name: str) -> str:
    """A festival's name in the active language (names are stored in Chinese)."""
    if (get_language() or "").startswith("en"):
        return FESTIVAL_NAMES_EN.get(name, name)
    return name


# --- Validating a special day ------------------------------------------------------------


def special_day_problem(d: date, kind: str) -> tuple[str, dict] | None:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return _("The year must be between %(min)s and %(max)s."), {"min": MIN_YEAR, "max": MAX_YEAR}
    if kind == WORKDAY and d.weekday() < 5:
        return (
            _("%(date)s is a weekday; a make-up workday must be a Saturday or a Sunday."),
            {"date": d.isoformat()},
        )
    return None


def validate_special_day(d: date, kind: str) -> str | None:
    """The problem with this special day, in the active language, or None."""
    problem = special_day_problem(d, kind)
    return str(problem[0]) % problem[1] if problem else None
