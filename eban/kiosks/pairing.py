"""Which terminal a kiosk screen is. An operator makes a pairing link for a terminal in the back
office (valid 15 minutes); opened on the terminal's screen, it leaves a signed cookie naming the
terminal. The cookie is bound to the terminal's current token: rotating or revoking the token
unpairs its screens too. An unpaired screen still works (a demo screen) but counts nothing.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.urls import reverse

from eban.core import audit

from .models import Terminal

COOKIE = "eban_terminal"
LINK_SALT = "eban.kiosks.pairing-link"
COOKIE_SALT = "eban.kiosks.terminal-cookie"
LINK_SECONDS = 15 * 60
COOKIE_SECONDS = 5 * 365 * 24 * 3600


def _issued(terminal: Terminal) -> str:
    return terminal.token_issued_at.isoformat() if terminal.token_issued_at and terminal.token_hash else ""


def link_path(terminal: Terminal) -> str:
    """The path of a pairing link for `terminal` (made, checked and audited by the action
    eban.kiosks.actions.tokens.make_pairing_link)."""
    value = signing.dumps({"t": terminal.pk, "i": _issued(terminal)}, salt=LINK_SALT, compress=True)
    return reverse("kiosk:pair", args=[value])


def terminal_of_link(value: str) -> Terminal | None:
    """The terminal a pairing link names, if the link is genuine, fresh and still matches its token."""
    try:
        data = signing.loads(value, salt=LINK_SALT, max_age=LINK_SECONDS)
    except signing.BadSignature:
        return None
    return _check(data)


def _check(data: Any) -> Terminal | None:
    if not isinstance(data, dict) or not isinstance(data.get("t"), int):
        return None
    terminal = Terminal.objects.select_related("division").filter(pk=data["t"], active=True).first()
    if terminal is None or not data.get("i") or data.get("i") != _issued(terminal):
        return None
    return terminal


def pair(response, terminal: Terminal, *, secure: bool) -> None:
    """Leave the cookie that makes this screen `terminal`'s."""
    value = signing.dumps({"t": terminal.pk, "i": _issued(terminal)}, salt=COOKIE_SALT, compress=True)
    response.set_cookie(COOKIE, value, max_age=COOKIE_SECONDS, httponly=True, samesite="Lax", secure=secure)
    audit.record(None, "kiosks.terminal.paired", terminal)


def current_terminal(request) -> Terminal | None:
    """The terminal this screen is paired with (None for an unpaired screen). Cached on the request."""
    if not hasattr(request, "_eban_terminal"):
        terminal = None
        value = request.COOKIES.get(COOKIE)
        if value:
            try:
                terminal = _check(signing.loads(value, salt=COOKIE_SALT))
            except signing.BadSignature:
                terminal = None
        request._eban_terminal = terminal
    return request._eban_terminal
