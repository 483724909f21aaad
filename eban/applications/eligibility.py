"""Check before you apply: does a signed-in person meet a matter's conditions, why not, and from
which day they will — read only, no case is created (GOV.UK's "check if you can").

The same rule set in force, the same facts (eban.applications.facts) and the same per-condition
explanation as the instant decision (eban.rules.evaluate), so the check and the decision cannot
disagree; the day it will pass comes from eban.rules.when. A person who applies anyway gets the
formal decision, with its appeal rights: the check never stops an application.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from eban.accounts.models import Citizen
from eban.rules import variables as v
from eban.rules.evaluate import ConditionResult, Evaluation, evaluate
from eban.rules.queries import active_rule_set
from eban.rules.when import first_passing_day, is_age

from . import facts
from .models import MatterSetup


@dataclass(frozen=True)
class Eligibility:
    passed: bool
    evaluation: Evaluation
    today: datetime.date
    from_day: datetime.date | None  # the first day it passes on current records (today if it does)

    @property
    def failed(self) -> list[ConditionResult]:
        return self.evaluation.failed

    @property
    def qualifies_later(self) -> bool:
        """Not today, but on a later day if nothing on record changes (a birthday to come)."""
        return not self.passed and self.from_day is not None


def births_for(citizen: Citizen, names) -> dict[str, datetime.date | None]:
    """The date of birth behind each age variable among `names` (None when not on record)."""
    ages = {name: v.CITIZEN[name] for name in names if name in v.CITIZEN and is_age(name)}
    if not ages:
        return {}
    row = Citizen.objects.filter(pk=citizen.pk).values(*{spec.path for spec in ages.values()}).first() or {}
    return {name: row.get(spec.path) for name, spec in ages.items()}


def check(setup: MatterSetup, citizen: Citizen, *, on: datetime.date | None = None) -> Eligibility | None:
    """The citizen against the matter's rule set in force on day `on` (today by default); None
    when the matter has no rule set in force, or its rules are not about a citizen (an
    enterprise's matter: the check would not know which enterprise)."""
    if not setup.rule_code:
        return None
    today = on or timezone.localdate()
    rule_set = active_rule_set(setup.rule_code, today)
    if rule_set is None:
        return None
    parsed = rule_set.parsed()
    if any(name not in v.CITIZEN for name in parsed.fields):
        return None
    inputs = facts.citizen_facts(citizen, today, names=parsed.fields)
    evaluation = evaluate(parsed, inputs)
    from_day = (
        today
        if evaluation.passed
        else first_passing_day(parsed, inputs, today=today, births=births_for(citizen, parsed.fields))
    )
    return Eligibility(passed=evaluation.passed, evaluation=evaluation, today=today, from_day=from_day)
