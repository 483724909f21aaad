"""`eban escalate-overdue`: the periodic sweep of open cases (overdue → escalated to the
department's administrators, pending deadlines worked out). Run it from a timer, e.g. cron:

    */30 * * * *  eban  /srv/eban/.venv/bin/eban escalate-overdue

By default it enqueues the task for `eban worker`; `--now` runs it in this process instead.
Running it twice does no harm: a case is escalated once."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from eban.applications import tasks


class Command(BaseCommand):
    help = "Escalate overdue cases to their department's administrators (enqueues the task; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the sweep in this process instead of enqueuing it."
        )
        parser.add_argument("--date", help="Sweep as of this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, now: bool = False, date: str | None = None, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a date; write it as YYYY-MM-DD.") from None
        if now:
            result = tasks.sweep(datetime.date.fromisoformat(date) if date else None)
            self.stdout.write(
                f"{result['escalated']} cases escalated, {result['deadlines_filled']} deadlines worked out, "
                f"{result['follow_ups_dated']} follow-ups dated."
            )
            return
        job = tasks.escalate_overdue.enqueue(today=date)
        self.stdout.write(f"Sweep enqueued as task {job.id} (status {job.status}).")
