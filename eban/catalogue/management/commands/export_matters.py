"""`eban export-matters FILE`: write the published catalogue to an .xlsx or .json file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from eban.catalogue.interchange import export_file
from eban.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Export the published matters to an .xlsx or .json file (re-importable)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write: a name ending in .xlsx or .json")

    def handle(self, *args, file: str, **options):
        try:
            count = export_file(file)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已导出 {count} 个事项 / Exported {count} matter(s) to {file}")
