"""The variables a rule may read: name, type, label, how a value is read from a record, and how a
comparison on it becomes a database condition.

A variable's name is dotted (`applicant.age`); a registry gathers the variables of one kind of
record (`CITIZEN` on `accounts.Citizen`, `ENTERPRISE` on `accounts.Enterprise`); `ALL` knows
every name, for validating documents. The models are named by label (`apps.get_model`), not
imported: the rule language stays below the apps whose records it reads.

Each variable answers three questions, which must agree (the tests check that they do):

- `from_row(row, on)` / `read(pk, on)`: its value for one record on day `on` (or `MISSING`);
- `present(on)`: the database condition "the value is known";
- `compare(op, value, on)`: the database condition "value `op` literal", for records where the
  value is known (the compiler always adds `present`, so no comparison sees a NULL).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import CharField, DecimalField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
    StartsWith,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NUMBER = "number"
STRING = "string"
BOOL = "bool"
DATE = "date"
SET = "set"  # a set of strings (tags): only "literal in variable"
TYPES = (NUMBER, STRING, BOOL, DATE, SET)

TYPE_LABELS = {
    NUMBER: _("number"),
    STRING: _("text"),
    BOOL: _("yes or no"),
    DATE: _("date"),
    SET: _("set of names"),
}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

# Real conditions, not Q(): an empty Q() vanishes when combined (Q() | x is x) and ~Q() is Q().
TRUE = Q(pk__isnull=False)
FALSE = Q(pk__isnull=True)

# comparison operator -> the lookup it compiles to
_LOOKUPS = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
_LOOKUP_CLASSES = {
    "==": Exact,
    "<": LessThan,
    "<=": LessThanOrEqual,
    ">": GreaterThan,
    ">=": GreaterThanOrEqual,
}


class CannotCompile(Exception):
    """A comparison this variable cannot turn into a database condition (the compiler reports it)."""


def normalise(value: Any, type_: str) -> Any:
    """A fact's value in the type of its variable (numbers as Decimal, dates as date, sets as
    frozenset), or MISSING when it is absent or cannot be read as that type."""
    if value is None or value is MISSING:
        return MISSING
    if type_ == NUMBER:
        if isinstance(value, bool):
            return MISSING
        if isinstance(value, Decimal):
            return value if value.is_finite() else MISSING
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value)) if math.isfinite(value) else MISSING
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except ArithmeticError:
                return MISSING
            return number if number.is_finite() else MISSING
        return MISSING
    if type_ == STRING:
        return value if isinstance(value, str) and value != "" else MISSING
    if type_ == BOOL:
        return value if isinstance(value, bool) else MISSING
    if type_ == DATE:
        if isinstance(value, datetime.datetime):
            return MISSING  # an instant is not a day: the caller says which day
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return MISSING
        return MISSING
    if type_ == SET:
        if isinstance(value, list | tuple | set | frozenset) and all(isinstance(v, str) for v in value):
            return frozenset(value)
        return MISSING
    raise ValueError(f"unknown type {type_!r}")


class Variable:
    """One fact a rule may read. Subclasses say how it is read and compiled."""

    type: str = STRING
    columns: tuple[str, ...] | None = ()  # ORM paths `from_row` reads; None: read with a query

    def __init__(
        self,
        name: str,
        label: Promise | str,
        *,
        missing: Promise | str,
        choices: Mapping[str, Promise | str] | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.missing = missing  # why a condition on it fails when it is unknown ("no … on record")
        self.choices = dict(choices) if choices else None
        self.minimum = minimum
        self.maximum = maximum

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} ({self.type})>"

    # reading one record

    def from_row(self, row: Mapping[str, Any], on: datetime.date) -> Any:
        raise NotImplementedError

    def read(self, model, pk: Any, on: datetime.date) -> Any:
        """The value for the record `pk` of `model` (variables with columns are read in bulk instead)."""
        row = model._default_manager.filter(pk=pk).values(*self.columns).first()
        return MISSING if row is None else self.from_row(row, on)

    # compiling

    def present(self, on: datetime.date) -> Q:
        raise NotImplementedError

    def compare(self, op: str, value: Any, on: datetime.date) -> Q:
        raise CannotCompile(op)

    def display(self, value: Any) -> str:
        """A literal or a value as shown in texts (a choice by its label)."""
        if self.choices and value in self.choices:
            return str(self.choices[value])
        return display(value)


def display(value: Any) -> str:
    if value is MISSING or value is None:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set | list | tuple):
        return "、".join(sorted(str(v) for v in value)) or "—"
    return str(value)


class ExactStartsWith(StartsWith):
    """A prefix, case-sensitive on every database, as Python's str.startswith.

    PostgreSQL: `LIKE 'prefix%'` (Django's startswith, escaped), which the planner estimates
    from its statistics — with `SUBSTR(code, 1, 4) = '3303'` it guessed 1 division of 13 and
    read the citizens table eleven times over (2.7 s instead of 0.3 s on a million). SQLite:
    `SUBSTR(…) = prefix`, because its LIKE ignores the case of ASCII letters."""

    def as_sqlite(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"SUBSTR({lhs_sql}, 1, %s) = %s", [*lhs_params, len(self.rhs), self.rhs]


class Column(Variable):
    """A column of the record (or of a record it points to: "household_division__code").
    NULL, and the empty string for text, mean unknown."""

    def __init__(self, name: str, label, path: str, type: str = STRING, **kwargs) -> None:
        super().__init__(name, label, **kwargs)
        self.path = path
        self.type = type
        self.columns = (path,)

    def from_row(self, row, on):
        return normalise(row[self.path], self.type)

    def present(self, on):
        known = Q(**{f"{self.path}__isnull": False})
        if self.type == STRING:
            known &= ~Q(**{self.path: ""})
        return known

    def compare(self, op, value, on):
        if op == "==":
            return Q(**{self.path: value})
        if op == "!=":
            return ~Q(**{self.path: value})
        if op in _LOOKUPS and self.type in (NUMBER, DATE):
            return Q(**{f"{self.path}__{_LOOKUPS[op]}": value})
        if op == "in":
            return Q(**{f"{self.path}__in": list(value)})
        if op == "startsWith" and self.type == STRING:
            return Q(ExactStartsWith(F(self.path), value))
        raise CannotCompile(op)


class NonEmpty(Variable):
    """Yes when a text column is filled (applicant.abroad: a country of residence abroad)."""

    type = BOOL

    def __init__(self, name: str, label, path: str, **kwargs) -> None:
        super().__init__(name, label, **kwargs)
        self.path = path
        self.columns = (path,)

    def from_row(self, row, on):
        return bool(row[self.path])

    def present(self, on):
        return TRUE

    def _filled(self) -> Q:
        return Q(**{f"{self.path}__isnull": False}) & ~Q(**{self.path: ""})

    def compare(self, op, value, on):
        if op == "==":
            return self._filled() if value else ~self._filled()
        if op == "!=":
            return ~self._filled() if value else self._filled()
        if op == "in":
            q = FALSE
            for item in set(value):
                q |= self.compare("==", item, on)
            return q
        raise CannotCompile(op)


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Completed years on day `on`. Someone born on 29 February has their birthday on 1 March in
    common years (the day after 28 February: (2, 28) < (2, 29))."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def latest_birth_at_age(years: int, on: datetime.date) -> datetime.date:
    """The last birth date of someone at least `years` old on day `on`: `age >= years` ⇔
    `birth <= this day`. On 29 February, in a common year of birth, that is 28 February."""
    year = on.year - years
    try:
        return on.replace(year=year)
    except ValueError:  # 29 February and a common year
        return datetime.date(year, 2, 28)


class Age(Variable):
    """Age in completed years on the day of the decision, from a birth-date column."""

    type = NUMBER

    def __init__(self, name: str, label, path: str = "birth_date", **kwargs) -> None:
        kwargs.setdefault("minimum", 0)
        kwargs.setdefault("maximum", 150)
        super().__init__(name, label, **kwargs)
        self.path = path
        self.columns = (path,)

    def from_row(self, row, on):
        birth = row[self.path]
        return MISSING if birth is None else Decimal(age_on(birth, on))

    def present(self, on):
        return Q(**{f"{self.path}__isnull": False})

    def _at_least(self, years: int, on) -> Q:
        return Q(**{f"{self.path}__lte": latest_birth_at_age(years, on)})

    def _under(self, years: int, on) -> Q:
        return Q(**{f"{self.path}__gt": latest_birth_at_age(years, on)})

    def compare(self, op, value, on):
        # Ages are whole numbers: `age >= 59.5` is `age >= 60`, `age == 59.5` is never true.
        if op == "in":
            q = FALSE
            for item in value:
                q |= self.compare("==", item, on)
            return q
        value = Decimal(value)
        up, down = math.ceil(value), math.floor(value)
        if op == ">=":
            return self._at_least(up, on)
        if op == ">":
            return self._at_least(down + 1, on)
        if op == "<":
            return self._under(up, on)
        if op == "<=":
            return self._under(down + 1, on)
        if op == "==":
            return self._at_least(up, on) & self._under(up + 1, on) if up == down else FALSE
        if op == "!=":
            return ~self.compare("==", value, on) if up == down else TRUE
        raise CannotCompile(op)


def _model(label: str):
    return apps.get_model(label)


class LatestYearly(Variable):
    """A yearly figure of an enterprise's profile (accounts.EnterpriseFact): the latest year's
    value known on the day (its `as_of` on or before the day)."""

    type = NUMBER
    columns = None

    def __init__(self, name: str, label, key: str, **kwargs) -> None:
        super().__init__(name, label, **kwargs)
        self.key = key

    def _facts(self, on):
        return _model("accounts.EnterpriseFact")._default_manager.filter(key=self.key, as_of__lte=on)

    def read(self, model, pk, on):
        fact = self._facts(on).filter(enterprise_id=pk).order_by("-year").values("number").first()
        return MISSING if fact is None else normalise(fact["number"], NUMBER)

    def _latest(self, on) -> Subquery:
        return Subquery(
            self._facts(on).filter(enterprise=OuterRef("pk")).order_by("-year").values("number")[:1],
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )

    def present(self, on):
        return Q(IsNull(self._latest(on), False))

    def compare(self, op, value, on):
        number = Value(value, output_field=DecimalField(max_digits=18, decimal_places=2))
        if op in _LOOKUP_CLASSES:
            return Q(_LOOKUP_CLASSES[op](self._latest(on), number))
        if op == "!=":
            return ~Q(Exact(self._latest(on), number))
        if op == "in":
            q = FALSE
            for item in value:
                q |= self.compare("==", item, on)
            return q
        raise CannotCompile(op)


class Tags(Variable):
    """The names of an enterprise's tags in force on the day (accounts.EnterpriseTag): recorded
    as of that day or before, and not expired. Never unknown: no tag is an empty set."""

    type = SET
    columns = None

    def _tags(self, on):
        return (
            _model("accounts.EnterpriseTag")
            ._default_manager.filter(as_of__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        )

    def read(self, model, pk, on):
        return frozenset(self._tags(on).filter(enterprise_id=pk).values_list("name", flat=True))

    def present(self, on):
        return TRUE

    def compare(self, op, value, on):
        if op == "contains":
            return Q(Exists(self._tags(on).filter(enterprise=OuterRef("pk"), name=value)))
        raise CannotCompile(op)


# The states of an application that is still open (eban.applications.enums.IN_PROGRESS: a test checks
# they agree): submitted, accepted, under review, waiting for a supplement, approved (the
# certificate being issued).
OPEN_APPLICATION_STATES = ("submitted", "accepted", "under_review", "supplement", "approved")
# How a case's certificate is keyed (eban.applications.queries.certificate_key).
CASE_CERTIFICATE_KEY = "application:"


class OpenApplications(Variable):
    """The codes of the matters for which the record (a citizen, or an enterprise: `applicant` is
    the field of applications.Application naming it) has an open application now. Never unknown:
    none is an empty set. Always read as it stands now, whatever the day of the decision."""

    type = SET
    columns = None

    def __init__(self, name: str, label, applicant: str = "citizen", **kwargs) -> None:
        super().__init__(name, label, **kwargs)
        self.applicant = applicant

    def _open(self):
        return _model("applications.Application")._default_manager.filter(status__in=OPEN_APPLICATION_STATES)

    def read(self, model, pk, on):
        codes = self._open().filter(**{f"{self.applicant}_id": pk}).values_list("matter__code", flat=True)
        return frozenset(codes)

    def present(self, on):
        return TRUE

    def compare(self, op, value, on):
        if op == "contains":
            return Q(Exists(self._open().filter(**{self.applicant: OuterRef("pk")}, matter__code=value)))
        raise CannotCompile(op)


class ValidCertificates(Variable):
    """The codes of the certificate types of which the record holds a certificate valid on the
    day: issued (status valid, not revoked), valid from that day or before, not expired. Held: issued
    on one of its cases (applications.Application `applicant`, the case's certificate keyed by
    its number). Never unknown: none is an empty set."""

    type = SET
    columns = None

    def __init__(self, name: str, label, applicant: str = "citizen", **kwargs) -> None:
        super().__init__(name, label, **kwargs)
        self.applicant = applicant

    def _valid(self, on):
        return (
            _model("certificates.Certificate")
            ._default_manager.filter(status="valid", valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        )

    def _case_keys(self, **applicant):
        return (
            _model("applications.Application")
            ._default_manager.filter(**applicant)
            .annotate(certificate_key=Concat(Value(CASE_CERTIFICATE_KEY), "number", output_field=CharField()))
            .values("certificate_key")
        )

    def read(self, model, pk, on):
        held = self._valid(on).filter(idempotency_key__in=self._case_keys(**{f"{self.applicant}_id": pk}))
        return frozenset(held.values_list("type__code", flat=True))

    def present(self, on):
        return TRUE

    def compare(self, op, value, on):
        if op == "contains":
            keys = self._case_keys(**{self.applicant: OuterRef(OuterRef("pk"))})
            cases = self._valid(on).filter(type__code=value, idempotency_key__in=keys)
            return Q(Exists(cases))
        raise CannotCompile(op)


class Registry(Mapping):
    """The variables of one kind of record (`model`: an app label such as "accounts.Citizen"),
    or of several (model None: validation only)."""

    def __init__(self, model: str | None, variables: list[Variable], *, noun: Promise | str = "") -> None:
        self.model_label = model
        self.noun = noun
        self._variables = {v.name: v for v in variables}

    def __getitem__(self, name: str) -> Variable:
        return self._variables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)

    @property
    def model(self):
        if self.model_label is None:
            raise ValueError("this registry is not about one kind of record")
        return _model(self.model_label)

    def __or__(self, other: Registry) -> Registry:
        return Registry(None, [*self.values(), *other.values()])


SEX_CHOICES = {"male": _("Male"), "female": _("Female")}

CITIZEN = Registry(
    "accounts.Citizen",
    [
        Age("applicant.age", _("Age"), "birth_date", missing=_("no date of birth on record")),
        Column(
            "applicant.household_division",
            _("Household registration (division code)"),
            "household_division__code",
            missing=_("no household registration on record"),
        ),
        Column("applicant.sex", _("Sex"), "sex", choices=SEX_CHOICES, missing=_("no sex on record")),
        NonEmpty(
            "applicant.abroad",
            _("Lives abroad"),
            "abroad_country",
            missing=_("residence abroad not known"),
        ),
        ValidCertificates(
            "applicant.valid_certificates",
            _("Valid certificates held (certificate type codes)"),
            missing=_("certificates held not known"),
        ),
        OpenApplications(
            "applicant.open_applications",
            _("Open applications (matter codes)"),
            missing=_("open applications not known"),
        ),
    ],
    noun=_("citizens"),
)

ENTERPRISE = Registry(
    "accounts.Enterprise",
    [
        Column(
            "enterprise.industry_code",
            _("Industry (GB/T 4754 code)"),
            "industry_code",
            missing=_("no industry on record"),
        ),
        Column(
            "enterprise.division",
            _("Division of registration (code)"),
            "division__code",
            missing=_("no division on record"),
        ),
        Column(
            "enterprise.registered_capital",
            _("Registered capital (10,000 CNY)"),
            "registered_capital",
            type=NUMBER,
            missing=_("no registered capital on record"),
        ),
        Column(
            "enterprise.founded_on",
            _("Founded on"),
            "founded_on",
            type=DATE,
            missing=_("no founding date on record"),
        ),
        LatestYearly(
            "enterprise.employees",
            _("Employees (latest year)"),
            "employees",
            missing=_("no employee count on record"),
        ),
        LatestYearly(
            "enterprise.revenue",
            _("Revenue (10,000 CNY, latest year)"),
            "revenue",
            missing=_("no revenue on record"),
        ),
        LatestYearly(
            "enterprise.tax",
            _("Tax paid (10,000 CNY, latest year)"),
            "tax",
            missing=_("no tax figure on record"),
        ),
        Tags("enterprise.tags", _("Tags"), missing=_("tags not known")),
        ValidCertificates(
            "enterprise.valid_certificates",
            _("Valid certificates held (certificate type codes)"),
            applicant="enterprise",
            missing=_("certificates held not known"),
        ),
        OpenApplications(
            "enterprise.open_applications",
            _("Open applications (matter codes)"),
            applicant="enterprise",
            missing=_("open applications not known"),
        ),
    ],
    noun=_("enterprises"),
)

ALL = CITIZEN | ENTERPRISE


# --- facts of records ----------------------------------------------------------------------------


def _pick(registry: Registry, names) -> list[Variable]:
    wanted = registry.keys() if names is None else [n for n in names if n in registry]
    return [registry[name] for name in wanted]


def _row_facts(variables: list[Variable], row: Mapping[str, Any], on) -> dict[str, Any]:
    facts = {}
    for variable in variables:
        value = variable.from_row(row, on)
        if value is not MISSING:
            facts[variable.name] = value
    return facts


def facts_for(record: Any, registry: Registry = CITIZEN, *, on: datetime.date | None = None, names=None):
    """The facts of one record (an instance or a primary key) that the registry's variables read,
    as of day `on` (today by default): {name: value}, unknown values left out.
    `names` limits them to the variables a rule reads (`language.fields(rule)`)."""
    on = on or timezone.localdate()
    model = registry.model
    pk = getattr(record, "pk", record)
    variables = _pick(registry, names)
    columns = sorted({c for v in variables if v.columns for c in v.columns})
    facts: dict[str, Any] = {}
    if columns:
        row = model._default_manager.filter(pk=pk).values(*columns).first()
        if row is not None:
            facts.update(_row_facts([v for v in variables if v.columns], row, on))
    for variable in variables:
        if variable.columns is None:
            value = variable.read(model, pk, on)
            if value is not MISSING:
                facts[variable.name] = value
    return facts


def iter_facts(queryset, registry: Registry = CITIZEN, *, on: datetime.date | None = None, names=None,
               chunk_size: int = 5000) -> Iterator[tuple[Any, dict[str, Any]]]:  # fmt: skip
    """(pk, facts) for each record of `queryset`, read in one streamed query (plus one per record
    for variables read with their own query: tags, yearly figures)."""
    on = on or timezone.localdate()
    variables = _pick(registry, names)
    by_row = [v for v in variables if v.columns]
    by_query = [v for v in variables if v.columns is None]
    columns = sorted({c for v in by_row for c in v.columns})
    model = queryset.model
    for row in queryset.values("pk", *columns).iterator(chunk_size=chunk_size):
        facts = _row_facts(by_row, row, on)
        for variable in by_query:
            value = variable.read(model, row["pk"], on)
            if value is not MISSING:
                facts[variable.name] = value
        yield row["pk"], facts
