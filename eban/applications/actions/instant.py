"""Instant approval (秒批): where a matter is set up for it, its rule set decides at once.

The decision is recorded with the rule set's code and version, the applicant's facts it read and
the per-condition explanation. A refusal says in plain words which condition failed and what to
do instead, and the case is concluded at once; an approval queues the certificate, whose task
completes the case. A matter with no rule set in force is left to a reviewer, never decided by
default.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import Outcome, Status
from ..models import Application, Decision
from ..notify import notify_applicant
from ..queries import needs_certificate, rule_check
from .base import _day, _move, _now
from .review import complete, default_appeal_route


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
    check = rule_check(application)
    if check is None:
        return application  # no rule in force: a reviewer decides
    reasons = "" if check["passed"] else refusal_reasons(check)
    return decide_by_rules(application, check, reasons=reasons)


def decide_by_rules(application: Application, check: dict, *, reasons: str) -> Application:
    """Record the rule set's decision on a just-submitted application (秒批): the decision with
    the rule's code and version, the facts it read and the explanation; approved → the
    certificate is queued (its task completes the case), otherwise the case is completed at
    once. Idempotent: a case that has moved on is returned as it is."""
    approved = bool(check["passed"])
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.SUBMITTED or hasattr(application, "decision"):
            return application
        appeal_route = "" if approved else default_appeal_route(application)
        Decision.objects.create(
            application=application,
            outcome=Outcome.APPROVED if approved else Outcome.REJECTED,
            by_rules=True,
            rule_code=check["code"],
            rule_version=check["version"],
            inputs=check["inputs"],
            explanation=check["explanation"],
            reasons=reasons,
            appeal_route=appeal_route,
        )
        now = _now()
        application.instant = True
        application.accepted_at = now
        application.statutory_due = application.promised_due = _day(now)
        status = Status.APPROVED if approved else Status.REJECTED
        _move(
            application,
            status,
            kind="decided_by_rules",
            actor=None,
            note=reasons,
            data={"outcome": status.value, "rule": check["code"], "rule_version": check["version"]},
            fields=["instant", "accepted_at", "statutory_due", "promised_due"],
        )
        certificate_follows = approved and needs_certificate(application)
        if not certificate_follows:  # else the certificate's message is the one message
            notify_applicant(application, f"application.{status.value}", reasons=reasons,
                             appeal_route=default_appeal_route(application))  # fmt: skip
        if certificate_follows:
            from .. import tasks

            pk = application.pk
            transaction.on_commit(lambda: tasks.issue_certificate_and_complete.enqueue(application_id=pk))
        else:
            application = complete(application, actor=None)
    return application
