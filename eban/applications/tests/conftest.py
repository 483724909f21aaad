"""Fixtures for the workflow tests: a clock that can be set, a department with a review matter,
an applicant with an account, reviewers and administrators (of this department and another)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


class Clock:
    """`timezone.now()` as the test sets it (Beijing time); the real time until set."""

    def __init__(self, real) -> None:
        self.real = real
        self.at: datetime.datetime | None = None

    def set(self, value: str | datetime.datetime | datetime.date) -> datetime.datetime:
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(
                value if "T" in value or " " in value else f"{value}T10:00"
            )
        elif not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time(10, 0))
        if value.tzinfo is None:
            value = value.replace(tzinfo=SHANGHAI)
        self.at = value
        return value

    def __call__(self) -> datetime.datetime:
        return self.at if self.at is not None else self.real()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _notifications_are_created(caplog):
    """Fail a test whose steps could not create a notification (actions log it and go on)."""
    yield
    failed = [
        r.getMessage()
        for r in caplog.records
        if r.name == "eban.applications.notify" and r.levelname == "ERROR"
    ]
    assert not failed, failed


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(timezone.now)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def city(db):
    from eban.catalogue.testing import make_division
    from eban.government.models import DivisionLevel

    return make_division("330300", "温州市", DivisionLevel.CITY)


@pytest.fixture
def county(city):
    from eban.catalogue.testing import make_division
    from eban.government.models import DivisionLevel

    return make_division("330302", "鹿城区", DivisionLevel.COUNTY, parent=city)


@pytest.fixture
def other_county(city):
    from eban.catalogue.testing import make_division
    from eban.government.models import DivisionLevel

    return make_division("330304", "瓯海区", DivisionLevel.COUNTY, parent=city)


@pytest.fixture
def department(city):
    from eban.catalogue.testing import make_department

    return make_department("330300-MZ", "温州市民政局", division=city)


@pytest.fixture
def other_department(city):
    from eban.catalogue.testing import make_department

    return make_department("330300-RS", "温州市人力资源和社会保障局", division=city)


def review_matter(department, **fields):
    from eban.catalogue.testing import make_matter

    fields.setdefault("name", "社会团体成立登记")
    fields.setdefault("category", "approval")
    fields.setdefault("on_the_spot", False)
    fields.setdefault("statutory_days", 20)
    fields.setdefault("promised_days", 10)
    fields.setdefault("channel_window", True)
    return make_matter(department=department, **fields)


@pytest.fixture
def matter(department):
    return review_matter(department)


@pytest.fixture
def applicant(county):
    from eban.accounts import actions
    from eban.accounts.tests.factories import citizen

    person = citizen("李四", household_division_code="330302")
    actions.account_for(person)
    return person


@pytest.fixture
def stranger(county):
    from eban.accounts import actions
    from eban.accounts.tests.factories import citizen

    person = citizen("王五", household_division_code="330302")
    actions.account_for(person)
    return person


def staff(name, department, *roles, divisions=()):
    from eban.accounts.testing import make_staff

    return make_staff(name, department=department, divisions=divisions, roles=roles)


@pytest.fixture
def reviewer(department):
    from eban.accounts.enums import StaffRole

    return staff("reviewer-a", department, StaffRole.REVIEWER)


@pytest.fixture
def second_reviewer(department):
    from eban.accounts.enums import StaffRole

    return staff("reviewer-b", department, StaffRole.REVIEWER)


@pytest.fixture
def dept_admin(department):
    from eban.accounts.enums import StaffRole

    return staff("dept-admin", department, StaffRole.DEPARTMENT_ADMIN)


@pytest.fixture
def outsider(other_department):
    """A reviewer of another department."""
    from eban.accounts.enums import StaffRole

    return staff("reviewer-other", other_department, StaffRole.REVIEWER)


def acting(citizen):
    from eban.accounts.grants.acting import act_for

    return act_for(citizen.user)


def another_applicant(name: str = "赵六"):
    """One more citizen with an account (an applicant has one open case per matter)."""
    from eban.accounts import actions
    from eban.accounts.tests.factories import citizen

    person = citizen(name, household_division_code="330302")
    actions.account_for(person)
    return person


def submit(matter, citizen, **kwargs):
    from eban.applications import actions

    kwargs.setdefault("channel", "online")
    return actions.submit_application(matter, acting(citizen), **kwargs)


@pytest.fixture
def case(matter, applicant, clock):
    """A case submitted on Tuesday 2025-09-23 at 10:00."""
    clock.set("2025-09-23")
    return submit(matter, applicant)
