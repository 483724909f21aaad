"""`eban worker`: runs the background tasks (django-tasks database backend) and, unless
`--no-schedule`, the periodic tasks when they are due (eban.core.schedule). Same options as db_worker.

In development (DEBUG) the worker is quiet: one line at start, then only the tasks' warnings and
errors (a failed task is logged as an error), so that `eban demo`'s printout and the SMS codes on
its console stay readable; `-v 2` logs every task, as production does by default."""

import logging
import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from eban.core import schedule

# django-tasks logs every task's start and end at INFO; db_worker its polling; eban the
# periodic rounds.
TASK_LOGGERS = ("django_tasks", "django_tasks_db", "eban.core.schedule")


class Command(DbWorkerCommand):
    help = "Run eban's background tasks (imports, certificates, notifications, periodic sweeps …) from the database queue."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not enqueue the periodic tasks from this worker (another worker or cron does).",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity >= 2:
            level = logging.DEBUG if verbosity >= 3 else logging.INFO
        elif verbosity == 1:
            level = logging.WARNING if settings.DEBUG else logging.INFO
        else:
            level = logging.CRITICAL
        for name in TASK_LOGGERS:
            logging.getLogger(name).setLevel(level)

    def say_started(self) -> None:
        if not logging.getLogger("django_tasks").isEnabledFor(logging.INFO):
            self.stdout.write(
                "后台任务进程已启动，只显示任务的警告和错误（`eban worker -v 2` 显示每个任务） / "
                "background worker started; only the tasks' warnings and errors are shown "
                "(`eban worker -v 2` shows every task)"
            )

    def handle(self, *args, no_schedule: bool = False, **options):
        in_reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not no_schedule and not options.get("batch") and not in_reloader_parent:
            schedule.start_thread()
        if not in_reloader_parent:
            self.configure_logging(options.get("verbosity", 1))
            self.say_started()
        return super().handle(*args, **options)
