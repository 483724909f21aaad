"""Instant approval (秒批): where a matter is set up for it, its rule set decides at once.

The decision is recorded with the rule set's code and version, the applicant's facts it read and
the per-condition explanation. A refusal says in plain words which condition failed and what to
do instead, and the case is concluded at once; an approval queues the certificate, whose task
completes the case. A matter with no rule set in force is left to a reviewer, never decided by
default.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import actions
from .enums import Outcome, Status
from .models import Application, Decision


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
    approved = bool(check["passed"])
    reasons = "" if approved else refusal_reasons(check)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.SUBMITTED or hasattr(application, "decision"):
            return application
        Decision.objects.create(
            application=application,
            outcome=Outcome.APPROVED if approved else Outcome.REJECTED,
            by_rules=True,
            rule_code=check["code"],
            rule_version=check["version"],
            inputs=check["inputs"],
            explanation=check["explanation"],
            reasons=reasons,
            appeal_route="" if approved else actions.default_appeal_route(application),
        )
        now = timezone.now()
        application.instant = True
        application.accepted_at = now
        application.statutory_due = application.promised_due = timezone.localdate(now)
        status = Status.APPROVED if approved else Status.REJECTED
        actions._move(
            application,
            status,
            kind="decided_by_rules",
            actor=None,
            note=reasons,
            data={"outcome": status.value, "rule": check["code"], "rule_version": check["version"]},
            fields=["instant", "accepted_at", "statutory_due", "promised_due"],
        )
        actions.notify_applicant(application, f"application.{status.value}", reasons=reasons,
                                 appeal_route=actions.default_appeal_route(application))  # fmt: skip
        if approved and actions.needs_certificate(application):
            from . import tasks

            pk = application.pk
            transaction.on_commit(lambda: tasks.issue_certificate_and_complete.enqueue(application_id=pk))
        elif not approved or not actions.needs_certificate(application):
            application = actions.complete(application, actor=None)
    return application
