"""Counting kiosk transactions: one row per sign-in, application, print or guide read at a
terminal. The figures (by terminal, matter, division and day) are read in eban.kiosks.usage.queries."""

from __future__ import annotations

from django.utils import timezone

from ..enums import TransactionKind
from ..models import KioskTransaction, Terminal


def record_transaction(
    terminal: Terminal | None, kind: TransactionKind | str, *, matter=None, application_number: str = ""
) -> KioskTransaction | None:
    """Count one transaction at `terminal` (nothing when the screen is not a paired terminal)."""
    if terminal is None:
        return None
    now = timezone.now()
    return KioskTransaction.objects.create(
        terminal=terminal,
        kind=TransactionKind(kind),
        matter=matter,
        division_id=terminal.division_id,
        day=timezone.localdate(now),
        at=now,
        application_number=application_number[:40],
    )
