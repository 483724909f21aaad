"""`eban seed-calendar`: load every year the chinesecalendar package knows."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from eban.workdays import actions, seed


class Command(BaseCommand):
    help = "Load the holidays and make-up workdays of every year chinese_calendar knows (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Reload the years already loaded as well (replaces their special days).",
        )

    def handle(self, *args, replace: bool = False, **options):
        known = seed.known_years()
        report = actions.seed_from_chinese_calendar(replace=replace)
        if not report.years:
            self.stdout.write(
                f"chinese_calendar knows {known[0]}–{known[-1]}; all of them are loaded already."
            )
            return
        for y in report.years:
            verb = "replaced" if y.replaced else "loaded"
            self.stdout.write(f"{y.year}: {verb}, {y.holidays} holidays, {y.workdays} make-up workdays")
        self.stdout.write(self.style.SUCCESS(f"{len(report.years)} years, {report.days} special days."))
