"""`eban kiosk-alerts`: the sweep that opens an alert for each silent terminal (no heartbeat for
EBAN_KIOSK_SILENT_MINUTES). Run it every minute from a timer, e.g. cron:

    * * * * *  eban  /srv/eban/.venv/bin/eban kiosk-alerts

By default it runs the sweep in this process (it is one query and a bulk insert); `--enqueue`
hands it to `eban worker` instead. Idempotent: running it twice opens nothing more."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from eban.kiosks import tasks
from eban.kiosks.actions import alerts


class Command(BaseCommand):
    help = "Open an alert for each silent kiosk terminal and close those that spoke again (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the sweep for `eban worker` instead of running it.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            job = tasks.sweep_kiosk_alerts.enqueue()
            self.stdout.write(f"Sweep enqueued as task {job.id} (status {job.status}).")
            return
        result = alerts.sweep_silent()
        self.stdout.write(f"{result['opened']} silent alerts opened, {result['closed']} closed.")
