"""The audit actions of the kiosk network, with their labels in the back office's history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eban.core import audit

ACTIONS = [
    ("kiosks.terminal.created", _("Terminal added"), _("Terminal added")),
    ("kiosks.terminal.changed", _("Terminal changed"), _("Terminal changed")),
    ("kiosks.terminal.token_issued", _("Terminal token issued"), _("Terminal token issued")),
    (
        "kiosks.terminal.token_rotated",
        _("Terminal token rotated"),
        _("Terminal token rotated; the old one stopped working"),
    ),
    ("kiosks.terminal.token_revoked", _("Terminal token revoked"), _("Terminal token revoked")),
    ("kiosks.terminal.pairing_link", _("Pairing link made"), _("A link to pair a kiosk screen was made")),
    ("kiosks.terminal.paired", _("Kiosk screen paired"), _("A kiosk screen was paired with the terminal")),
    ("kiosks.usage.exported", _("Kiosk usage exported"), _("The kiosk usage figures were exported (.xlsx)")),
    ("kiosks.coverage.run", _("Coverage computed"), _("Coverage of the kiosk network was computed")),
]


def register(registry) -> None:
    for action, label, message in ACTIONS:
        audit.register_action(action, label, message, registry)
