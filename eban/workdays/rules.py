"""Working-day arithmetic, with no I/O of its own.

A working day is Monday to Friday unless the State Council's holiday notice makes it a
holiday, plus the weekend days the notice makes working days (调休上班). The notice
comes out once a year, so the calendar only knows the years that have been loaded;
a computation that reaches any other year raises `CalendarYearMissing` naming it —
it never guesses.

`add_working_days(start, n)` counts from the day after `start`: the start day itself is
never counted, whatever it is. `n = 0` returns `start` (a matter done on the spot,
当场办结). The other functions follow the same convention, so that
`working_days_between(start, add_working_days(start, n)) == n`.

The module-level functions read the calendar from the database through
`queries.current_calendar()` (cached per process, one cheap query per call); the
methods of `Calendar` do the same work on a calendar given in memory.
"""

from __future__ import annotations

import csv
import io
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
# Spellings accepted in a CSV file for each kind.
KIND_ALIASES = {
    "holiday": HOLIDAY,
    "休": HOLIDAY,
    "放假": HOLIDAY,
    "假": HOLIDAY,
    "workday": WORKDAY,
    "班": WORKDAY,
    "上班": WORKDAY,
}
CSV_COLUMNS = ("date", "kind", "name")
NAME_MAX_LENGTH = 50

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


def _calendar() -> Calendar:
    from .queries import current_calendar

    return current_calendar()


def add_working_days(start: date, n: int, *, calendar: Calendar | None = None) -> date:
    """The date `n` working days after `start` (not counting `start`); `n = 0` gives `start`.

    Raises `CalendarYearMissing(year)` when the range reaches a year not loaded, and
    `InvalidWorkingDays` for a negative `n`.
    """
    return (calendar or _calendar()).add_working_days(start, n)


def is_working_day(d: date, *, calendar: Calendar | None = None) -> bool:
    return (calendar or _calendar()).is_working_day(d)


def working_days_between(a: date, b: date, *, calendar: Calendar | None = None) -> int:
    return (calendar or _calendar()).working_days_between(a, b)


def explain_deadline(start: date, n: int, *, calendar: Calendar | None = None) -> Deadline:
    return (calendar or _calendar()).explain(start, n)


# --- Validating special days and holiday files -------------------------------------------


def _special_day_problem(d: date, kind: str) -> tuple[str, dict] | None:
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
    problem = _special_day_problem(d, kind)
    return str(problem[0]) % problem[1] if problem else None


@dataclass(frozen=True)
class RowError:
    """One problem in a holiday file. `row` counts lines from 1 (the header is row 1)."""

    row: int
    column: str
    template: str
    params: dict

    @property
    def message(self) -> str:
        text = str(self.template) % self.params
        if self.row:
            where = (
                _("Row %(row)s, column %(column)s") % {"row": self.row, "column": self.column}
                if self.column
                else _("Row %(row)s") % {"row": self.row}
            )
            return f"{where}: {text}"
        return text

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class CalendarFileRejected(DomainError):
    """A holiday file with problems; nothing was loaded. `errors` lists them all."""

    code = "calendar_file_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(
            _("The holiday file was refused (%(count)s problems); nothing was loaded.")
            % {"count": len(errors)},
            details=[e.as_dict() for e in errors],
        )


def decode_calendar_file(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else GB18030 (Excel in China)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise CalendarFileRejected(
                [RowError(0, "", _("The file is not a UTF-8 or GBK text (CSV) file."), {})]
            ) from exc


def parse_calendar_csv(text: str) -> list[CalendarRow]:
    """Read a holiday file with the columns `date,kind,name`; every row is checked and
    all the problems are reported at once (`CalendarFileRejected`)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    errors: list[RowError] = []
    header = next(reader, None)
    wanted = ", ".join(CSV_COLUMNS)
    if header is None:
        raise CalendarFileRejected(
            [RowError(0, "", _("The file is empty; expected the columns %(columns)s."), {"columns": wanted})]
        )
    if [h.strip().lower() for h in header] != list(CSV_COLUMNS):
        raise CalendarFileRejected(
            [
                RowError(
                    1,
                    "",
                    _("The first row must be the header %(columns)s, not %(found)s."),
                    {"columns": wanted, "found": ", ".join(header) or "—"},
                )
            ]
        )
    rows: list[CalendarRow] = []
    seen: dict[date, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(CSV_COLUMNS):
            errors.append(
                RowError(
                    number,
                    "",
                    _("Expected 3 values (date, kind, name), found %(count)s."),
                    {"count": len(cells)},
                )
            )
            continue
        raw_date, raw_kind, name = (c.strip() for c in cells)
        row_errors = len(errors)
        try:
            d = date.fromisoformat(raw_date)
            if len(raw_date) != 10:
                raise ValueError(raw_date)
        except ValueError:
            d = None
            errors.append(
                RowError(
                    number,
                    "date",
                    _("“%(value)s” is not a date; write it as YYYY-MM-DD."),
                    {"value": raw_date},
                )
            )
        kind = KIND_ALIASES.get(raw_kind.lower())
        if kind is None:
            errors.append(
                RowError(
                    number,
                    "kind",
                    _("“%(value)s” is not a kind of day; write holiday or workday."),
                    {"value": raw_kind},
                )
            )
        if len(name) > NAME_MAX_LENGTH:
            errors.append(
                RowError(
                    number, "name", _("The name is longer than %(max)s characters."), {"max": NAME_MAX_LENGTH}
                )
            )
        if d is not None and kind is not None:
            problem = _special_day_problem(d, kind)
            if problem:
                errors.append(RowError(number, "date", *problem))
        if d is not None and d in seen:
            errors.append(
                RowError(
                    number,
                    "date",
                    _("%(date)s is already listed in row %(other)s."),
                    {"date": d.isoformat(), "other": seen[d]},
                )
            )
        if d is not None:
            seen.setdefault(d, number)
        if len(errors) == row_errors:
            rows.append(CalendarRow(d, kind, name))
    if not rows and not errors:
        errors.append(RowError(0, "", _("The file has no days in it, only the header."), {}))
    if errors:
        raise CalendarFileRejected(errors)
    return rows
