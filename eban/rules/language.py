"""The rule language: JSON in the style of JsonLogic / CertLogic, checked strictly, parsed once.

A rule set document:

    {"combine": "all",
     "conditions": [
        {"key": "age",
         "check": {">=": [{"var": "applicant.age"}, 60]},
         "label": {"zh-hans": "年满60周岁", "en": "Aged 60 or over"},
         "advice": {"zh-hans": "…", "en": "…"}},
        …]}

A check is `true`, `false`, a yes-or-no variable (`{"var": "applicant.abroad"}`) or one operator
with its arguments: `and`, `or` (one or more checks), `not` / `!` (one check), `==`, `!=`, `<`,
`<=`, `>`, `>=` (two operands, at least one of them a variable; `<` and `<=` also take three,
"between": `{"<=": [18, {"var": "applicant.age"}, 60]}`), `in` (a variable in a list of literals,
or a literal in a set variable such as `enterprise.tags`), `startsWith` (a text variable, a
prefix: division codes). An operand is `{"var": "dotted.name"}` or a literal: a number, a text,
true/false, or a date written `YYYY-MM-DD` when compared with a date variable. There is no `if`,
no arithmetic and no variable inside a list: every rule can be explained condition by condition
and compiled to a database query (see docs/rules.md).

`parse(document)` checks everything against the registry of variables (eban.rules.variables)
and raises `RuleError` naming each place that is wrong ("conditions[1].check: unknown operator
'gte'"); `fields(document)` lists the variables a rule reads.
"""

from __future__ import annotations

import datetime
import difflib
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from . import variables as v

OPERATORS = ("and", "or", "not", "!", "==", "!=", "<", "<=", ">", ">=", "in", "startsWith", "var")
ALIASES = {"!": "not", "===": "==", "!==": "!="}  # CertLogic / JsonLogic spellings
ORDERING = ("<", "<=", ">", ">=")
# Spellings from other languages, suggested in the error (not accepted: one spelling per operator).
HINTS = {
    "gte": ">=", "ge": ">=", "lte": "<=", "le": "<=", "gt": ">", "lt": "<", "eq": "==", "equals": "==",
    "ne": "!=", "neq": "!=", "startswith": "startsWith", "starts_with": "startsWith", "&&": "and",
    "||": "or", "all": "and", "any": "or", "none": "not",
}  # fmt: skip
COMBINE = ("all", "any")
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DEPTH = 24
MAX_LIST = 1000
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


class RuleError(DomainError):
    """A rule document that breaks the language: every problem, each with its place."""

    code = "invalid_rule"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems), details=problems)


# --- the parsed form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Var:
    name: str
    type: str


@dataclass(frozen=True)
class Lit:
    value: Any  # normalised: Decimal, str, bool, date
    type: str


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Var | Lit
    right: Var | Lit


@dataclass(frozen=True)
class InList:
    var: Var
    values: tuple


@dataclass(frozen=True)
class Contains:
    var: Var  # a set variable
    value: str


@dataclass(frozen=True)
class StartsWith:
    var: Var
    prefix: str


@dataclass(frozen=True)
class Truth:
    var: Var  # a yes-or-no variable used as a check


@dataclass(frozen=True)
class Condition:
    key: str
    check: Any
    labels: dict[str, str]
    advice: dict[str, str] | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    combine: str
    conditions: tuple[Condition, ...]
    fields: tuple[str, ...]
    document: dict = field(compare=False, repr=False)


def variables_of(node) -> set[str]:
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, And | Or):
        return set().union(*(variables_of(item) for item in node.items))
    if isinstance(node, Not):
        return variables_of(node.item)
    if isinstance(node, Compare):
        return variables_of(node.left) | variables_of(node.right)
    if isinstance(node, InList | Contains | StartsWith | Truth):
        return {node.var.name}
    return set()


# --- parsing -------------------------------------------------------------------------------------


def _languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


class _Parser:
    def __init__(self, registry) -> None:
        self.registry = registry
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    # document

    def document(self, doc: Any) -> Rule | None:
        if not isinstance(doc, dict):
            self.fail("document", _('a rule set is an object with "conditions" (and "combine")'))
            return None
        for key in sorted(set(doc) - {"conditions", "combine"}):
            self.fail("document", _("unknown key '%(key)s'") % {"key": key})
        combine = doc.get("combine", "all")
        if combine not in COMBINE:
            self.fail("combine", _('must be "all" or "any", not %(value)s') % {"value": _show(combine)})
        raw = doc.get("conditions")
        if not isinstance(raw, list) or not raw:
            self.fail("conditions", _("a list of one condition or more is needed"))
            return None
        conditions, keys = [], set()
        for i, item in enumerate(raw):
            condition = self.condition(item, f"conditions[{i}]")
            if condition is None:
                continue
            if condition.key in keys:
                self.fail(f"conditions[{i}].key", _("'%(key)s' is used twice") % {"key": condition.key})
            keys.add(condition.key)
            conditions.append(condition)
        if self.problems:
            return None
        names = sorted(set().union(*(c.fields for c in conditions)))
        return Rule(combine, tuple(conditions), tuple(names), doc)

    def condition(self, item: Any, path: str) -> Condition | None:
        if not isinstance(item, dict):
            self.fail(path, _('a condition is an object with "key", "check" and "label"'))
            return None
        for key in sorted(set(item) - {"key", "check", "label", "advice"}):
            self.fail(path, _("unknown key '%(key)s'") % {"key": key})
        key = item.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            self.fail(
                f"{path}.key",
                _('a short name of lower-case letters, digits, - and _ is needed (e.g. "age")'),
            )
        labels = self.texts(item.get("label"), f"{path}.label", required=True)
        advice = self.texts(item.get("advice"), f"{path}.advice", required=False)
        if "check" not in item:
            self.fail(f"{path}.check", _("missing"))
            return None
        before = len(self.problems)
        check = self.check(item["check"], f"{path}.check", 0)
        if check is None or len(self.problems) > before or not isinstance(key, str):
            return None
        return Condition(key, check, labels or {}, advice, tuple(sorted(variables_of(check))))

    def texts(self, value: Any, path: str, *, required: bool) -> dict[str, str] | None:
        if value is None and not required:
            return None
        default = settings.LANGUAGE_CODE
        if (
            not isinstance(value, dict)
            or not isinstance(value.get(default), str)
            or not value[default].strip()
        ):
            self.fail(
                path,
                _(
                    'an object of texts by language is needed, at least "%(language)s": {"%(language)s": "…", "en": "…"}'
                )
                % {"language": default},
            )
            return None
        for language, text in value.items():
            if language not in _languages():
                self.fail(path, _("unknown language '%(language)s'") % {"language": language})
            elif not isinstance(text, str):
                self.fail(f"{path}.{language}", _("a text is needed"))
        return {k: t.strip() for k, t in value.items() if isinstance(t, str) and t.strip()}

    # checks

    def check(self, node: Any, path: str, depth: int):
        if depth > MAX_DEPTH:
            self.fail(path, _("nested too deeply"))
            return None
        if isinstance(node, bool):
            return Const(node)
        if not isinstance(node, dict) or len(node) != 1:
            self.fail(
                path,
                _(
                    'a check is an object with one operator (e.g. {">=": [{"var": "applicant.age"}, 60]}), or true / false'
                ),
            )
            return None
        ((op, args),) = node.items()
        op = ALIASES.get(op, op)
        if op not in OPERATORS:
            hint = [HINTS[op]] if op in HINTS else difflib.get_close_matches(str(op), OPERATORS, n=1)
            message = _("unknown operator '%(op)s'") % {"op": op}
            if hint:
                message += " " + _("(did you mean '%(hint)s'?)") % {"hint": hint[0]}
            self.fail(path, message)
            return None
        here = f"{path}.{op}"
        if op == "var":
            var = self.var(args, path)
            if var is None:
                return None
            if var.type != v.BOOL:
                self.fail(
                    path,
                    _("'%(name)s' is a %(type)s, not a yes-or-no check: compare it with something")
                    % {"name": var.name, "type": v.TYPE_LABELS[var.type]},
                )
                return None
            return Truth(var)
        if op in ("and", "or"):
            if not isinstance(args, list) or not args:
                self.fail(here, _("a list of one check or more is needed"))
                return None
            items = [self.check(item, f"{here}[{i}]", depth + 1) for i, item in enumerate(args)]
            if any(item is None for item in items):
                return None
            return (And if op == "and" else Or)(tuple(items))
        if op == "not":
            if isinstance(args, list):
                if len(args) != 1:
                    self.fail(here, _("takes one check"))
                    return None
                args, here = args[0], f"{here}[0]"
            item = self.check(args, here, depth + 1)
            return None if item is None else Not(item)
        if not isinstance(args, list):
            self.fail(here, _("takes a list of arguments"))
            return None
        if op in ("==", "!=", "<", "<=", ">", ">="):
            return self.compare(op, args, here)
        if op == "in":
            return self.membership(args, here)
        return self.starts_with(args, here)

    def var(self, args: Any, path: str) -> Var | None:
        name = args[0] if isinstance(args, list) and len(args) == 1 else args
        if not isinstance(name, str):
            self.fail(f"{path}.var", _('a variable is named by one text, e.g. {"var": "applicant.age"}'))
            return None
        if name not in self.registry:
            message = _("unknown variable '%(name)s'") % {"name": name}
            hint = difflib.get_close_matches(name, list(self.registry), n=1)
            if hint:
                message += " " + _("(did you mean '%(hint)s'?)") % {"hint": hint[0]}
            self.fail(f"{path}.var", message)
            return None
        return Var(name, self.registry[name].type)

    def operand(self, node: Any, path: str):
        """A variable, or a raw literal (typed later against the variable it meets)."""
        if isinstance(node, dict):
            if len(node) == 1 and "var" in node:
                return self.var(node["var"], path)
            self.fail(path, _('only a variable ({"var": …}) or a literal value can stand here'))
            return None
        if isinstance(node, bool | str) or (isinstance(node, int | float) and not isinstance(node, bool)):
            if isinstance(node, float) and not math.isfinite(node):
                self.fail(path, _("not a finite number"))
                return None
            return _Raw(node)
        self.fail(path, _("%(value)s is not a value the language knows") % {"value": _show(node)})
        return None

    def literal(self, raw: _Raw, var: Var, path: str) -> Lit | None:
        """The raw literal in the type of the variable it is compared with, or a problem."""
        value, spec = raw.value, self.registry[var.name]
        problem = _("'%(name)s' is a %(type)s: %(value)s is not") % {
            "name": var.name,
            "type": v.TYPE_LABELS[var.type],
            "value": _show(value),
        }
        if var.type == v.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(path, problem)
                return None
            number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
            if (spec.minimum is not None and number < spec.minimum) or (
                spec.maximum is not None and number > spec.maximum
            ):
                self.fail(
                    path,
                    _("'%(name)s' goes from %(minimum)s to %(maximum)s: %(value)s is out of range")
                    % {
                        "name": var.name,
                        "minimum": spec.minimum,
                        "maximum": spec.maximum,
                        "value": _show(value),
                    },
                )
                return None
            return Lit(number, v.NUMBER)
        if var.type == v.STRING:
            if not isinstance(value, str):
                self.fail(path, problem)
                return None
            return Lit(value, v.STRING)
        if var.type == v.BOOL:
            if not isinstance(value, bool):
                self.fail(path, problem)
                return None
            return Lit(value, v.BOOL)
        if var.type == v.DATE:
            day = None
            if isinstance(value, str) and DATE.match(value):
                try:
                    day = datetime.date.fromisoformat(value)
                except ValueError:
                    day = None
            if day is None:
                self.fail(path, problem + " " + _("(dates are written YYYY-MM-DD)"))
                return None
            return Lit(day, v.DATE)
        self.fail(
            path,
            _('\'%(name)s\' is a set: ask whether a name is in it, {"in": ["…", {"var": "%(name)s"}]}')
            % {"name": var.name},
        )
        return None

    def check_choice(self, lit: Lit, var: Var, path: str) -> bool:
        choices = self.registry[var.name].choices
        if choices and lit.value not in choices:
            self.fail(
                path,
                _("'%(name)s' is one of %(choices)s, not %(value)s")
                % {"name": var.name, "choices": ", ".join(choices), "value": _show(lit.value)},
            )
            return False
        return True

    def pair(self, op: str, a: Any, b: Any, pa: str, pb: str) -> Compare | None:
        if a is None or b is None:
            return None
        if isinstance(a, _Raw) and isinstance(b, _Raw):
            self.fail(pa.rsplit("[", 1)[0], _("compares two constant values: one side must be a variable"))
            return None
        if isinstance(a, Var) and isinstance(b, Var):
            if a.type != b.type:
                self.fail(
                    pb,
                    _("compares a %(left)s with a %(right)s")
                    % {"left": v.TYPE_LABELS[a.type], "right": v.TYPE_LABELS[b.type]},
                )
                return None
            left, right, var = a, b, a
        elif isinstance(a, Var):
            right = self.literal(b, a, pb)
            if right is None:
                return None
            left, var = a, a
        else:
            left = self.literal(a, b, pa)
            if left is None:
                return None
            right, var = b, b
        if var.type == v.SET:
            self.fail(pa.rsplit("[", 1)[0], _('a set is asked with "in", not compared'))
            return None
        if op in ORDERING and var.type not in (v.NUMBER, v.DATE):
            self.fail(
                pa.rsplit("[", 1)[0],
                _("'%(op)s' compares numbers or dates, and '%(name)s' is a %(type)s")
                % {"op": op, "name": var.name, "type": v.TYPE_LABELS[var.type]},
            )
            return None
        for lit, where in ((left, pa), (right, pb)):
            if isinstance(lit, Lit) and not self.check_choice(lit, var, where):
                return None
        return Compare(op, left, right)

    def compare(self, op: str, args: list, path: str):
        allowed = (2, 3) if op in ("<", "<=") else (2,)
        if len(args) not in allowed:
            self.fail(
                path,
                _("takes %(count)s arguments, not %(given)s")
                % {"count": _(" or ").join(str(n) for n in allowed), "given": len(args)},
            )
            return None
        operands = [self.operand(arg, f"{path}[{i}]") for i, arg in enumerate(args)]
        if len(args) == 2:
            return self.pair(op, operands[0], operands[1], f"{path}[0]", f"{path}[1]")
        # between: a op b op c, read as (a op b) and (b op c)
        first = self.pair(op, operands[0], operands[1], f"{path}[0]", f"{path}[1]")
        second = self.pair(op, operands[1], operands[2], f"{path}[1]", f"{path}[2]")
        return None if first is None or second is None else And((first, second))

    def membership(self, args: list, path: str):
        if len(args) != 2:
            self.fail(path, _("takes 2 arguments, not %(given)s") % {"given": len(args)})
            return None
        item, container = args
        if isinstance(container, dict) and set(container) == {"var"}:
            var = self.var(container["var"], f"{path}[1]")
            if var is None:
                return None
            if var.type != v.SET:
                self.fail(
                    f"{path}[1]",
                    _('\'%(name)s\' is a %(type)s, not a set: write {"in": [{"var": "%(name)s"}, ["…", …]]}')
                    % {"name": var.name, "type": v.TYPE_LABELS[var.type]},
                )
                return None
            if not isinstance(item, str):
                self.fail(f"{path}[0]", _("a name (text) is needed"))
                return None
            return Contains(var, item)
        var = self.operand(item, f"{path}[0]")
        if var is None:
            return None
        if not isinstance(var, Var):
            self.fail(f"{path}[0]", _("a variable is needed here (or a set variable second)"))
            return None
        if var.type == v.SET:
            self.fail(
                f"{path}[0]",
                _('a set is asked the other way: {"in": ["…", {"var": "%(name)s"}]}') % {"name": var.name},
            )
            return None
        if not isinstance(container, list):
            self.fail(f"{path}[1]", _("a list of literal values is needed"))
            return None
        if len(container) > MAX_LIST:
            self.fail(f"{path}[1]", _("at most %(count)s values") % {"count": MAX_LIST})
            return None
        values = []
        for i, raw in enumerate(container):
            where = f"{path}[1][{i}]"
            operand = self.operand(raw, where)
            if operand is None:
                continue
            if isinstance(operand, Var):
                self.fail(where, _("only literal values can be listed"))
                continue
            lit = self.literal(operand, var, where)
            if lit is not None and self.check_choice(lit, var, where):
                values.append(lit.value)
        if len(values) != len(container):
            return None
        return InList(var, tuple(values))

    def starts_with(self, args: list, path: str):
        if len(args) != 2:
            self.fail(path, _("takes 2 arguments, not %(given)s") % {"given": len(args)})
            return None
        var = self.operand(args[0], f"{path}[0]")
        if var is None:
            return None
        if not isinstance(var, Var) or var.type != v.STRING:
            self.fail(f"{path}[0]", _("a text variable is needed"))
            return None
        if not isinstance(args[1], str) or not args[1]:
            self.fail(f"{path}[1]", _("a prefix (non-empty text) is needed"))
            return None
        return StartsWith(var, args[1])


@dataclass(frozen=True)
class _Raw:
    value: Any


def _show(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def parse(document: Any, registry=None) -> Rule:
    """The checked, parsed rule; RuleError listing every problem otherwise."""
    if registry is None:
        return _parse_default(_canonical(document))
    return _parse(document, registry)


def _parse(document: Any, registry) -> Rule:
    parser = _Parser(registry)
    rule = parser.document(document)
    if parser.problems or rule is None:
        raise RuleError(parser.problems)
    return rule


def _canonical(document: Any) -> str:
    try:
        return json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise RuleError([("document", _("not JSON: %(error)s") % {"error": error})]) from None


@lru_cache(maxsize=256)
def _parse_by_language(text: str, language: str) -> Rule:
    return _parse(json.loads(text), v.ALL)


def _parse_default(text: str) -> Rule:
    # Cached per language: the problems' messages are translated.
    return _parse_by_language(text, get_language() or settings.LANGUAGE_CODE)


def problems(document: Any, registry=None) -> list[tuple[str, str]]:
    """Every problem of a document as (place, message); empty when it is a valid rule set."""
    try:
        parse(document, registry)
    except RuleError as error:
        return error.problems
    return []


def fields(document: Any) -> list[str]:
    """The variables a rule reads, sorted."""
    rule = document if isinstance(document, Rule) else parse(document)
    return list(rule.fields)


def loads(text: str) -> Any:
    """A document from JSON text, or RuleError with the line and column of a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return _raise_syntax(error)


def _raise_syntax(error: json.JSONDecodeError):
    raise RuleError(
        [
            (
                _("line %(line)s, column %(column)s") % {"line": error.lineno, "column": error.colno},
                _("not valid JSON: %(error)s") % {"error": error.msg},
            )
        ]
    )


# --- a readable rendering --------------------------------------------------------------------------

SYMBOLS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def describe(node, registry=None) -> str:
    """A check in words, in the active language: "Age ≥ 60 and Household registration … starts with “3303”"."""
    registry = registry or v.ALL
    return _describe(node, registry, top=True)


def _term(operand, registry) -> str:
    if isinstance(operand, Var):
        return str(registry[operand.name].label)
    return v.display(operand.value)


def _literal(var: Var, value, registry) -> str:
    return registry[var.name].display(value)


def _describe(node, registry, top=False) -> str:
    if isinstance(node, Const):
        return _("always") if node.value else _("never")
    if isinstance(node, Truth):
        return str(registry[node.var.name].label)
    if isinstance(node, Not):
        return _("not (%(check)s)") % {"check": _describe(node.item, registry, top=True)}
    if isinstance(node, And | Or):
        joiner = _(" and ") if isinstance(node, And) else _(" or ")
        text = joiner.join(_describe(item, registry) for item in node.items)
        return text if top or len(node.items) == 1 else f"({text})"
    if isinstance(node, Compare):
        left, right = node.left, node.right
        if isinstance(left, Lit):  # the variable first: 60 <= age reads "age ≥ 60"
            left, right, op = right, left, FLIP[node.op]
        else:
            op = node.op
        shown = _literal(left, right.value, registry) if isinstance(right, Lit) else _term(right, registry)
        return f"{_term(left, registry)} {SYMBOLS[op]} {shown}"
    if isinstance(node, InList):
        return _("%(variable)s is one of %(values)s") % {
            "variable": _term(node.var, registry),
            "values": _(", ").join(_literal(node.var, value, registry) for value in node.values) or "—",
        }
    if isinstance(node, Contains):
        return _("%(variable)s include “%(value)s”") % {
            "variable": _term(node.var, registry),
            "value": node.value,
        }
    if isinstance(node, StartsWith):
        return _("%(variable)s starts with “%(prefix)s”") % {
            "variable": _term(node.var, registry),
            "prefix": node.prefix,
        }
    raise TypeError(node)


def pick(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the active language, else in the default language, else any."""
    if not texts:
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    for candidate in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")
