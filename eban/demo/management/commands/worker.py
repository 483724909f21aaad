"""`eban worker`: runs the background tasks (django-tasks database backend) and, unless
`--no-schedule`, the periodic tasks when they are due (eban.core.schedule). Same options as db_worker."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from eban.core import schedule


class Command(DbWorkerCommand):
    help = "Run eban's background tasks (imports, certificates, notifications, periodic sweeps …) from the database queue."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not enqueue the periodic tasks from this worker (another worker or cron does).",
        )

    def handle(self, *args, no_schedule: bool = False, **options):
        in_reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not no_schedule and not options.get("batch") and not in_reloader_parent:
            schedule.start_thread()
        return super().handle(*args, **options)
