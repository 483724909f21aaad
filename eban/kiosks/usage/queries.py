"""The usage figures of the kiosk network: transactions counted by month, day, matter, terminal
and county, for a period and optionally one division, as one official may see them.

Every figure is aggregated in the database (GROUP BY day, terminal, matter, division, kind),
so a period of hundreds of thousands of transactions costs a few grouped queries returning at
most a row per day, terminal, matter or division; months, counties and the busiest/idle order
are rolled up from those small results. Scope: transactions through permissions.division_q on their
division (the terminal's at the time), terminals through permissions.terminals_for.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.catalogue.models import Matter
from eban.core.exceptions import DomainError
from eban.government.divisions import code_prefix
from eban.government.models import Division

from ..enums import Level
from ..models import KioskTransaction
from ..permissions import division_q, terminals_for

MAX_DAYS = 731  # a custom period is at most two years


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        month, out = self.start.replace(day=1), []
        while month <= self.end:
            out.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return out


def months_back(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_days(days: int, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today - timedelta(days=days - 1), today)


def last_months(months: int, today: date | None = None) -> Period:
    """This month and the `months - 1` before it (whole months, so the monthly chart has no
    partial first month), up to today."""
    today = today or timezone.localdate()
    return Period(months_back(today.replace(day=1), months - 1), today)


def custom_period(start: date | None, end: date | None) -> Period:
    """A period the official typed; DomainError when it makes no sense."""
    if start is None or end is None:
        raise DomainError(_("Give both the first and the last day of the period."), code="period")
    if start > end:
        raise DomainError(_("The period's first day is after its last day."), code="period")
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(_("A period is at most two years."), code="period")
    return Period(start, end)


@dataclass(frozen=True)
class Selection:
    """Whose figures: an official, a period, and optionally a division (with all below it)."""

    user: Any
    period: Period
    division: Division | None = None

    def transactions(self) -> QuerySet:
        qs = KioskTransaction.objects.filter(
            division_q(self.user), day__range=(self.period.start, self.period.end)
        )
        if self.division is not None:
            qs = qs.filter(division__code__startswith=code_prefix(self.division.code))
        return qs

    def terminals(self) -> QuerySet:
        """The active terminals in the official's scope (and the division)."""
        qs = terminals_for(self.user).filter(active=True)
        if self.division is not None:
            qs = qs.filter(division__code__startswith=code_prefix(self.division.code))
        return qs


def total(selection: Selection) -> int:
    return selection.transactions().count()


def by_kind(selection: Selection) -> dict[str, int]:
    return dict(selection.transactions().order_by().values_list("kind").annotate(n=Count("pk")))


def day_counts(selection: Selection) -> dict[date, int]:
    """Transactions per day that has any (one GROUP BY over the day index)."""
    return dict(selection.transactions().order_by().values_list("day").annotate(n=Count("pk")))


def by_month(selection: Selection, days: dict[date, int] | None = None) -> list[tuple[date, int]]:
    """(first day of the month, transactions) for every month of the period, zeros included.
    Rolled up from the daily counts (at most a few hundred rows): cheaper than truncating every
    row's date in the database, and the same on SQLite and PostgreSQL."""
    days = day_counts(selection) if days is None else days
    months: dict[date, int] = {}
    for day, n in days.items():
        month = _as_date(day).replace(day=1)
        months[month] = months.get(month, 0) + n
    return [(month, months.get(month, 0)) for month in selection.period.months()]


def by_day(selection: Selection, days: dict[date, int] | None = None) -> list[tuple[date, int]]:
    """(day, transactions) for every day of the period, zeros included."""
    days = day_counts(selection) if days is None else days
    start = selection.period.start
    return [
        (day, days.get(day, 0)) for day in (start + timedelta(days=i) for i in range(selection.period.days))
    ]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass(frozen=True)
class MatterCount:
    matter_id: int
    code: str
    name: str
    name_en: str
    count: int

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


def by_matter(selection: Selection, limit: int | None = 10) -> list[MatterCount]:
    """The matters most used (transactions without a matter, such as sign-ins, left out):
    grouped by matter in the database, named afterwards."""
    counts = list(
        selection.transactions()
        .filter(matter__isnull=False)
        .order_by()
        .values_list("matter_id")
        .annotate(n=Count("pk"))
    )
    names = {
        pk: (code, name, name_en)
        for pk, code, name, name_en in Matter.objects.filter(pk__in=[m for m, _n in counts]).values_list(
            "pk", "code", "name", "name_en"
        )
    }
    rows = sorted(
        (MatterCount(m, *names[m], n) for m, n in counts if m in names), key=lambda r: (-r.count, r.code)
    )
    return rows[:limit] if limit is not None else rows


@dataclass(frozen=True)
class TerminalCount:
    terminal_id: int
    code: str
    name: str
    name_en: str
    level: str
    division_code: str
    is_sample: bool
    count: int

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else self.level

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


TERMINAL_COLUMNS = ("pk", "code", "name", "name_en", "level", "division__code", "is_sample")


def all_terminals(selection: Selection) -> list[TerminalCount]:
    """Every active terminal in scope (and the division) with its transactions in the period,
    zeros included, busiest first. Two queries: the terminals, and the transactions grouped by
    terminal (one row per terminal that has any), joined here."""
    counts = dict(selection.transactions().order_by().values_list("terminal_id").annotate(n=Count("pk")))
    rows = [
        TerminalCount(*row, counts.get(row[0], 0))
        for row in selection.terminals().order_by().values_list(*TERMINAL_COLUMNS)
    ]
    rows.sort(key=lambda t: (-t.count, t.code))
    return rows


def busiest_terminals(
    selection: Selection, limit: int | None = 10, *, table: list[TerminalCount] | None = None
) -> list[TerminalCount]:
    """The terminals with the most transactions in the period (those with none left out)."""
    rows = [t for t in (all_terminals(selection) if table is None else table) if t.count]
    return rows[:limit] if limit is not None else rows


def idle_terminals(
    selection: Selection, limit: int | None = 10, *, table: list[TerminalCount] | None = None
) -> list[TerminalCount]:
    """The active terminals with the fewest transactions in the period, those with none first."""
    rows = sorted(all_terminals(selection) if table is None else table, key=lambda t: (t.count, t.code))
    return rows[:limit] if limit is not None else rows


@dataclass(frozen=True)
class DivisionCount:
    code: str
    name: str
    name_en: str
    count: int

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


def by_county(selection: Selection) -> list[DivisionCount]:
    """Transactions per county-level division (city-level terminals under the city), most first:
    grouped by division in the database (one row per division with any), rolled up to the
    county (the first six digits of the code) here."""
    per_division = dict(
        selection.transactions().order_by().values_list("division_id").annotate(n=Count("pk"))
    )
    codes = dict(Division.objects.filter(pk__in=list(per_division)).values_list("pk", "code"))
    counts: dict[str, int] = {}
    for division_id, n in per_division.items():
        county = codes[division_id][:6]
        counts[county] = counts.get(county, 0) + n
    names = {d.code: d for d in Division.objects.filter(code__in=list(counts))}
    out = [
        DivisionCount(
            code, names[code].name if code in names else code, getattr(names.get(code), "name_en", ""), n
        )
        for code, n in counts.items()
    ]
    return sorted(out, key=lambda d: (-d.count, d.code))


def has_sample(selection: Selection) -> bool:
    return selection.terminals().filter(is_sample=True).exists()


def terminal_total(selection: Selection) -> int:
    return selection.terminals().count()
