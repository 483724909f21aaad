"""The audit actions of rule sets, with their labels in the back office's history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eban.core import audit

SAVE = "rules.ruleset.save"
ACTIVATE = "rules.ruleset.activate"
RETIRE = "rules.ruleset.retire"

ACTIONS = [
    (SAVE, _("Rule set draft saved"), _("Draft of a rule set saved")),
    (ACTIVATE, _("Rule set activated"), _("Version of a rule set activated")),
    (RETIRE, _("Rule set retired"), _("Version of a rule set retired")),
]


def register(registry) -> None:
    for action, label, message in ACTIONS:
        audit.register_action(action, label, message, registry=registry)
