"""`eban sweep-messages`: re-queue the messages whose worker died mid-send or whose task was lost.

Run it every few minutes (cron, a systemd timer), beside `eban worker`; `--every SECONDS` keeps
it running and sweeps at that interval instead. Safe to run from several places at once."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from eban.notifications.delivery import sweep


class Command(BaseCommand):
    help = "Re-queue notification messages lost with their worker or their task (run every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Keep running, sweeping every SECONDS.")

    def handle(self, *args, every: float = 0, **options):
        while True:
            counts = sweep()
            self.stdout.write("interrupted {interrupted}, failed {failed}, queued {queued}".format(**counts))
            if not every:
                return
            time.sleep(every)
