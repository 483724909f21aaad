"""A rule applied to one applicant's facts, with an explanation per condition.

    result = evaluate(rule_set.rule, {"applicant.age": 62, "applicant.household_division": "330302"})
    result.passed                        # True
    [c.label for c in result.failed]     # the conditions not met, in the active language
    decision.explanation = result.to_json()

Facts are {dotted name: value} (or nested: {"applicant": {"age": 62}}); a fact that is absent
or unreadable makes the conditions that read it fail with the variable's own reason ("no
household registration on record") — never an exception. A document that is not a valid rule
raises RuleError (that is a mistake in the rule, not in the applicant's facts).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation

from . import language as lang
from . import variables as v


@dataclass
class ConditionResult:
    key: str
    passed: bool
    labels: dict[str, str]
    advices: dict[str, str] | None
    values: dict[str, Any]  # the facts the condition read (None when unknown)
    missing: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # by language: why, when facts were missing

    @property
    def label(self) -> str:
        return lang.pick(self.labels)

    @property
    def advice(self) -> str:
        """What to do instead, when the condition failed (as the rule's author wrote it)."""
        return "" if self.passed else lang.pick(self.advices)

    @property
    def reason(self) -> str:
        """Why it failed when facts were unknown ("no household registration on record"), else ""."""
        return lang.pick(self.reasons)

    def read(self) -> list[tuple[str, str]]:
        """(variable label, value as text) for each fact read, in the active language."""
        rows = []
        for name, value in self.values.items():
            spec = v.ALL.get(name)
            label = str(spec.label) if spec else name
            rows.append((label, spec.display(value) if spec and value is not None else v.display(value)))
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "passed": self.passed,
            "label": dict(self.labels),
            "advice": dict(self.advices) if self.advices else None,
            "values": {name: _json_value(value) for name, value in self.values.items()},
            "missing": list(self.missing),
            "reason": dict(self.reasons),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConditionResult:
        return cls(
            key=data["key"],
            passed=bool(data["passed"]),
            labels=data.get("label") or {},
            advices=data.get("advice"),
            values=dict(data.get("values") or {}),
            missing=list(data.get("missing") or []),
            reasons=data.get("reason") or {},
        )


@dataclass
class Evaluation:
    passed: bool
    combine: str
    conditions: list[ConditionResult]
    fields: list[str]

    @property
    def failed(self) -> list[ConditionResult]:
        return [c for c in self.conditions if not c.passed]

    def to_json(self) -> dict[str, Any]:
        """Both languages' texts, so a decision stays readable later whatever the reader's language."""
        return {
            "passed": self.passed,
            "combine": self.combine,
            "fields": list(self.fields),
            "conditions": [c.to_json() for c in self.conditions],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evaluation:
        return cls(
            passed=bool(data["passed"]),
            combine=data.get("combine", "all"),
            conditions=[ConditionResult.from_json(c) for c in data.get("conditions", [])],
            fields=list(data.get("fields", [])),
        )


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def _lookup(facts: dict[str, Any], name: str) -> Any:
    if name in facts:
        return facts[name]
    node: Any = facts
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def read_facts(rule: lang.Rule, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts a rule reads, each in its variable's type (MISSING when absent or unreadable)."""
    return {name: v.normalise(_lookup(facts, name), v.ALL[name].type) for name in rule.fields}


def _value(operand, values: dict[str, Any]) -> Any:
    return values[operand.name] if isinstance(operand, lang.Var) else operand.value


def holds(node, values: dict[str, Any]) -> bool:
    """Whether a parsed check holds for values that are all known."""
    if isinstance(node, lang.Compare):
        a, b = _value(node.left, values), _value(node.right, values)
        op = node.op
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        return a >= b
    if isinstance(node, lang.And):
        return all(holds(item, values) for item in node.items)
    if isinstance(node, lang.Or):
        return any(holds(item, values) for item in node.items)
    if isinstance(node, lang.Not):
        return not holds(node.item, values)
    if isinstance(node, lang.StartsWith):
        return values[node.var.name].startswith(node.prefix)
    if isinstance(node, lang.InList):
        return values[node.var.name] in node.values
    if isinstance(node, lang.Contains):
        return node.value in values[node.var.name]
    if isinstance(node, lang.Truth):
        return values[node.var.name] is True
    if isinstance(node, lang.Const):
        return node.value
    raise TypeError(node)


def _condition_passes(condition: lang.Condition, values: dict[str, Any]) -> bool:
    if any(values[name] is v.MISSING for name in condition.fields):
        return False
    return holds(condition.check, values)


def passes(rule: Any, facts: dict[str, Any]) -> bool:
    """Whether the rule passes, without the explanation (for evaluating many records)."""
    parsed = rule if isinstance(rule, lang.Rule) else lang.parse(rule)
    values = read_facts(parsed, facts)
    outcomes = (_condition_passes(c, values) for c in parsed.conditions)
    return all(outcomes) if parsed.combine == "all" else any(outcomes)


def _reasons(names: list[str]) -> dict[str, str]:
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = (
                "；".join(str(v.ALL[n].missing) for n in names)
                if code.startswith("zh")
                else ("; ".join(str(v.ALL[n].missing) for n in names))
            )
    return texts


def evaluate(rule: Any, facts: dict[str, Any]) -> Evaluation:
    """The rule (a document or a parsed Rule) applied to the facts, condition by condition."""
    parsed = rule if isinstance(rule, lang.Rule) else lang.parse(rule)
    values = read_facts(parsed, facts)
    results = []
    for condition in parsed.conditions:
        missing = [name for name in condition.fields if values[name] is v.MISSING]
        passed = not missing and holds(condition.check, values)
        results.append(
            ConditionResult(
                key=condition.key,
                passed=passed,
                labels=dict(condition.labels),
                advices=dict(condition.advice) if condition.advice else None,
                values={
                    name: (None if values[name] is v.MISSING else values[name]) for name in condition.fields
                },
                missing=missing,
                reasons=_reasons(missing) if missing else {},
            )
        )
    outcomes = [r.passed for r in results]
    passed = all(outcomes) if parsed.combine == "all" else any(outcomes)
    return Evaluation(passed=passed, combine=parsed.combine, conditions=results, fields=list(parsed.fields))
