"""Periodic work without cron: every `eban worker` runs a small scheduler thread that enqueues
the periodic tasks of settings.EBAN_PERIODIC_TASKS when they are due. Each due round is claimed
with one conditional UPDATE on PeriodicRun, so with several workers (on SQLite or PostgreSQL)
exactly one of them enqueues it. The tasks themselves are idempotent sweeps; the `eban
escalate-overdue`, `eban sweep-messages` … commands still run them by hand or from cron.

    EBAN_PERIODIC_TASKS = {"notifications.sweep_messages": ("eban.notifications.tasks.sweep_messages", 300)}
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun

logger = logging.getLogger(__name__)
TICK_SECONDS = 15


def periodic_tasks() -> dict[str, tuple[str, int]]:
    return dict(settings.EBAN_PERIODIC_TASKS)


def claim(name: str, every_seconds: int, now: datetime.datetime) -> bool:
    """True for exactly one caller per due round of `name`."""
    if not PeriodicRun.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=name, last_enqueued_at=now)
            return True
        except IntegrityError:
            pass  # another worker created it first: it has this round
    cutoff = now - datetime.timedelta(seconds=every_seconds)
    return bool(
        PeriodicRun.objects.filter(name=name, last_enqueued_at__lte=cutoff).update(last_enqueued_at=now)
    )


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due; the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for name, (path, every) in sorted(periodic_tasks().items()):
        if claim(name, int(every), now):
            import_string(path).enqueue()
            enqueued.append(name)
    if enqueued:
        logger.info("periodic tasks enqueued: %s", ", ".join(enqueued))
    return enqueued


def run_forever(stop: threading.Event, *, tick: float = TICK_SECONDS) -> None:
    """The scheduler thread's loop (until `stop` is set); an error is logged, never fatal."""
    while not stop.is_set():
        try:
            enqueue_due()
        except Exception:  # the worker keeps running tasks whatever happens here
            logger.exception("periodic scheduler round failed")
        finally:
            close_old_connections()
        stop.wait(tick)


def start_thread() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(stop,), name="eban-scheduler", daemon=True).start()
    return stop
