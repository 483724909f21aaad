"""Heartbeats: what a terminal reports every minute, and how its body is checked.

A heartbeat body is a JSON object of at most 4 KB:

    {"sent_at": "2026-05-04T09:30:00+08:00",  ISO 8601 with an offset, within ±10 minutes of ours
     "online": true,                            the terminal can reach its services
     "paper_level": 80,                         0–100 (%), or null when no printer is fitted
     "printer": "ok", "camera": "ok",           "ok" / "fault" / "absent"
     "software_version": "2.4.1"}               optional, at most 40 printable characters

Any other key is refused. Storing a checked heartbeat (the hot path, 500/s) and keeping a
refusal are actions: eban.kiosks.actions.heartbeats. What the health means (silent, out of paper)
is eban.kiosks.health.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from typing import Any

from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from ..enums import DeviceState
from ..models import Terminal

logger = logging.getLogger("eban.kiosks.heartbeats")

MAX_BODY_BYTES = 4096
MAX_SKEW = datetime.timedelta(minutes=10)
NEXT_IN_S = 60

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
            _("The body is nested too deeply: a heartbeat is one flat JSON object."),
            reason="too_deep",
            status=400,
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


# --- the terminal's lookup -------------------------------------------------------------------------


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
