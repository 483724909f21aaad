"""`eban import-matters FILE [--dry-run] [--user NAME]`: import a catalogue (.xlsx or .json).

All or nothing: on any problem the report goes to stderr, nothing is saved and the command
exits with status 1.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eban.catalogue.interchange import ImportRejected, import_file


class Command(BaseCommand):
    help = "Import matters from an .xlsx or .json file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .xlsx workbook or a .json file (eban.matters/1)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument("--user", help="username recorded as the author of the changes")

    def handle(self, *args, file: str, dry_run: bool, user: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在 / No such file: {path}")
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户不存在 / No such user: {user}") from None
        verbosity = options.get("verbosity", 1)

        def progress(phase: str, done: int, total: int) -> None:
            if verbosity >= 2 and total:
                self.stderr.write(f"{phase} {done}/{total}")

        try:
            report = import_file(path, actor=actor, dry_run=dry_run, progress=progress)
        except ImportRejected as rejected:
            for line in rejected.report.lines():
                self.stderr.write(line)
            raise CommandError(
                f"导入被拒绝，未作任何更改 / Import refused, nothing changed ({len(rejected.report.problems)})",
                returncode=1,
            ) from None
        for line in report.summary_lines():
            self.stdout.write(line)
