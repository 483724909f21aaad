"""The periodic sweep: overdue cases escalated once to the department's administrators; deadlines
that could not be worked out at acceptance filled in once the calendar year is loaded."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from eban.applications import actions, tasks
from eban.applications.enums import Status
from eban.applications.models import Application, MatterSetup
from eban.notifications.models import Message

from .conftest import acting, submit

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


@pytest.fixture
def overdue(case, reviewer, clock):
    """Accepted Tuesday 2025-09-23 (promised 10 working days: due 2025-10-13, over National Day
    with its make-up Sunday 28 September and Saturday 11 October)."""
    clock.set("2025-09-23T11:00")
    case = actions.accept(case, actor=reviewer)
    assert case.promised_due == D("2025-10-13")
    return case


def test_an_overdue_case_is_escalated_and_the_department_admins_told(overdue, dept_admin, clock):
    clock.set("2025-10-14T08:00")
    result = tasks.sweep()
    assert result["escalated"] == 1
    overdue.refresh_from_db()
    assert overdue.escalated_at == clock.at
    event = overdue.events.get(kind="escalated")
    assert event.data["due"] == "2025-10-13" and event.data["working_days_late"] == 1
    message = Message.objects.get(template_code="case.escalated", recipient_user=dept_admin)
    assert message.reference == overdue.number
    assert overdue.number in message.body


def test_escalation_does_not_bump_the_version(overdue, dept_admin, clock):
    clock.set("2025-10-14")
    tasks.sweep()
    overdue.refresh_from_db()
    assert overdue.version == 1  # a reviewer's open page stays valid


def test_a_case_is_escalated_once(overdue, dept_admin, clock):
    clock.set("2025-10-14")
    tasks.sweep()
    clock.set("2025-10-15")
    assert tasks.sweep()["escalated"] == 0
    assert Message.objects.filter(template_code="case.escalated").count() == 1
    assert overdue.events.filter(kind="escalated").count() == 1


def test_a_case_due_today_is_not_overdue(overdue, dept_admin, clock):
    clock.set("2025-10-13T23:00")
    assert tasks.sweep()["escalated"] == 0


def test_a_case_waiting_for_a_supplement_is_not_escalated(overdue, reviewer, dept_admin, clock):
    clock.set("2025-10-09")
    actions.request_supplement(overdue, actor=reviewer, items="请补充材料")
    clock.set("2025-10-30")
    assert tasks.sweep()["escalated"] == 0


def test_a_completed_case_is_not_escalated(overdue, reviewer, dept_admin, clock):
    actions.complete(actions.approve(overdue, actor=reviewer), actor=reviewer)
    clock.set("2025-10-30")
    assert tasks.sweep()["escalated"] == 0


def test_a_case_left_unaccepted_past_the_acceptance_limit_is_escalated(case, dept_admin, clock):
    # Submitted 2025-09-23: to be accepted within 5 working days, by 2025-09-29 (28th worked).
    clock.set("2025-09-29")
    assert tasks.sweep()["escalated"] == 0
    clock.set("2025-09-30")
    assert tasks.sweep()["escalated"] == 1


def test_only_the_cases_departments_admins_are_told(overdue, dept_admin, other_department, clock):
    from eban.accounts.enums import StaffRole

    from .conftest import staff

    other_admin = staff("admin-other", other_department, StaffRole.DEPARTMENT_ADMIN)
    clock.set("2025-10-14")
    tasks.sweep()
    assert Message.objects.filter(template_code="case.escalated", recipient_user=other_admin).count() == 0


def test_the_command_enqueues_the_sweep(overdue, dept_admin, clock):
    clock.set("2025-10-14")
    out = StringIO()
    call_command("escalate_overdue", stdout=out)  # the test settings run tasks at once
    assert "enqueued" in out.getvalue()
    overdue.refresh_from_db()
    assert overdue.escalated_at is not None


def test_the_command_runs_the_sweep_now_for_a_given_day(overdue, dept_admin):
    out = StringIO()
    call_command("escalate_overdue", "--now", "--date", "2025-10-14", stdout=out)
    assert out.getvalue().startswith("1 cases escalated")


def test_deadlines_pending_a_calendar_year_are_filled_in_once_it_is_loaded(
    matter, applicant, reviewer, clock, csv_2027
):
    from eban.workdays import actions as workday_actions

    clock.set("2026-12-21")
    case = actions.accept(submit(matter, applicant), actor=reviewer)
    assert case.promised_due is None
    assert tasks.sweep()["deadlines_filled"] == 0
    workday_actions.load_calendar_file(csv_2027, actor=None)
    assert tasks.sweep()["deadlines_filled"] == 1
    case.refresh_from_db()
    assert case.promised_due == D("2027-01-05")  # 22–25, 28–31 December, (1 January off), 4, 5 January
    assert case.events.last().kind == "deadlines_set"
    assert Application.objects.get(pk=case.pk).version == case.version


@pytest.fixture
def csv_2027():
    from eban.workdays.tests.conftest import TEST_2027_CSV

    return TEST_2027_CSV.encode()


def test_an_instant_application_left_undecided_is_decided_by_the_sweep(matter, applicant, clock):
    """The server was killed between making the case and deciding it: the case stays `submitted`
    until the sweep decides it by the rules, as it issues certificates left at issuing."""
    from eban.rules.samples import SENIOR_CARD, ensure_sample_rules

    ensure_sample_rules()
    MatterSetup.objects.create(matter=matter, instant=True, rule_code=SENIOR_CARD)
    clock.set("2025-09-23T10:00")
    case = submit(matter, applicant)  # made; the instant decision never ran
    assert case.status == Status.SUBMITTED
    clock.set("2025-09-23T10:01")
    assert tasks.sweep()["instant_decided"] == 0  # perhaps still being decided by its request
    clock.set("2025-09-23T10:10")
    assert tasks.sweep()["instant_decided"] == 1
    case.refresh_from_db()
    assert case.decision.by_rules and case.decision.rule_code == SENIOR_CARD
    assert case.status == Status.COMPLETED and case.decision.outcome == "rejected"  # 45, not 60
    assert tasks.sweep()["instant_decided"] == 0  # once


def test_the_sweep_leaves_an_instant_case_a_person_has_already_touched(matter, applicant, reviewer, clock):
    from eban.rules.samples import SENIOR_CARD, ensure_sample_rules

    ensure_sample_rules()
    MatterSetup.objects.create(matter=matter, instant=True, rule_code=SENIOR_CARD)
    clock.set("2025-09-23T10:00")
    case = actions.request_supplement(
        submit(matter, applicant), actor=reviewer, items="补充户口簿"
    ).application
    actions.resubmit(case, acting(applicant), note="已补充")
    clock.set("2025-09-23T11:00")
    assert tasks.sweep()["instant_decided"] == 0
