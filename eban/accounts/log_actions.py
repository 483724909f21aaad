"""The audit actions of identity, with their labels in the back office's history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eban.core import audit

ACTIONS = [
    ("accounts.citizen.create", _("Citizen recorded"), _("Citizen recorded")),
    ("accounts.citizen.update", _("Citizen updated"), _("Citizen's record updated")),
    ("accounts.citizen.verify", _("Citizen verified"), _("Citizen's identity verified")),
    ("accounts.citizen.sign_in", _("Citizen signed in"), _("Citizen signed in at a terminal")),
    ("accounts.citizen.bind_phone", _("Phone bound"), _("Phone bound to an account by SMS code")),
    ("accounts.citizen.reveal", _("Personal data shown"), _("Unmasked personal data shown to an official")),
    ("accounts.enterprise.create", _("Enterprise recorded"), _("Enterprise recorded")),
    ("accounts.enterprise.update", _("Enterprise updated"), _("Enterprise updated")),
    ("accounts.enterprise.facts", _("Enterprise profile updated"), _("Enterprise profile values recorded")),
    ("accounts.enterprise.tag", _("Enterprise tagged"), _("Enterprise tag recorded")),
    ("accounts.agent.grant", _("Agent authorised"), _("Agent authorised to act for the enterprise")),
    ("accounts.agent.revoke", _("Agent revoked"), _("Agent's authorisation revoked")),
    ("accounts.proxy.grant", _("Proxy authorised"), _("Proxy authorised to act for the citizen")),
    ("accounts.proxy.revoke", _("Proxy revoked"), _("Proxy authorisation revoked")),
    ("accounts.staff.create", _("Staff added"), _("Official attached to a department")),
    ("accounts.staff.update", _("Staff updated"), _("Official's department, divisions or roles changed")),
]


def register(registry) -> None:
    for action, label, message in ACTIONS:
        audit.register_action(action, label, message, registry=registry)
