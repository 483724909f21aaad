"""Each terminal's own credential. The token is shown once, when issued; only its SHA-256 is
kept. A token reads "<terminal code>.<secret>" so a request names its terminal and is checked
with one indexed lookup and a constant-time comparison. Rotating replaces the token at once
(the old one stops working); revoking leaves the terminal with none until a new one is issued.
This module checks tokens; issuing and revoking them are actions (eban.kiosks.actions.tokens).
"""

from __future__ import annotations

import hashlib
import hmac

from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from .models import Terminal


class BadToken(DomainError):
    status_code = 401
    code = "bad_token"

    def __init__(self, reason: str, claimed_code: str = "") -> None:
        super().__init__(_("This terminal's token is not valid. Ask the kiosk operator for a new one."))
        self.reason = reason  # unknown / malformed / revoked / mismatch: for the refusal log
        self.claimed_code = claimed_code[:32]


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(token: str) -> tuple[str, str]:
    """(code, secret) of a token; BadToken("malformed") when it has not that shape."""
    code, dot, secret = (token or "").strip().rpartition(".")
    if not dot or not code or len(secret) < 20 or len(code) > 32 or len(token) > 120:
        raise BadToken("malformed", code)
    return code, secret


def authenticate(token: str, *, by_code=None) -> Terminal:
    """The active terminal that holds this token, or BadToken with the reason. `by_code(code)`
    loads the terminal (None when there is none); by default, the whole row through the ORM."""
    code, secret = split(token)
    terminal = by_code(code) if by_code else Terminal.objects.filter(code=code).first()
    if terminal is None or not terminal.active:
        raise BadToken("unknown", code)
    if not terminal.token_hash:
        raise BadToken("revoked" if terminal.token_revoked_at else "no_token", code)
    if not hmac.compare_digest(terminal.token_hash, digest(secret)):
        raise BadToken("mismatch", code)
    return terminal


def bearer(request) -> str:
    """The token of an `Authorization: Bearer <token>` header ("" when absent)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""
