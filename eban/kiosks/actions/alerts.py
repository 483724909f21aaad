"""Opening and closing alerts. Heartbeats open and close the device alerts (out of paper,
printer, camera: actions.heartbeats.record_heartbeat calls `open_alerts_of` and `close_alerts_of`);
the SILENT alert is opened here, by a sweep run every minute (`eban kiosk-alerts` from cron, or
the task `tasks.sweep_kiosk_alerts`), and closed by the terminal's next heartbeat.

Which terminals are silent is eban.kiosks.health.silent_q: the same definition as the fleet's
count of silent terminals. An alert keeps its facts as data (`Alert.facts`), rendered in the
reader's language by `Alert.detail_text`. The sweep is idempotent: one open alert per terminal and kind (a partial unique constraint), so a
second run, or two at once, open nothing more.

Open alerts are shown in the back office (Kiosks → Alerts, and counted on the Fleet page).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ..enums import AlertKind
from ..health import silent_q
from ..models import Alert, Terminal

logger = logging.getLogger("eban.kiosks.alerts")

BATCH = 2000


def open_alerts(queryset: QuerySet | None = None) -> QuerySet:
    """The open alerts (of the terminals in `queryset`, e.g. permissions.terminals_for(user))."""
    alerts = Alert.objects.filter(closed_at__isnull=True)
    if queryset is not None:
        alerts = alerts.filter(terminal__in=queryset)
    return alerts


def sweep_silent(now: datetime.datetime | None = None) -> dict[str, int]:
    """Open a SILENT alert for every silent terminal without one; close the SILENT alerts of
    terminals that are no longer silent (a heartbeat raced the sweep, or the terminal was taken
    out of service). Returns {"opened": n, "closed": n}."""
    now = now or timezone.now()
    open_silent = Alert.objects.filter(terminal=OuterRef("pk"), kind=AlertKind.SILENT, closed_at__isnull=True)
    candidates = list(
        Terminal.objects.filter(silent_q(now))
        .exclude(Exists(open_silent))
        .values_list("pk", "code", "last_seen_at")
    )
    for start in range(0, len(candidates), BATCH):
        rows = [
            Alert(
                terminal_id=pk,
                kind=AlertKind.SILENT,
                opened_at=now,
                facts={"last_seen_at": seen.isoformat(timespec="seconds")} if seen else {"never_seen": True},
            )
            for pk, _code, seen in candidates[start : start + BATCH]
        ]
        with transaction.atomic():
            Alert.objects.bulk_create(rows, ignore_conflicts=True)  # an alert opened meanwhile stays
    closed = (
        Alert.objects.filter(kind=AlertKind.SILENT, closed_at__isnull=True)
        .exclude(terminal__in=Terminal.objects.filter(silent_q(now)))
        .update(closed_at=now)
    )
    if candidates or closed:
        logger.info(
            "Silent terminals: %d alerts opened (%s), %d closed",
            len(candidates),
            ", ".join(code for _pk, code, _seen in candidates[:20]) + (" …" if len(candidates) > 20 else ""),
            closed,
        )
    return {"opened": len(candidates), "closed": closed}


def open_alerts_of(terminal_id: int, kinds: list[str], now: datetime.datetime, *, paper_level=None) -> None:
    """Open alerts of these kinds for one terminal (one open per terminal and kind: an open one
    is left alone). Called by actions.heartbeats inside its transaction."""
    rows = []
    for kind in kinds:
        facts = {"paper_level": paper_level} if kind == AlertKind.OUT_OF_PAPER else {}
        rows.append(Alert(terminal_id=terminal_id, kind=kind, opened_at=now, facts=facts))
    Alert.objects.bulk_create(rows, ignore_conflicts=True)


def close_alerts_of(terminal_id: int, kinds: list[str], now: datetime.datetime) -> int:
    """Close the open alerts of these kinds for one terminal; how many were closed."""
    return Alert.objects.filter(terminal_id=terminal_id, kind__in=kinds, closed_at__isnull=True).update(
        closed_at=now
    )
