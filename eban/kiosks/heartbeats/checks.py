"""Heartbeats: what a terminal reports every minute, checked, stored and turned into alerts.

A heartbeat body is a JSON object of at most 4 KB:

    {"sent_at": "2026-05-04T09:30:00+08:00",  ISO 8601 with an offset, within ±10 minutes of ours
     "online": true,                            the terminal can reach its services
     "paper_level": 80,                         0–100 (%), or null when no printer is fitted
     "printer": "ok", "camera": "ok",           "ok" / "fault" / "absent"
     "software_version": "2.4.1"}               optional, at most 40 printable characters

Any other key is refused. `record_heartbeat` is the hot path (30,000 terminals × one a minute =
500/s): one UPDATE of the terminal's health fields and one INSERT of the Heartbeat in one
transaction; alerts are opened or closed only when a state changes against the health stored
before (so, nearly always, no alert query at all). On PostgreSQL the UPDATE and the INSERT are
one statement, committed without waiting for the disk (see _write_postgresql).

A refused heartbeat (forged or revoked token, malformed body) is logged and kept as a
RefusedHeartbeat, at most `REFUSED_ROWS_PER_MINUTE` rows per client address and minute: a flood
cannot fill the table; what is over the cap is counted in the log. Neither the log nor the row
holds the token or any part of it.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from ..enums import AlertKind, DeviceState
from ..models import Alert, Heartbeat, RefusedHeartbeat, Terminal

logger = logging.getLogger("eban.kiosks.heartbeats")

MAX_BODY_BYTES = 4096
MAX_SKEW = datetime.timedelta(minutes=10)
NEXT_IN_S = 60
# Out of paper below this level (%): a roll under 5 % cannot be trusted to print a certificate
# of two pages, so the terminal is treated as empty (an alert for its operator).
PAPER_EMPTY_BELOW = 5
REFUSED_ROWS_PER_MINUTE = 20
# Log every refusal up to the cap, then one line per this many more (with the count).
REFUSED_LOG_EVERY = 100

FIELDS = ("sent_at", "online", "paper_level", "printer", "camera", "software_version")
REQUIRED = ("sent_at", "online", "printer", "camera")
STATES = frozenset(DeviceState.values)
# The columns a heartbeat reads from the terminal: its token and the health stored before.
AUTH_FIELDS = (
    "id", "code", "active", "token_hash", "token_revoked_at", "token_issued_at", "last_seen_at",
    "paper_level", "printer_state", "camera_state",
)  # fmt: skip


class MalformedHeartbeat(DomainError):
    """The body is not a heartbeat: 400 when it is not a JSON object at all, 422 for a bad field."""

    status_code = 422
    code = "invalid_heartbeat"

    def __init__(self, message: str, *, reason: str, status: int = 422, field: str = "") -> None:
        super().__init__(
            message,
            details=[{"field": field, "message": message, "type": reason}],
        )
        self.reason = reason
        self.status_code = status


def silent_minutes() -> int:
    return int(getattr(settings, "EBAN_KIOSK_SILENT_MINUTES", 15))


def is_out_of_paper(paper_level: int | None) -> bool:
    return paper_level is not None and paper_level < PAPER_EMPTY_BELOW


# --- validation -------------------------------------------------------------------------------------


def parse(body: bytes, now: datetime.datetime) -> dict[str, Any]:
    """The heartbeat in `body`, checked; MalformedHeartbeat (with a reason) when it is not one."""
    check_size(len(body))
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedHeartbeat(_("The body is not JSON."), reason="not_json", status=400) from None
    except RecursionError:  # "[[[[…]]]]": 4 KB of nesting is deeper than the parser's stack
        raise MalformedHeartbeat(
            _("The body is nested too deeply: a heartbeat is one flat JSON object."), reason="too_deep", status=400
        ) from None
    if not isinstance(data, dict):
        raise MalformedHeartbeat(_("A heartbeat is a JSON object."), reason="not_object", status=400)
    return validate(data, now)


def check_size(length: int) -> None:
    """Refuse a body over the limit (called with Content-Length before the body is read)."""
    if length > MAX_BODY_BYTES:
        raise MalformedHeartbeat(
            _("A heartbeat is at most %(limit)d bytes.") % {"limit": MAX_BODY_BYTES},
            reason="too_large",
            status=400,
        )


def _bad(field: str, message: str, reason: str = "invalid_field") -> MalformedHeartbeat:
    return MalformedHeartbeat(message, reason=reason, field=field)


def validate(data: dict[str, Any], now: datetime.datetime) -> dict[str, Any]:
    unknown = sorted(str(key)[:40] for key in data if key not in FIELDS)
    if unknown:
        raise _bad(
            "", _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}, reason="unknown_field"
        )
    for name in REQUIRED:
        if name not in data:
            raise _bad(name, _("%(field)s is required.") % {"field": name}, reason="missing")
    sent_at = data["sent_at"]
    try:
        if not isinstance(sent_at, str) or len(sent_at) > 40:
            raise ValueError
        sent = datetime.datetime.fromisoformat(sent_at)
    except ValueError:
        raise _bad("sent_at", _("sent_at must be a date and time in ISO 8601 with an offset.")) from None
    if sent.tzinfo is None or sent.utcoffset() is None:
        raise _bad("sent_at", _("sent_at must have an offset (e.g. +08:00 or Z)."))
    if abs(sent - now) > MAX_SKEW:
        raise _bad(
            "sent_at",
            _("The terminal's clock is more than %(minutes)d minutes off; set its time.")
            % {"minutes": MAX_SKEW.seconds // 60},
            reason="clock_skew",
        )
    online = data["online"]
    if not isinstance(online, bool):
        raise _bad("online", _("online must be true or false."))
    paper = data.get("paper_level")
    if paper is not None and (isinstance(paper, bool) or not isinstance(paper, int) or not 0 <= paper <= 100):
        raise _bad("paper_level", _("paper_level must be a whole number from 0 to 100, or null."))
    states = {}
    for name in ("printer", "camera"):
        value = data[name]
        if not isinstance(value, str) or value not in STATES:
            raise _bad(name, _("%(field)s must be one of: ok, fault, absent.") % {"field": name})
        states[name] = value
    version = data.get("software_version", "")
    if not isinstance(version, str) or len(version) > 40 or not version.isprintable():
        raise _bad("software_version", _("software_version is at most 40 printable characters."))
    return {
        "sent_at": sent,
        "online": online,
        "paper_level": paper,
        "printer": states["printer"],
        "camera": states["camera"],
        "software_version": version,
    }


# --- recording ---------------------------------------------------------------------------------------


@functools.cache
def _lookup_statement() -> str:
    meta = Terminal._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in AUTH_FIELDS)
    return f'SELECT {columns} FROM "{meta.db_table}" WHERE "{meta.get_field("code").column}" = %s'


def terminal_by_code(code: str) -> Terminal | None:
    """The terminal with this code, holding only the columns a heartbeat reads (AUTH_FIELDS), for
    tokens.authenticate. A raw query: at 500 heartbeats/s the ORM's compiling of this query cost
    more CPU than the database's answering it."""
    return next(iter(Terminal.objects.raw(_lookup_statement(), [code])), None)


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
                Alert.objects.filter(
                    terminal_id=terminal.pk, kind__in=sorted(to_close), closed_at__isnull=True
                ).update(closed_at=now)
            if to_open:
                _open(terminal, sorted(to_open), now, payload)
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


def _detail(kind: str, payload: dict[str, Any]) -> str:
    if kind == AlertKind.OUT_OF_PAPER:
        return f"paper_level={payload['paper_level']}"
    return ""


def _open(terminal: Terminal, kinds: list[str], now: datetime.datetime, payload: dict[str, Any]) -> None:
    """Open alerts of these kinds (one open per terminal and kind: an open one is left alone)."""
    Alert.objects.bulk_create(
        [Alert(terminal_id=terminal.pk, kind=kind, opened_at=now, detail=_detail(kind, payload)) for kind in kinds],
        ignore_conflicts=True,
    )  # fmt: skip


# --- refusals ----------------------------------------------------------------------------------------


def _refusals_this_minute(client_ip: str, now: datetime.datetime) -> int:
    key = f"eban:kiosks:refused:{int(now.timestamp() // 60)}:{client_ip or '-'}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        return 1


def refuse(reason: str, claimed_code: str, client_ip: str, *, now: datetime.datetime | None = None) -> bool:
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
    import ipaddress

    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return ""
