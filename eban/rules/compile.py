"""A rule turned into a database condition: "who qualifies" asked of a whole table at once.

    Citizen.objects.filter(to_q(rule_set.rule, CITIZEN, on=day))

returns exactly the citizens for whom `evaluate(rule, facts_for(citizen, on=day))` passes (a
property test checks it on SQLite and PostgreSQL). The same semantics as the evaluator:

- a condition fails when a variable it reads is unknown: each condition is
  `present(every variable it reads) AND its check`, so no comparison ever meets a NULL and
  SQL's three-valued logic never differs from Python's two;
- "all" joins the conditions with AND, "any" with OR.

What cannot be compiled raises CompileError (a DomainError), never a wrong query: comparing two
variables, or a variable that the registry of this kind of record does not have (an
`enterprise.*` rule on citizens).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from . import language as lang
from . import variables as v


class CompileError(DomainError):
    code = "rule_not_compilable"


def to_q(rule, variables: v.Registry = v.CITIZEN, on: datetime.date | None = None) -> Q:
    """The condition on `variables.model` that keeps the records for which the rule passes on day `on`."""
    on = on or timezone.localdate()
    parsed = rule if isinstance(rule, lang.Rule) else lang.parse(rule)
    foreign = [name for name in parsed.fields if name not in variables]
    if foreign:
        raise CompileError(
            _("This rule reads %(names)s, which %(records)s do not have.")
            % {"names": ", ".join(foreign), "records": variables.noun or variables.model_label}
        )
    q = None
    for i, condition in enumerate(parsed.conditions):
        where = f"conditions[{i}].check"
        part = _node(condition.check, variables, on, where)
        for name in condition.fields:
            part = variables[name].present(on) & part
        if q is None:
            q = part
        else:
            q = (q & part) if parsed.combine == "all" else (q | part)
    return q


def _refuse(where: str, message: str) -> CompileError:
    return CompileError(f"{where}: {message}")


def _compare(variable: v.Variable, op: str, value, on, where: str) -> Q:
    try:
        return variable.compare(op, value, on)
    except v.CannotCompile:
        raise _refuse(
            where,
            _("'%(op)s' on '%(name)s' cannot be compiled to a query") % {"op": op, "name": variable.name},
        ) from None


def _node(node, variables: v.Registry, on, where: str) -> Q:
    if isinstance(node, lang.Const):
        return v.TRUE if node.value else v.FALSE
    if isinstance(node, lang.And | lang.Or):
        q = None
        for item in node.items:
            part = _node(item, variables, on, where)
            q = part if q is None else ((q & part) if isinstance(node, lang.And) else (q | part))
        return q
    if isinstance(node, lang.Not):
        return ~_node(node.item, variables, on, where)
    if isinstance(node, lang.Truth):
        return _compare(variables[node.var.name], "==", True, on, where)
    if isinstance(node, lang.Compare):
        left, right, op = node.left, node.right, node.op
        if isinstance(left, lang.Var) and isinstance(right, lang.Var):
            raise _refuse(
                where,
                _("comparing two variables (%(left)s, %(right)s) cannot be compiled to a query")
                % {"left": left.name, "right": right.name},
            )
        if isinstance(left, lang.Lit):  # 60 <= age is age >= 60
            left, right, op = right, left, lang.FLIP[op]
        return _compare(variables[left.name], op, _db_value(right.value), on, where)
    if isinstance(node, lang.InList):
        return _compare(variables[node.var.name], "in", [_db_value(x) for x in node.values], on, where)
    if isinstance(node, lang.StartsWith):
        return _compare(variables[node.var.name], "startsWith", node.prefix, on, where)
    if isinstance(node, lang.Contains):
        return _compare(variables[node.var.name], "contains", node.value, on, where)
    raise TypeError(node)


def _db_value(value):
    # Whole numbers as int (an integer column compared with a Decimal is fine, but ints read better
    # in the SQL); others stay Decimal, dates stay dates.
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value
