"""Storing heartbeats and keeping refusals (the checks are in eban.kiosks.heartbeats.checks).

`record_heartbeat` is the hot path (30,000 terminals × one a minute = 500/s): one UPDATE of the
terminal's health fields and one INSERT of the Heartbeat in one transaction; alerts are opened or
closed only when a state changes against the health stored before (so, nearly always, no alert
query at all). On PostgreSQL the UPDATE and the INSERT are one statement, committed without
waiting for the disk (see _write_postgresql).

A refused heartbeat (forged or revoked token, malformed body) is logged and kept as a
RefusedHeartbeat, at most `REFUSED_ROWS_PER_MINUTE` rows per client address and minute: a flood
cannot fill the table; what is over the cap is counted in the log. Neither the log nor the row
holds the token or any part of it.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import logging
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from ..enums import AlertKind, DeviceState
from ..health import is_out_of_paper, silent_minutes
from ..models import Heartbeat, RefusedHeartbeat, Terminal
from . import alerts

logger = logging.getLogger("eban.kiosks.heartbeats")

REFUSED_ROWS_PER_MINUTE = 20
# Log every refusal up to the cap, then one line per this many more (with the count).
REFUSED_LOG_EVERY = 100


def _problems(paper_level, printer: str, camera: str) -> set[str]:
    """The alert kinds a state calls for (SILENT aside)."""
    kinds = set()
    if is_out_of_paper(paper_level):
        kinds.add(AlertKind.OUT_OF_PAPER.value)
    if printer == DeviceState.FAULT:
        kinds.add(AlertKind.PRINTER.value)
    if camera == DeviceState.FAULT:
        kinds.add(AlertKind.CAMERA.value)
    return kinds


def _may_be_silent(terminal: Terminal, now: datetime.datetime) -> bool:
    """Could a SILENT alert be open? Only when the last heartbeat is (nearly) old enough for the
    sweep to have opened one, or there was none: otherwise no query is needed. A minute's margin
    covers the sweep and the app servers reading slightly different clocks."""
    if terminal.last_seen_at is None:
        return True
    return terminal.last_seen_at < now - datetime.timedelta(minutes=max(0, silent_minutes() - 1))


def record_heartbeat(terminal: Terminal, payload: dict[str, Any], now: datetime.datetime) -> Heartbeat:
    """Store a checked heartbeat of `terminal` (as loaded by tokens.authenticate, with its health
    before this one): update its health, append the history, open and close alerts on changes."""
    before = _problems(terminal.paper_level, terminal.printer_state, terminal.camera_state)
    after = _problems(payload["paper_level"], payload["printer"], payload["camera"])
    to_open = after - before
    to_close = before - after
    if _may_be_silent(terminal, now):
        to_close.add(AlertKind.SILENT.value)
    health = {
        "last_seen_at": now,
        "online": payload["online"],
        "paper_level": payload["paper_level"],
        "printer_state": payload["printer"],
        "camera_state": payload["camera"],
        "software_version": payload["software_version"],
    }
    heartbeat = Heartbeat(terminal_id=terminal.pk, received_at=now, **{
        "sent_at": payload["sent_at"], "online": payload["online"], "paper_level": payload["paper_level"],
        "printer_state": payload["printer"], "camera_state": payload["camera"],
        "software_version": payload["software_version"],
    })  # fmt: skip
    if connection.vendor == "postgresql" and not (to_close or to_open):
        _write_postgresql(terminal.pk, health, heartbeat)  # the hot path: one statement, no transaction block
    else:
        with transaction.atomic():
            Terminal.objects.filter(pk=terminal.pk).update(**health)
            heartbeat.save(force_insert=True)
            if to_close:
                alerts.close_alerts_of(terminal.pk, sorted(to_close), now)
            if to_open:
                alerts.open_alerts_of(terminal.pk, sorted(to_open), now, paper_level=payload["paper_level"])
    for name, value in health.items():
        setattr(terminal, name, value)
    if to_open or (to_close - {AlertKind.SILENT.value}):
        logger.info(
            "Terminal %s: alerts opened %s, closed %s",
            terminal.code,
            ",".join(sorted(to_open)) or "-",
            ",".join(sorted(to_close)) or "-",
        )
    return heartbeat


HEALTH_COLUMNS = (
    "last_seen_at",
    "online",
    "paper_level",
    "printer_state",
    "camera_state",
    "software_version",
)
HEARTBEAT_COLUMNS = (
    "terminal_id", "received_at", "sent_at", "online", "paper_level", "printer_state", "camera_state",
    "software_version",
)  # fmt: skip


def _postgresql_statement() -> str:
    terminal = Terminal._meta
    beat = Heartbeat._meta
    sets = ", ".join(f'"{terminal.get_field(name).column}" = %s' for name in HEALTH_COLUMNS)
    columns = ", ".join(f'"{beat.get_field(name.removesuffix("_id")).column}"' for name in HEARTBEAT_COLUMNS)
    values = ", ".join(["%s"] * len(HEARTBEAT_COLUMNS))
    return (
        "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)), "
        f'health AS (UPDATE "{terminal.db_table}" SET {sets} WHERE "{terminal.pk.column}" = %s) '
        f'INSERT INTO "{beat.db_table}" ({columns}) SELECT {values} FROM quick RETURNING "{beat.pk.column}"'
    )


@functools.cache
def _statement() -> str:
    return _postgresql_statement()


def _write_postgresql(terminal_id: int, health: dict[str, Any], heartbeat: Heartbeat) -> None:
    """The UPDATE and the INSERT in one statement, run on its own (autocommit: no BEGIN and
    COMMIT round trips), whose commit does not wait for the WAL to reach the disk
    (synchronous_commit off for this transaction only, set inside the statement: PostgreSQL
    reads the setting when it commits, before the transaction's local settings are undone).
    A heartbeat is telemetry repeated every minute: a database crash may forget the last
    fraction of a second of them (never corrupt anything, never lose other writes), and a commit
    no longer waits for an fsync. Only when no alert changes: those writes go through the ORM in a
    transaction."""
    params = [health[name] for name in HEALTH_COLUMNS] + [terminal_id]
    params += [getattr(heartbeat, name) for name in HEARTBEAT_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        heartbeat.pk = cursor.fetchone()[0]
    heartbeat._state.adding = False


# --- refusals ----------------------------------------------------------------------------------------


def _refusals_this_minute(client_ip: str, now: datetime.datetime) -> int:
    key = f"eban:kiosks:refused:{int(now.timestamp() // 60)}:{client_ip or '-'}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        return 1


def refuse_heartbeat(
    reason: str, claimed_code: str, client_ip: str, *, now: datetime.datetime | None = None
) -> bool:
    """Log a refused heartbeat and keep it (up to the cap per client address and minute).
    Never pass a token or a secret here: `claimed_code` is the part before the dot only.
    Returns whether a row was written."""
    now = now or timezone.now()
    code = (claimed_code or "")[:32]
    reason = (reason or "refused")[:32]
    address = _valid_ip(client_ip)
    count = _refusals_this_minute(address or "-", now)
    stored = count <= REFUSED_ROWS_PER_MINUTE
    if stored:
        RefusedHeartbeat.objects.create(
            received_at=now, claimed_code=code, reason=reason, client_ip=address or None
        )
        logger.warning("Heartbeat refused: %s (claimed terminal %r, from %s)", reason, code, address or "?")
    elif (count - REFUSED_ROWS_PER_MINUTE) % REFUSED_LOG_EVERY == 1:
        logger.warning(
            "Heartbeat refused: %s (claimed terminal %r, from %s); %d refusals from this address this "
            "minute, those over %d not stored",
            reason,
            code,
            address or "?",
            count,
            REFUSED_ROWS_PER_MINUTE,
        )
    return stored


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return ""
