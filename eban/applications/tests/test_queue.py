"""Reads for an actor: the reviewer's queue (scope, order by time left, warning levels), one case
for an official (404 outside their scope), and the applicant's own applications."""

from __future__ import annotations

import datetime

import pytest

from eban.accounts import actions as account_actions
from eban.accounts.enums import StaffRole
from eban.accounts.grants.acting import act_for
from eban.applications import actions, deadlines, queries
from eban.applications.enums import Status
from eban.core.exceptions import NotFound

from .conftest import another_applicant, review_matter, staff, submit

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


def accepted_on(matter, citizen, reviewer, clock, day: str):
    """A case accepted on `day`, of a new applicant (one open case per applicant and matter)."""
    clock.set(day)
    return actions.accept(submit(matter, another_applicant()), actor=reviewer)


def numbers(rows) -> list[str]:
    return [item.application.number for item in queries.queue_items(rows)]


def test_the_queue_holds_the_open_cases_of_the_reviewers_department_only(
    matter, other_department, applicant, reviewer, outsider, clock
):
    clock.set("2025-09-23")
    mine = submit(matter, applicant)
    theirs = submit(review_matter(other_department), applicant)
    assert [r.pk for r in queries.queue_rows(reviewer, today=D("2025-09-23"))] == [mine.pk]
    assert [r.pk for r in queries.queue_rows(outsider, today=D("2025-09-23"))] == [theirs.pk]


def test_the_queue_keeps_to_the_reviewers_divisions(matter, department, applicant, other_county, clock):
    clock.set("2025-09-23")
    submit(matter, applicant)  # made in 330302
    elsewhere = staff("reviewer-oh", department, StaffRole.REVIEWER, divisions=[other_county])
    city_wide = staff(
        "reviewer-city", department, StaffRole.REVIEWER
    )  # the department's own division: the city
    assert queries.queue_rows(elsewhere) == []
    assert len(queries.queue_rows(city_wide)) == 1


def test_closed_cases_leave_the_queue(case, reviewer):
    actions.decline(case, actor=reviewer, reasons="不属于本机关职权范围")
    assert queries.queue_rows(reviewer) == []


def test_an_official_without_a_case_role_has_an_empty_queue(case, department):
    editor = staff("editor-mz", department, StaffRole.SITE_EDITOR)
    assert queries.queue_rows(editor) == []


def test_the_queue_is_sorted_by_time_left_with_warning_levels(matter, applicant, reviewer, clock):
    # promised 10 working days; seen on Monday 2025-06-30.
    late = accepted_on(matter, applicant, reviewer, clock, "2025-06-13")  # due 06-27: overdue
    soon = accepted_on(matter, applicant, reviewer, clock, "2025-06-17")  # due 07-01: 1 day left
    later = accepted_on(matter, applicant, reviewer, clock, "2025-06-27")  # due 07-11: 9 days left
    rows = queries.queue_rows(reviewer, today=D("2025-06-30"))
    assert [r.pk for r in rows] == [late.pk, soon.pk, later.pk]
    assert [r.warning.level for r in rows] == [deadlines.RED, deadlines.YELLOW, deadlines.GREEN]
    assert [r.warning.days_left for r in rows] == [-1, 1, 9]
    assert {r.deadline for r in rows} == {"promised"}


def test_equal_promised_deadlines_are_ordered_by_the_statutory_one(department, applicant, reviewer, clock):
    short = review_matter(department, promised_days=5, statutory_days=10)
    long = review_matter(department, promised_days=5, statutory_days=20)
    clock.set("2025-06-16")
    b = actions.accept(submit(long, applicant), actor=reviewer)
    a = actions.accept(submit(short, applicant), actor=reviewer)
    assert [r.pk for r in queries.queue_rows(reviewer, today=D("2025-06-16"))] == [a.pk, b.pk]


def test_a_case_not_yet_accepted_is_measured_against_the_acceptance_limit(matter, applicant, reviewer, clock):
    clock.set("2025-06-09")
    waiting = submit(matter, applicant)  # must be accepted by 06-16
    accepted = accepted_on(matter, applicant, reviewer, clock, "2025-06-10")  # due 06-24
    rows = queries.queue_rows(reviewer, today=D("2025-06-13"))
    assert [r.pk for r in rows] == [waiting.pk, accepted.pk]
    first = rows[0]
    assert (first.deadline, first.warning.due, first.warning.days_left) == ("acceptance", D("2025-06-16"), 1)
    assert first.warning.level == deadlines.YELLOW
    assert queries.queue_rows(reviewer, today=D("2025-06-17"))[0].warning.level == deadlines.RED


def test_a_case_waiting_for_a_supplement_comes_last_with_its_clock_stopped(
    matter, applicant, reviewer, clock
):
    paused = accepted_on(matter, applicant, reviewer, clock, "2025-06-09")  # due 06-23
    clock.set("2025-06-16")
    actions.request_supplement(paused, actor=reviewer, items="请补充材料")
    running = accepted_on(matter, applicant, reviewer, clock, "2025-06-20")
    rows = queries.queue_rows(reviewer, today=D("2025-07-30"))
    assert [r.pk for r in rows] == [running.pk, paused.pk]
    assert (rows[1].warning.level, rows[1].warning.days_left) == (deadlines.PAUSED, 5)


def test_the_queue_filters_by_status_and_matter(matter, department, applicant, reviewer, clock):
    other = review_matter(department, name="民办非企业单位成立登记")
    clock.set("2025-06-09")
    a = submit(matter, applicant)
    b = actions.accept(submit(other, applicant), actor=reviewer)
    assert [r.pk for r in queries.queue_rows(reviewer, status=Status.ACCEPTED)] == [b.pk]
    assert [r.pk for r in queries.queue_rows(reviewer, matter_id=matter.pk)] == [a.pk]


def test_queue_items_keep_the_rows_order(matter, applicant, reviewer, clock):
    accepted_on(matter, applicant, reviewer, clock, "2025-06-13")
    accepted_on(matter, applicant, reviewer, clock, "2025-06-09")
    rows = queries.queue_rows(reviewer, today=D("2025-06-30"))
    assert [i.application.pk for i in queries.queue_items(rows)] == [r.pk for r in rows]


def test_a_cases_own_warning_matches_its_queue_row(matter, applicant, reviewer, clock):
    case = accepted_on(matter, applicant, reviewer, clock, "2025-06-13")
    row = queries.case_warning(case, today=D("2025-06-30"))
    assert row.warning == queries.queue_rows(reviewer, today=D("2025-06-30"))[0].warning


# --- one case ----------------------------------------------------------------------------------------


def test_a_reviewer_opens_a_case_of_their_scope(case, reviewer):
    assert queries.case_for_staff(reviewer, case.number) == case


def test_a_reviewer_cannot_open_another_departments_case(case, outsider):
    with pytest.raises(NotFound):
        queries.case_for_staff(outsider, case.number)


def test_a_citizen_cannot_open_a_case_as_staff(case, applicant):
    with pytest.raises(NotFound):
        queries.case_for_staff(applicant.user, case.number)


def test_a_platform_administrator_reads_every_case(case, other_department):
    admin = staff("platform", other_department, StaffRole.PLATFORM_ADMIN)
    assert queries.case_for_staff(admin, case.number) == case


# --- the applicant ----------------------------------------------------------------------------------


def test_the_applicant_sees_their_own_and_those_they_submitted_for_others(matter, applicant, stranger, clock):
    clock.set("2025-09-23")
    own = submit(matter, applicant)
    others = submit(review_matter(matter.department, name="民办非企业单位成立登记"), stranger)
    account_actions.authorise_proxy(
        stranger,
        proxy_name=applicant.name,
        proxy_id_number=applicant.id_number,
        relationship="sibling",
        valid_from=D("2025-09-01"),
        valid_until=D("2025-12-31"),
        matters=[matter],
        actor=None,
    )
    for_stranger = actions.submit_application(
        matter, act_for(applicant.user, citizen=stranger, matter_id=matter.pk), channel="online"
    )
    assert set(queries.for_applicant(applicant)) == {own, for_stranger}
    assert set(queries.for_applicant(stranger)) == {others, for_stranger}


def test_the_applicant_does_not_see_staff_only_events(case, dept_admin, reviewer, clock):
    from eban.applications import tasks

    clock.set("2025-10-30")
    tasks.sweep()
    assert case.events.filter(kind="escalated").exists()
    assert not queries.public_events(case).filter(kind="escalated").exists()
