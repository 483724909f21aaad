"""What a terminal's health means — one definition for the fleet's counts and list, the terminal's
page, the alerts sweep and the heartbeats.

A terminal is

- **silent** (失联) when it is in service and either its last heartbeat is older than
  EBAN_KIOSK_SILENT_MINUTES (15), or it has held a token that long and never sent one (it should
  have reported by now). The sweep opens a SILENT alert for exactly these terminals
  (eban.kiosks.actions.alerts), so the fleet's count of silent terminals and the alerts page agree;
- **never seen** (从未上线) when it has never reported and is not silent (no token yet, or one
  issued less than the silent minutes ago);
- **out of paper** when in service, not silent, and its last heartbeat said less than
  PAPER_EMPTY_BELOW %;
- **online** when in service, not silent, and its last heartbeat said it reached its services.

`since` says how long ago something happened, as people say it ("just now" under a minute).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import Terminal

# Out of paper below this level (%): a roll under 5 % cannot be trusted to print a certificate
# of two pages, so the terminal is treated as empty (an alert for its operator).
PAPER_EMPTY_BELOW = 5

STATUSES = {
    "online": pgettext_lazy("terminal status", "Online"),
    "silent": gettext_lazy("Silent"),
    "out_of_paper": gettext_lazy("Out of paper"),
    "never": gettext_lazy("Never seen"),
}


def silent_minutes() -> int:
    return int(settings.EBAN_KIOSK_SILENT_MINUTES)


def is_out_of_paper(paper_level: int | None) -> bool:
    return paper_level is not None and paper_level < PAPER_EMPTY_BELOW


def _cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=silent_minutes())


def silent_q(now: datetime.datetime) -> Q:
    """The terminals silent at `now` (see the module's docstring)."""
    cutoff = _cutoff(now)
    return Q(active=True) & (
        Q(last_seen_at__lt=cutoff)
        | Q(last_seen_at__isnull=True, token_issued_at__lt=cutoff) & ~Q(token_hash="")
    )


def is_silent(terminal: Terminal, now: datetime.datetime) -> bool:
    """`silent_q` for one terminal in memory."""
    if not terminal.active:
        return False
    cutoff = _cutoff(now)
    if terminal.last_seen_at is not None:
        return terminal.last_seen_at < cutoff
    return (
        bool(terminal.token_hash)
        and terminal.token_issued_at is not None
        and terminal.token_issued_at < cutoff
    )


def status_q(status: str, now: datetime.datetime) -> Q:
    """The terminals counted under `status` (a key of STATUSES) at `now`."""
    seen = Q(active=True, last_seen_at__gte=_cutoff(now))  # in service and not silent
    if status == "online":
        return seen & Q(online=True)
    if status == "silent":
        return silent_q(now)
    if status == "out_of_paper":
        return seen & Q(paper_level__lt=PAPER_EMPTY_BELOW)
    if status == "never":
        return Q(last_seen_at__isnull=True) & ~silent_q(now)
    return Q()


def status_of(terminal: Terminal, now: datetime.datetime) -> tuple[str, str]:
    """(map kind, label) of one terminal: ok / warn (a device needs care) / bad (silent) / off."""
    if not terminal.active:
        return "off", _("Out of service")
    if is_silent(terminal, now):
        return "bad", str(STATUSES["silent"])
    if terminal.last_seen_at is None:
        return "off", str(STATUSES["never"])
    if is_out_of_paper(terminal.paper_level):
        return "warn", str(STATUSES["out_of_paper"])
    if "fault" in (terminal.printer_state, terminal.camera_state):
        return "warn", _("Device fault")
    if not terminal.online:
        return "warn", _("Offline")
    return "ok", str(STATUSES["online"])


def since(moment: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """How long ago `moment` was: "just now" under a minute, else its largest unit ("3 hours ago")."""
    if moment is None:
        return ""
    now = now or timezone.now()
    if now - moment < datetime.timedelta(minutes=1):
        return _("just now")
    return _("%(since)s ago") % {"since": timesince(moment, now, depth=1)}
