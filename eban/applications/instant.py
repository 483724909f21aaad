"""Instant approval (秒批): where a matter is set up for it, its rule set decides at once.

The decision is recorded with the rule set's code and version, the applicant's facts it read and
the per-condition explanation. A refusal says in plain words which condition failed and what to
do instead, and the case is concluded at once; an approval queues the certificate, whose task
completes the case. A matter with no rule set in force is left to a reviewer, never decided by
default.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import actions
from .models import Application


def refusal_reasons(check: dict) -> str:
    """The failed conditions and what to do instead, one per line."""
    lines = []
    for condition in check["evaluation"].conditions:
        if not condition.passed:
            line = _("Not met: %(condition)s.") % {"condition": condition.label}
            if condition.advice:
                line += " " + str(condition.advice)
            lines.append(line)
    return "\n".join(lines)


def decide_instantly(application: Application) -> Application:
    """Decide a just-submitted application by its matter's rules (idempotent: a case that has
    moved on is returned as it is)."""
    check = actions.rule_check(application)
    if check is None:
        return application  # no rule in force: a reviewer decides
    reasons = "" if check["passed"] else refusal_reasons(check)
    return actions.decide_by_rules(application, check, reasons=reasons)
