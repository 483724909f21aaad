"""The audit actions of certificates, with their labels in the back office's history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eban.core import audit

from .actions import ISSUE, REVOKE

ACTIONS = [
    (ISSUE, _("Certificate issued"), _("Certificate issued, signed and stored")),
    (REVOKE, _("Certificate revoked"), _("Certificate revoked, with a reason")),
    ("certificates.type.create", _("Certificate type added"), _("Certificate type added")),
    ("certificates.type.update", _("Certificate type updated"), _("Certificate type updated")),
]


def register(registry) -> None:
    for action, label, message in ACTIONS:
        audit.register_action(action, label, message, registry=registry)
