"""How long the heartbeat history is kept, and the job that forgets what is older.

Every terminal sends one heartbeat a minute: 1,440 rows a day each, 43 million a day for 30,000
terminals. The history serves the terminal's page (its last heartbeats) and questions about the
last days; the health that matters is on the terminal and the incidents are in Alert, kept for
good. So heartbeats are kept EBAN_KIOSK_HEARTBEAT_DAYS (default 2) and refused ones — a security
record — EBAN_KIOSK_REFUSED_DAYS (default 90). `prune` deletes in batches, so a backlog (the
first run on an old database) never holds one long transaction.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from ..models import Heartbeat, RefusedHeartbeat

logger = logging.getLogger("eban.kiosks.retention")
BATCH = 10_000


def heartbeat_days() -> int:
    return int(settings.EBAN_KIOSK_HEARTBEAT_DAYS)


def refused_days() -> int:
    return int(settings.EBAN_KIOSK_REFUSED_DAYS)


def _delete_before(model, cutoff: datetime.datetime, batch: int) -> int:
    deleted = 0
    while True:
        ids = list(model.objects.filter(received_at__lt=cutoff).values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += model.objects.filter(pk__in=ids).delete()[0]


def prune(now: datetime.datetime | None = None, *, batch: int = BATCH) -> dict[str, int]:
    """Delete the heartbeats and refused heartbeats past their keeping time; how many of each."""
    now = now or timezone.now()
    counts = {
        "heartbeats": _delete_before(Heartbeat, now - datetime.timedelta(days=heartbeat_days()), batch),
        "refused": _delete_before(RefusedHeartbeat, now - datetime.timedelta(days=refused_days()), batch),
    }
    if any(counts.values()):
        logger.info("Pruned %(heartbeats)d heartbeats and %(refused)d refused heartbeats", counts)
    return counts
