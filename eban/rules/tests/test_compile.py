"""A rule compiled to a query keeps exactly the records for which the rule passes in Python.

Property test: a few hundred citizens (random birth dates, many on the edges of ages — 28 and
29 February, the reference day itself —, divisions, sex, abroad or not) and a few hundred random
rules from a small grammar, on several reference days (one a 29 February): the query's set must
equal Python's. Runs on SQLite and, with DATABASE_URL, PostgreSQL.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import translation

from eban.accounts.identity.idnumbers import check_character as id_check_character
from eban.accounts.models import Citizen, Enterprise, EnterpriseFact, EnterpriseTag
from eban.accounts.tests import factories
from eban.government.models import Division, DivisionLevel
from eban.rules import language
from eban.rules.compile import CompileError, to_q
from eban.rules.evaluate import passes
from eban.rules.samples import SENIOR_CARD_RULE
from eban.rules.variables import CITIZEN, ENTERPRISE, facts_for, iter_facts

pytestmark = pytest.mark.django_db

SEED = 20240229
DAYS = [
    datetime.date(2024, 2, 29),
    datetime.date(2023, 2, 28),
    datetime.date(2023, 3, 1),
    datetime.date(2025, 6, 15),
]
CODES = ["330302", "330303", "330381", "330302001", "330300", "330102", "310101", "133030"]
PREFIXES = ["3", "33", "3303", "330302", "330381", "31", "330302001", "1330"]
LABEL = {"zh-hans": "条件"}


@pytest.fixture
def divisions():
    return [
        Division.objects.create(code=code, name=f"区划{code}", level=DivisionLevel.COUNTY) for code in CODES
    ]


def _birth(rng: random.Random) -> datetime.date:
    if rng.random() < 0.4:
        return datetime.date(rng.randint(1920, 2024), 1, 1) + datetime.timedelta(days=rng.randint(0, 365))
    day = rng.choice(DAYS)
    year = day.year - rng.randint(0, 100)
    month, dom = rng.choice([(2, 28), (2, 29), (3, 1), (day.month, day.day), (day.month, day.day)])
    try:
        birth = datetime.date(year, month, dom)
    except ValueError:
        birth = datetime.date(year, 2, 28)
    return birth + datetime.timedelta(days=rng.choice([-1, 0, 0, 0, 1]))


def unique_id_number(i: int, male: bool) -> str:
    first17 = (
        f"330302{datetime.date(1950, 1, 1) + datetime.timedelta(days=i):%Y%m%d}{10 + 2 * (i % 40) + male:03d}"
    )
    return first17 + id_check_character(first17)


@pytest.fixture
def citizens(divisions):
    rng = random.Random(SEED)
    people = []
    for i in range(300):
        birth = _birth(rng)
        male = rng.random() < 0.5
        people.append(
            Citizen(
                name=f"样本{i}",
                id_number=unique_id_number(i, male),
                birth_date=birth,
                sex=rng.choice(["male", "female", "male", "female", ""]),
                household_division=rng.choice([*divisions, None]),
                abroad_country=rng.choice(["", "", "", "IT", "US"]),
                is_sample=True,
            )
        )
    return Citizen.objects.bulk_create(people)


# --- a small grammar of random checks --------------------------------------------------------------

AGE, DIVISION, SEX, ABROAD = (
    {"var": "applicant.age"},
    {"var": "applicant.household_division"},
    {"var": "applicant.sex"},
    {"var": "applicant.abroad"},
)
COMPARISONS = ["==", "!=", "<", "<=", ">", ">="]


def _age_value(rng):
    return (
        rng.choice([0, 1, 18, 59, 60, 61, 65, 99, 100, 150])
        if rng.random() < 0.7
        else rng.randint(0, 100) + 0.5
    )


def atom(rng: random.Random):
    kind = rng.randrange(11)
    if kind == 0:
        op = rng.choice(COMPARISONS)
        return {op: [AGE, _age_value(rng)]} if rng.random() < 0.7 else {op: [_age_value(rng), AGE]}
    if kind == 1:
        low, high = sorted([rng.randint(0, 100), rng.randint(0, 100)])
        return {rng.choice(["<", "<="]): [low, AGE, high]}
    if kind == 2:
        return {"in": [AGE, [rng.randint(55, 65) for _ in range(rng.randint(0, 3))]]}
    if kind == 3:
        return {"startsWith": [DIVISION, rng.choice(PREFIXES)]}
    if kind == 4:
        return {rng.choice(["==", "!="]): [DIVISION, rng.choice(CODES)]}
    if kind == 5:
        return {"in": [DIVISION, rng.sample(CODES, rng.randint(0, 3))]}
    if kind == 6:
        return {rng.choice(["==", "!="]): [SEX, rng.choice(["male", "female"])]}
    if kind == 7:
        return {"in": [SEX, rng.sample(["male", "female"], rng.randint(0, 2))]}
    if kind == 8:
        return ABROAD if rng.random() < 0.5 else {rng.choice(["==", "!="]): [ABROAD, rng.random() < 0.5]}
    if kind == 9:
        return {"in": [ABROAD, rng.sample([True, False], rng.randint(0, 2))]}
    return rng.random() < 0.5


def check(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth >= 3 or roll < 0.45:
        return atom(rng)
    if roll < 0.65:
        return {"not": check(rng, depth + 1)}
    return {rng.choice(["and", "or"]): [check(rng, depth + 1) for _ in range(rng.randint(1, 3))]}


def random_rule(rng: random.Random) -> dict:
    return {
        "combine": rng.choice(["all", "any"]),
        "conditions": [
            {"key": f"c{i}", "check": check(rng), "label": LABEL} for i in range(rng.randint(1, 3))
        ],
    }


def python_set(rule, facts_by_pk) -> set[int]:
    parsed = language.parse(rule)
    return {pk for pk, facts in facts_by_pk.items() if passes(parsed, facts)}


def query_set(rule, day) -> set[int]:
    return set(Citizen.objects.filter(to_q(rule, CITIZEN, on=day)).values_list("pk", flat=True))


def test_the_query_returns_exactly_the_citizens_for_whom_the_rule_passes(citizens):
    rng = random.Random(SEED)
    checked = 0
    for day in DAYS:
        facts_by_pk = dict(iter_facts(Citizen.objects.all(), CITIZEN, on=day))
        assert len(facts_by_pk) == 300
        for _ in range(60):
            rule = random_rule(rng)
            expected = python_set(rule, facts_by_pk)
            assert query_set(rule, day) == expected, (day, rule)
            checked += 1
    assert checked == 240


def test_the_sample_rule_compiles_to_the_same_set(citizens):
    for day in DAYS:
        facts_by_pk = dict(iter_facts(Citizen.objects.all(), CITIZEN, on=day))
        expected = python_set(SENIOR_CARD_RULE, facts_by_pk)
        assert expected, "the sample data should hold some qualifiers"
        assert query_set(SENIOR_CARD_RULE, day) == expected


def test_facts_of_one_citizen_match_the_streamed_facts(citizens):
    day = DAYS[0]
    streamed = dict(iter_facts(Citizen.objects.all(), CITIZEN, on=day))
    for citizen in citizens[:20]:
        assert facts_for(citizen, CITIZEN, on=day) == streamed[citizen.pk]


def test_an_unknown_household_registration_is_left_out_of_the_facts(divisions):
    person = factories.citizen("王五", birth=datetime.date(1960, 5, 1))
    facts = facts_for(person, CITIZEN, on=datetime.date(2024, 5, 1))
    assert facts == {
        "applicant.age": Decimal(64),
        "applicant.sex": "male",
        "applicant.abroad": False,
        "applicant.valid_certificates": frozenset(),
        "applicant.open_applications": frozenset(),
    }


def test_a_birthday_on_the_reference_day_counts(divisions):
    lucheng = divisions[0]
    person = factories.citizen("赵六", birth=datetime.date(1964, 2, 29), household_division_code=lucheng.code)
    rule = SENIOR_CARD_RULE
    assert not Citizen.objects.filter(to_q(rule, on=datetime.date(2024, 2, 28)), pk=person.pk).exists()
    assert Citizen.objects.filter(to_q(rule, on=datetime.date(2024, 2, 29)), pk=person.pk).exists()


def test_comparing_two_variables_is_refused_by_the_compiler():
    rule = {"conditions": [{"key": "a", "check": {"==": [{"var": "applicant.sex"}, {"var": "applicant.household_division"}]},
                            "label": LABEL}]}  # fmt: skip
    with translation.override("en"), pytest.raises(CompileError, match="comparing two variables"):
        to_q(rule, CITIZEN)


def test_enterprise_variables_cannot_be_compiled_on_citizens():
    rule = {
        "conditions": [{"key": "a", "check": {">": [{"var": "enterprise.employees"}, 10]}, "label": LABEL}]
    }
    with pytest.raises(CompileError, match="enterprise.employees"):
        to_q(rule, CITIZEN)


# --- enterprises ---------------------------------------------------------------------------------

ENTERPRISE_RULES = [
    {">=": [{"var": "enterprise.registered_capital"}, 100]},
    {"<": [{"var": "enterprise.registered_capital"}, 100.5]},
    {"<": [{"var": "enterprise.founded_on"}, "2020-01-01"]},
    {">=": [{"var": "enterprise.employees"}, 50]},
    {"!=": [{"var": "enterprise.employees"}, 10]},
    {"in": ["高新技术企业", {"var": "enterprise.tags"}]},
    {"not": {"in": ["专精特新", {"var": "enterprise.tags"}]}},
    {"startsWith": [{"var": "enterprise.industry_code"}, "C39"]},
    {"startsWith": [{"var": "enterprise.industry_code"}, "c39"]},  # case matters, on SQLite too
    {"and": [{"startsWith": [{"var": "enterprise.division"}, "3303"]}, {"<=": [10, {"var": "enterprise.revenue"}, 500]}]},
]  # fmt: skip


@pytest.fixture
def enterprises(divisions):
    rng = random.Random(SEED)
    today = datetime.date(2025, 6, 15)
    made = []
    for i in range(40):
        enterprise = Enterprise.objects.create(
            credit_code=factories.credit_code(),
            name=f"样本企业{i}",
            industry_code=rng.choice(["", "C3911", "C3912", "I6510", "c3911"]),
            division=rng.choice([*divisions, None]),
            registered_capital=rng.choice([None, Decimal("50"), Decimal("100"), Decimal("100.50"), Decimal("3000")]),
            founded_on=rng.choice([None, datetime.date(2015, 3, 1), datetime.date(2020, 1, 1), datetime.date(2022, 7, 1)]),
        )  # fmt: skip
        for year in rng.sample([2022, 2023, 2024], rng.randint(0, 3)):
            for key in ("employees", "revenue"):
                EnterpriseFact.objects.create(
                    enterprise=enterprise,
                    key=key,
                    year=year,
                    number=Decimal(rng.choice([5, 10, 50, 120, 600])),
                    source="样本",
                    as_of=datetime.date(year + 1, 3, 31) if rng.random() < 0.8 else today + datetime.timedelta(days=30),
                )  # fmt: skip
        for name in rng.sample(["高新技术企业", "专精特新"], rng.randint(0, 2)):
            EnterpriseTag.objects.create(
                enterprise=enterprise,
                name=name,
                source="样本",
                as_of=datetime.date(2023, 1, 1),
                valid_until=rng.choice([None, datetime.date(2024, 12, 31)]),
            )
        made.append(enterprise)
    return made


@pytest.mark.parametrize("check", ENTERPRISE_RULES)
def test_enterprise_rules_compile_to_the_same_set(enterprises, check):
    rule = {"conditions": [{"key": "a", "check": check, "label": LABEL}]}
    for day in (datetime.date(2024, 6, 1), datetime.date(2025, 6, 15)):
        expected = {e.pk for e in enterprises if passes(rule, facts_for(e, ENTERPRISE, on=day))}
        found = set(Enterprise.objects.filter(to_q(rule, ENTERPRISE, on=day)).values_list("pk", flat=True))
        assert found == expected, (day, check)
