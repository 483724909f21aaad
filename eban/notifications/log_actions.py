"""The audit actions of notifications, with their labels in the back office's history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eban.core import audit

from .actions import DEACTIVATE_TEMPLATE, RETRY_MESSAGE, SAVE_TEMPLATE

ACTIONS = [
    (SAVE_TEMPLATE, _("Message template saved"), _("A new version of a message template was saved")),
    (
        DEACTIVATE_TEMPLATE,
        _("Message template taken out of use"),
        _("A message template was taken out of use"),
    ),
    (RETRY_MESSAGE, _("Message sent again"), _("A failed message was sent again")),
]


def register(registry) -> None:
    for action, label, message in ACTIONS:
        audit.register_action(action, label, message, registry=registry)
