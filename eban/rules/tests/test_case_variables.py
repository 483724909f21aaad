"""The variables that say what an applicant already has: `*.valid_certificates` (the certificate
types held valid on the day, issued on the applicant's cases) and `*.open_applications` (the
matters with an open case). Read for one record and compiled to a query, they agree."""

from __future__ import annotations

import datetime

import pytest

from eban.accounts.models import Citizen, Enterprise
from eban.accounts.tests import factories
from eban.applications.enums import IN_PROGRESS, Status
from eban.applications.models import Application
from eban.catalogue.testing import make_department, make_division, make_matter
from eban.certificates.models import Certificate, CertificateType
from eban.rules.compile import to_q
from eban.rules.variables import CITIZEN, ENTERPRISE, OPEN_APPLICATION_STATES, facts_for

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)
SENIOR = "330300-MZ-0001"


def test_the_rules_open_states_are_the_applications_ones():
    assert set(OPEN_APPLICATION_STATES) == {str(s) for s in IN_PROGRESS}


@pytest.fixture
def world():
    city = make_division("330300", "温州市")
    factories.division("330302")
    department = make_department("330300-MZ", "温州市民政局", division=city)
    senior = make_matter(department=department, code=SENIOR, name="老年人优待证申领")
    other = make_matter(department=department, code="330300-MZ-0002", name="其他事项")
    card = CertificateType.objects.create(
        code="senior_card", name="老年人优待证", number_prefix="LNYD", department=department
    )
    proof = CertificateType.objects.create(
        code="proof", name="证明", number_prefix="ZM", department=department
    )
    people = [factories.citizen(name, household_division_code="330302") for name in "甲乙丙丁戊己庚辛壬"]
    seq = iter(range(1, 1000))

    def case(person, matter, status, *, enterprise=None):
        n = next(seq)
        return Application.objects.create(
            number=f"N{n:06d}",
            matter=matter,
            department=department,
            division=city,
            citizen=None if enterprise else person,
            enterprise=enterprise,
            channel="online",
            status=status,
            submitted_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
        )

    def certificate(application, type_, status="valid", valid_from=DAY, valid_until=None):
        return Certificate.objects.create(
            number=f"C-{application.number}",
            type=type_,
            holder_name="x",
            issuer=department,
            valid_from=valid_from,
            valid_until=valid_until,
            status=status,
            idempotency_key=f"application:{application.number}",
        )

    certificate(case(people[0], senior, Status.COMPLETED), card)  # holds a card
    certificate(case(people[1], senior, Status.COMPLETED), card, status="revoked")
    certificate(
        case(people[2], senior, Status.COMPLETED),
        card,
        valid_from=DAY - datetime.timedelta(days=30),
        valid_until=DAY - datetime.timedelta(days=1),
    )
    certificate(case(people[3], senior, Status.COMPLETED), card, valid_from=DAY + datetime.timedelta(days=1))
    certificate(case(people[4], other, Status.COMPLETED), proof)  # another type
    case(people[5], senior, Status.SUBMITTED)  # open
    case(people[6], senior, Status.REJECTED)  # decided: not open
    case(people[7], other, Status.APPROVED)  # open, another matter
    certificate(case(people[8], senior, Status.APPROVED), card, status="issuing")  # open, card not yet issued
    firm = Enterprise.objects.create(
        credit_code=factories.credit_code(), name="某公司", legal_representative=people[0]
    )
    certificate(case(None, other, Status.COMPLETED, enterprise=firm), proof)
    case(None, senior, Status.UNDER_REVIEW, enterprise=firm)
    return people, firm


def rule(variable: str, value: str, *, negate: bool = False) -> dict:
    check = {"in": [value, {"var": variable}]}
    return {
        "conditions": [
            {"key": "c", "check": {"not": check} if negate else check, "label": {"zh-hans": "条件"}}
        ]
    }


def compiled(model, registry, document) -> set[int]:
    return set(model.objects.filter(to_q(document, registry, on=DAY)).values_list("pk", flat=True))


def read(model, registry, document) -> set[int]:
    from eban.rules.evaluate import passes

    return {
        pk
        for pk in model.objects.values_list("pk", flat=True)
        if passes(document, facts_for(pk, registry, on=DAY))
    }


def test_what_each_citizen_holds_and_has_open(world):
    people, _firm = world
    facts = {i: facts_for(p, CITIZEN, on=DAY) for i, p in enumerate(people)}
    assert facts[0]["applicant.valid_certificates"] == {"senior_card"}
    assert [facts[i]["applicant.valid_certificates"] for i in (1, 2, 3, 5, 8)] == [frozenset()] * 5
    assert facts[4]["applicant.valid_certificates"] == {"proof"}
    assert facts[5]["applicant.open_applications"] == {SENIOR}
    assert facts[6]["applicant.open_applications"] == frozenset()
    assert facts[7]["applicant.open_applications"] == {"330300-MZ-0002"}
    assert facts[8]["applicant.open_applications"] == {SENIOR}


@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize(
    "variable,value",
    [
        ("applicant.valid_certificates", "senior_card"),
        ("applicant.valid_certificates", "proof"),
        ("applicant.open_applications", SENIOR),
        ("applicant.open_applications", "330300-MZ-0002"),
    ],
)
def test_citizen_variables_compile_to_what_they_read(world, variable, value, negate):
    document = rule(variable, value, negate=negate)
    assert compiled(Citizen, CITIZEN, document) == read(Citizen, CITIZEN, document)


@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize(
    "variable,value",
    [("enterprise.valid_certificates", "proof"), ("enterprise.open_applications", SENIOR)],
)
def test_enterprise_variables_compile_to_what_they_read(world, variable, value, negate):
    _people, firm = world
    document = rule(variable, value, negate=negate)
    expected = set() if negate else {firm.pk}
    assert compiled(Enterprise, ENTERPRISE, document) == read(Enterprise, ENTERPRISE, document) == expected
