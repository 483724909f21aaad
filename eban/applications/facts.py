"""What the eligibility rules read about an applicant: the named facts (`applicant.age`, …) of the
real-name record on the day of the decision, kept with the decision as its inputs.

The facts come from the rules' own variable registry (eban.rules.variables.facts_for), the same
definitions the compiled "who qualifies" query uses, so one applicant's decision and a query over
a million records can never disagree."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from eban.accounts.grants.acting import Acting
from eban.accounts.models import Citizen, Enterprise
from eban.rules.variables import CITIZEN, ENTERPRISE, facts_for


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    return value


def _json(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts as JSON values (kept with the decision); the rules read them back alike."""
    return {k: _json_value(v) for k, v in facts.items()}


def citizen_facts(citizen: Citizen, on: datetime.date | None = None, names=None) -> dict[str, Any]:
    return _json(facts_for(citizen, CITIZEN, on=on, names=names))


def enterprise_facts(enterprise: Enterprise, on: datetime.date | None = None, names=None) -> dict[str, Any]:
    return _json(facts_for(enterprise, ENTERPRISE, on=on, names=names))


def applicant_facts(acting: Acting, on: datetime.date | None = None, names=None) -> dict[str, Any]:
    """The facts of the applicant this Acting applies for (the citizen, or the enterprise)."""
    if acting.enterprise is not None:
        return enterprise_facts(acting.enterprise, on, names)
    return citizen_facts(acting.citizen or acting.person, on, names)
