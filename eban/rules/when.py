"""When will a rule pass? The earliest day, from today, on which a rule holds for one person's
facts if nothing on record changes but the calendar.

    first_passing_day(SENIOR_CARD_RULE, facts, today=date(2026, 12, 7),
                      births={"applicant.age": date(1967, 11, 8)})   # → date(2027, 11, 8)

Only an age changes with the day alone: a household, a founding date or a tag changes when a
record changes, never because time passes. So an age variable (eban.rules.variables.Age) is the
only fact this module moves forward, from the date of birth it is read from (`births`, by
variable name); every other fact keeps today's value.

An age is a whole number that grows by one on each birthday, and each comparison of an age with a
literal (`>=`, `<`, `==`, `in` …) can change its truth only on the birthday at which the age
reaches one of a few whole numbers: for a literal L, ⌈L⌉ and ⌊L⌋ + 1 (`age >= 60` turns true at
60, `age < 66` turns false at 66, `age == 65` turns true at 65 and false at 66). Between two such
birthdays every condition, hence the rule, keeps its value. The answer is therefore the first of
those birthdays (after today) on which the rule passes, or None when none does: the rule never
passes on current records (a failing household condition; an age that has passed an upper bound;
an unknown date of birth; `age == 59.5`).

A birthday follows eban.rules.variables.age_on: someone born on 29 February has their birthday on
1 March in common years.

Pure: no database, no clock (today is passed in), so every case is a one-line test.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from . import language as lang
from . import variables as v
from .evaluate import passes


def birthday(birth: datetime.date, years: int) -> datetime.date:
    """The day on which someone born on `birth` turns `years` (29 February → 1 March in a common year)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February, and the year is a common year
        return datetime.date(birth.year + years, 3, 1)


def is_age(name: str) -> bool:
    """Whether a variable is an age (a fact that grows with the calendar alone)."""
    return isinstance(v.ALL.get(name), v.Age)


def _thresholds(node, names: set[str]) -> dict[str, set[int]]:
    """For each age variable in `names` that the check reads: the ages at which one of its
    comparisons may change truth."""
    found: dict[str, set[int]] = {}

    def add(name: str, value: Any) -> None:
        number = Decimal(value)
        found.setdefault(name, set()).update({math.ceil(number), math.floor(number) + 1})

    def walk(item) -> None:
        if isinstance(item, lang.Compare):
            for var, lit in ((item.left, item.right), (item.right, item.left)):
                if isinstance(var, lang.Var) and var.name in names and isinstance(lit, lang.Lit):
                    add(var.name, lit.value)
        elif isinstance(item, lang.InList) and item.var.name in names:
            for value in item.values:
                add(item.var.name, value)
        elif isinstance(item, lang.And | lang.Or):
            for sub in item.items:
                walk(sub)
        elif isinstance(item, lang.Not):
            walk(item.item)

    walk(node)
    return found


def candidate_days(
    rule: Any, today: datetime.date, births: dict[str, datetime.date | None]
) -> list[datetime.date]:
    """The days after `today` on which the rule's value may change: the birthdays at which an age
    it reads reaches one of its thresholds (sorted, without repeats)."""
    parsed = rule if isinstance(rule, lang.Rule) else lang.parse(rule)
    ages = {name for name in parsed.fields if is_age(name) and births.get(name) is not None}
    days: set[datetime.date] = set()
    for condition in parsed.conditions:
        for name, thresholds in _thresholds(condition.check, ages).items():
            birth = births[name]
            oldest = v.ALL[name].maximum or 150
            for years in thresholds:
                if years <= 0 or years > oldest + 1:  # no one turns 0, or 1,000
                    continue
                day = birthday(birth, years)
                if day > today:
                    days.add(day)
    return sorted(days)


def facts_on(
    facts: dict[str, Any], day: datetime.date, births: dict[str, datetime.date | None]
) -> dict[str, Any]:
    """Today's facts as they will read on `day`: each age recomputed from its date of birth."""
    moved = dict(facts)
    for name, birth in births.items():
        if birth is not None and is_age(name):
            moved[name] = v.age_on(birth, day)
    return moved


def first_passing_day(
    rule: Any,
    facts: dict[str, Any],
    *,
    today: datetime.date,
    births: dict[str, datetime.date | None] | None = None,
) -> datetime.date | None:
    """The earliest day on or after `today` on which the rule passes, if nothing on record but the
    calendar changes; `today` itself when it passes now; None when it never will."""
    parsed = rule if isinstance(rule, lang.Rule) else lang.parse(rule)
    births = births or {}
    if passes(parsed, facts_on(facts, today, births)):
        return today
    for day in candidate_days(parsed, today, births):
        if passes(parsed, facts_on(facts, day, births)):
            return day
    return None
