"""Every write to the working-day calendar. Staff changes are audited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from eban.core import audit

from . import seed
from .calendar import CalendarRow
from .holiday_file import decode_calendar_file, parse_calendar_csv
from .models import CalendarYear, SpecialDay, bump_calendar_version

# Audit action names (labelled for the back office in wagtail_hooks.py).
LOAD_YEAR = "workdays.load_year"
SAVE_DAY = "workdays.save_day"
DELETE_DAY = "workdays.delete_day"
SAVE_YEAR = "workdays.save_year"
DELETE_YEAR = "workdays.delete_year"


@dataclass
class YearLoaded:
    year: int
    holidays: int
    workdays: int
    replaced: bool


@dataclass
class LoadReport:
    years: list[YearLoaded] = field(default_factory=list)
    dry_run: bool = False

    @property
    def days(self) -> int:
        return sum(y.holidays + y.workdays for y in self.years)


def load_calendar_rows(
    rows: list[CalendarRow], *, actor=None, source: str = "", dry_run: bool = False
) -> LoadReport:
    """Load the special days of each year present in `rows`, replacing what those years
    held, and mark the years loaded. All or nothing."""
    by_year: dict[int, list[CalendarRow]] = defaultdict(list)
    for row in rows:
        by_year[row.date.year].append(row)
    report = LoadReport(dry_run=dry_run)
    with transaction.atomic():
        existing = set(CalendarYear.objects.filter(year__in=by_year).values_list("year", flat=True))
        for year in sorted(by_year):
            year_rows = by_year[year]
            report.years.append(
                YearLoaded(
                    year,
                    holidays=sum(r.kind == "holiday" for r in year_rows),
                    workdays=sum(r.kind == "workday" for r in year_rows),
                    replaced=year in existing,
                )
            )
            if dry_run:
                continue
            SpecialDay.objects.filter(date__year=year).delete()
            SpecialDay.objects.bulk_create(
                SpecialDay(date=r.date, kind=r.kind, name=r.name) for r in year_rows
            )
            calendar_year, _ = CalendarYear.objects.update_or_create(
                year=year, defaults={"source": source[:200]}
            )
            audit.record(
                actor,
                LOAD_YEAR,
                calendar_year,
                data={
                    "source": source[:200],
                    "holidays": report.years[-1].holidays,
                    "workdays": report.years[-1].workdays,
                    "replaced": year in existing,
                },
            )
        if not dry_run:
            bump_calendar_version()
    return report


def load_calendar_file(data: bytes, *, actor=None, source: str = "", dry_run: bool = False) -> LoadReport:
    """Load a holiday CSV file (`date,kind,name`). Raises `CalendarFileRejected` listing
    every bad row; then nothing is saved."""
    rows = parse_calendar_csv(decode_calendar_file(data))
    return load_calendar_rows(rows, actor=actor, source=source, dry_run=dry_run)


def seed_from_chinese_calendar(*, actor=None, replace: bool = False) -> LoadReport:
    """Load every year chinese_calendar knows; years already loaded are kept unless `replace`."""
    years = seed.known_years()
    if not replace:
        have = set(CalendarYear.objects.values_list("year", flat=True))
        years = [y for y in years if y not in have]
    rows = [row for year in years for row in seed.rows_for(year)]
    if not rows:
        return LoadReport()
    return load_calendar_rows(rows, actor=actor, source=seed.SOURCE)


def save_special_day(day: SpecialDay, *, actor, form=None) -> SpecialDay:
    """Create or change one special day (from the back office)."""
    created = day.pk is None
    with transaction.atomic():
        day = form.save() if form is not None else day
        if form is None:
            day.save()
        audit.record(
            actor,
            SAVE_DAY,
            day,
            data={"date": day.date.isoformat(), "kind": day.kind, "name": day.name, "created": created},
        )
        bump_calendar_version()
    return day


def delete_special_day(day: SpecialDay, *, actor) -> None:
    with transaction.atomic():
        audit.record(
            actor, DELETE_DAY, day, data={"date": day.date.isoformat(), "kind": day.kind, "name": day.name}
        )
        day.delete()
        bump_calendar_version()


def save_calendar_year(calendar_year: CalendarYear, *, actor, form=None) -> CalendarYear:
    """Mark a year loaded (or change its source): from then on its dates are trusted."""
    created = calendar_year.pk is None
    with transaction.atomic():
        calendar_year = form.save() if form is not None else calendar_year
        if form is None:
            calendar_year.save()
        audit.record(
            actor,
            SAVE_YEAR,
            calendar_year,
            data={"year": calendar_year.year, "source": calendar_year.source, "created": created},
        )
        bump_calendar_version()
    return calendar_year


def delete_calendar_year(calendar_year: CalendarYear, *, actor) -> None:
    """Mark a year not loaded; its special days stay, but its dates are refused again."""
    with transaction.atomic():
        audit.record(actor, DELETE_YEAR, calendar_year, data={"year": calendar_year.year})
        calendar_year.delete()
        bump_calendar_version()
