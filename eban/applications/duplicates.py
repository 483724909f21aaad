"""Applying twice: what the applicant already has, and the refusal that names it.

An applicant has at most one open application per matter (enums.IN_PROGRESS; a database
constraint, models.Application). A matter's rule set may also say "not twice" in its own words:
a condition that reads only what the applicant already holds or has open
(`applicant.valid_certificates`, `applicant.open_applications` and their enterprise twins,
eban.rules.variables). Such a condition is checked before a case is made; when it fails the
application is refused at once, with the rule's reason and the existing case or certificate to
go to, and no case is made (a refusal decision is for conditions a person can dispute, not for
"you have it already").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from eban.accounts.grants.acting import Acting
from eban.certificates.enums import PublicStatus
from eban.certificates.models import Certificate
from eban.core.exceptions import Conflict
from eban.rules import language
from eban.rules.evaluate import ConditionResult, evaluate
from eban.rules.queries import active_rule_set
from eban.rules.variables import CITIZEN, ENTERPRISE

from . import facts
from .enums import IN_PROGRESS
from .models import Application, MatterSetup

HELD = {"applicant.valid_certificates", "enterprise.valid_certificates"}
OPEN = {"applicant.open_applications", "enterprise.open_applications"}
REPEAT_VARIABLES = HELD | OPEN


class RepeatApplication(Conflict):
    """A second application for what the applicant already has: an open case for the matter
    (`application`), or a valid certificate (`certificate`, issued on case `application`)."""

    def __init__(
        self,
        message: str,
        *,
        application: Application | None,
        certificate: Certificate | None = None,
        reasons: str = "",
    ) -> None:
        self.application = application
        self.certificate = certificate
        self.reasons = reasons
        details: dict[str, Any] = {"application": application.number if application else None}
        if certificate is not None:
            details["certificate"] = certificate.number
        super().__init__(
            message,
            code="already_holds" if certificate is not None else "already_applied",
            details=details,
        )


def _applicant(acting: Acting) -> dict[str, Any]:
    if acting.enterprise is not None:
        return {"enterprise": acting.enterprise, "citizen": None}
    return {"citizen": acting.citizen or acting.person}


def open_case(matter_id: int, acting: Acting, *, excluding: int | None = None) -> Application | None:
    """The applicant's open application for the matter, if any."""
    cases = Application.objects.filter(matter_id=matter_id, status__in=IN_PROGRESS, **_applicant(acting))
    if excluding is not None:
        cases = cases.exclude(pk=excluding)
    return cases.order_by("submitted_at", "pk").first()


def already_applied(case: Application) -> RepeatApplication:
    return RepeatApplication(
        _(
            "An application for this matter is already in progress: case %(number)s. Follow that case "
            "instead of applying again."
        )
        % {"number": case.number},
        application=case,
    )


def held_certificate(type_codes: set[str], acting: Acting) -> tuple[Certificate, Application] | None:
    """A valid certificate of one of these types issued on one of the applicant's cases, with the
    case (the same reading as the rules' `valid_certificates` variable)."""
    cases = {
        f"application:{number}": number
        for number in Application.objects.filter(**_applicant(acting)).values_list("number", flat=True)
    }
    if not cases or not type_codes:
        return None
    for certificate in Certificate.objects.filter(
        idempotency_key__in=list(cases), type__code__in=type_codes
    ).select_related("type"):
        if certificate.public_status() == PublicStatus.VALID:
            return certificate, Application.objects.get(number=cases[certificate.idempotency_key])
    return None


def _certificate_types(node) -> set[str]:
    """The certificate types a check asks about (`"senior_card" in applicant.valid_certificates`)."""
    if isinstance(node, language.Contains):
        return {node.value} if node.var.name in HELD else set()
    if isinstance(node, language.Not):
        return _certificate_types(node.item)
    if isinstance(node, language.And | language.Or):
        return set().union(*(_certificate_types(item) for item in node.items))
    return set()


def failed_repeat_conditions(setup: MatterSetup | None, acting: Acting) -> tuple[list[ConditionResult], set]:
    """The "not twice" conditions of the matter's rule set in force that fail for this applicant
    now, and the certificate types they ask about. None for a rule set combined with "any" (one
    failing condition does not refuse it)."""
    rule_set = active_rule_set(setup.rule_code) if setup is not None and setup.rule_code else None
    if rule_set is None:
        return [], set()
    parsed = language.parse(rule_set.rule)
    registry = ENTERPRISE if acting.enterprise is not None else CITIZEN  # what this applicant has
    repeat = [c for c in parsed.conditions if c.fields and set(c.fields) <= REPEAT_VARIABLES & set(registry)]
    if parsed.combine != "all" or not repeat:
        return [], set()
    names = {name for c in repeat for name in c.fields}
    inputs = facts.applicant_facts(acting, names=names)
    keys = {c.key for c in repeat}
    failed = [r for r in evaluate(parsed, inputs).conditions if r.key in keys and not r.passed]
    types = set().union(*(_certificate_types(c.check) for c in repeat if c.key in {r.key for r in failed}))
    return failed, types


def _reasons(failed: list[ConditionResult]) -> str:
    lines = []
    for condition in failed:
        line = _("Not met: %(condition)s.") % {"condition": condition.label}
        if condition.advice:
            line += " " + str(condition.advice)
        lines.append(line)
    return "\n".join(lines)


def refuse_repeat(setup: MatterSetup | None, matter_id: int, acting: Acting) -> None:
    """Raise RepeatApplication when the applicant already has an open case for the matter, or
    when a "not twice" condition of its rule set fails (naming what they hold)."""
    case = open_case(matter_id, acting)
    if case is not None:
        raise already_applied(case)
    failed, types = failed_repeat_conditions(setup, acting)
    if not failed:
        return
    reasons = _reasons(failed)
    held = held_certificate(types | ({setup.certificate_type} if setup.certificate_type else set()), acting)
    if held is not None:
        certificate, case = held
        raise RepeatApplication(
            _(
                "You already hold a valid %(type)s (certificate %(number)s, case %(case)s): a second one "
                "cannot be applied for while it is valid."
            )
            % {"type": certificate.type.display_name, "number": certificate.number, "case": case.number},
            application=case,
            certificate=certificate,
            reasons=reasons,
        )
    raise RepeatApplication(reasons, application=None, reasons=reasons)


def facts_for_deciding(application: Application, inputs: dict[str, Any]) -> dict[str, Any]:
    """The applicant's facts for deciding `application`: the case itself is not "an open
    application for this matter" (it is the one being decided)."""
    for name in OPEN & set(inputs):
        code = application.matter.code
        if (
            code in inputs[name]
            and not Application.objects.filter(
                matter_id=application.matter_id,
                status__in=IN_PROGRESS,
                citizen_id=application.citizen_id,
                enterprise_id=application.enterprise_id,
            )
            .exclude(pk=application.pk)
            .exists()
        ):
            inputs = {**inputs, name: [c for c in inputs[name] if c != code]}
    return inputs
