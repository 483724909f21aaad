"""`eban deadline START N`: the date N working days after START (START not counted)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from eban.core.exceptions import DomainError
from eban.workdays.queries import explain_deadline

from ._output import bilingual


class Command(BaseCommand):
    help = "Print the deadline N working days after a start date (the start day is not counted)."

    def add_arguments(self, parser):
        parser.add_argument("start", help="start date, YYYY-MM-DD")
        parser.add_argument("working_days", type=int, help="number of working days (0 or more)")

    def handle(self, *args, start: str, working_days: int, **options):
        try:
            start_date = date.fromisoformat(start)
        except ValueError:
            raise CommandError(f"日期格式不对，应为 YYYY-MM-DD / Not a date (YYYY-MM-DD): {start}") from None
        try:
            result = explain_deadline(start_date, working_days)
        except DomainError as exc:
            error = exc
            raise CommandError(bilingual(lambda: _again(error))) from None
        self.stdout.write(result.deadline.isoformat())
        for day in result.holidays_skipped:
            self.stdout.write(f"  skipped {day.date.isoformat()} {day.name}")
        for day in result.makeup_workdays_counted:
            self.stdout.write(f"  counted make-up workday {day.date.isoformat()} {day.name}")


def _again(exc: DomainError) -> str:
    """The error's message in the active language."""
    year = getattr(exc, "year", None)
    if year is not None:
        return type(exc)(year).message
    return exc.message
