"""`eban load-holidays FILE.csv`: load a year's holidays and make-up workdays.

The file has the header `date,kind,name` and one row per special day, e.g.
`2027-10-01,holiday,国庆节` or `2027-09-26,workday,国庆节`. Every row is checked first;
with any problem nothing is loaded and the command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eban.workdays import actions
from eban.workdays.holiday_file import CalendarFileRejected

from ._output import bilingual


class Command(BaseCommand):
    help = "Load holidays and make-up workdays from a CSV file (date,kind,name); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="CSV file with the columns date,kind,name (kind: holiday or workday)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file without loading it.")

    def handle(self, *args, file: str, dry_run: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在 / No such file: {path}")
        try:
            report = actions.load_calendar_file(path.read_bytes(), source=path.name, dry_run=dry_run)
        except CalendarFileRejected as exc:
            errors = exc.errors
            for error in errors:
                self.stderr.write(bilingual(lambda error=error: error.message))
            raise CommandError(bilingual(lambda: str(CalendarFileRejected(errors).message))) from None
        for y in report.years:
            self.stdout.write(
                f"{y.year}: {y.holidays} holidays, {y.workdays} make-up workdays"
                + (" (replaces the days loaded before)" if y.replaced else "")
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: the file is valid; nothing was loaded."))
        else:
            years = ", ".join(str(y.year) for y in report.years)
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {report.days} special days; {years} marked loaded.")
            )
