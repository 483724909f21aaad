"""Writes on a terminal's credential: issuing (or rotating) and revoking its token, and making a
link that pairs a kiosk screen with it (eban.kiosks.tokens checks a token; eban.kiosks.pairing
reads the link and the cookie).

Each checks its actor first: a kiosk operator whose scope holds the terminal's division — read
from the database under the row lock, whatever object was passed — or SYSTEM (the platform
itself, e.g. `eban demo`). Anyone else, an operator of another county included, gets
PermissionDenied and nothing is written. Audited: kiosks.terminal.token_issued / token_rotated /
token_revoked / pairing_link.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import DomainError, PermissionDenied

from .. import pairing
from ..models import Terminal
from ..permissions import SYSTEM, may_operate, operable_terminals
from ..tokens import digest


def _locked(terminal: Terminal, actor: Any) -> Terminal:
    """The terminal's row, locked, if `actor` may run it (PermissionDenied otherwise)."""
    if actor is not SYSTEM and not may_operate(actor):
        raise PermissionDenied(_("Only kiosk operators may manage a terminal's token."))
    locked = operable_terminals(actor).select_for_update().filter(pk=terminal.pk).first()
    if locked is None:
        raise PermissionDenied(_("This terminal is not within your scope."))
    return locked


def issue_token(terminal: Terminal, *, actor: Any) -> str:
    """A new token for the terminal (replacing any old one). Returns it: shown once, never stored."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = _locked(terminal, actor)
        rotated = bool(locked.token_hash)
        locked.token_hash = digest(secret)
        locked.token_issued_at = timezone.now()
        locked.token_revoked_at = None
        locked.save(update_fields=["token_hash", "token_issued_at", "token_revoked_at", "updated_at"])
        audit.record(
            actor, "kiosks.terminal.token_rotated" if rotated else "kiosks.terminal.token_issued", locked
        )
    terminal.token_hash, terminal.token_issued_at = locked.token_hash, locked.token_issued_at
    terminal.token_revoked_at = None
    return f"{locked.code}.{secret}"


def revoke_token(terminal: Terminal, *, actor: Any) -> None:
    with transaction.atomic():
        locked = _locked(terminal, actor)
        if not locked.token_hash:
            raise DomainError(_("This terminal has no token to revoke."), code="no_token")
        locked.token_hash = ""
        locked.token_revoked_at = timezone.now()
        locked.save(update_fields=["token_hash", "token_revoked_at", "updated_at"])
        audit.record(actor, "kiosks.terminal.token_revoked", locked)
    terminal.token_hash, terminal.token_revoked_at = "", locked.token_revoked_at


def make_pairing_link(terminal: Terminal, *, actor: Any) -> str:
    """The path of a link that pairs a kiosk screen with `terminal` (valid pairing.LINK_SECONDS;
    the terminal needs a token first)."""
    with transaction.atomic():
        locked = _locked(terminal, actor)
        if not locked.token_hash:
            raise DomainError(_("Issue a token first: a pairing link needs one."), code="no_token")
        path = pairing.link_path(locked)
        audit.record(actor, "kiosks.terminal.pairing_link", locked)
    return path
