"""Two reviewers deciding the same case at the same moment: exactly one succeeds, the other is
told it was already decided. On PostgreSQL, with two threads (two connections) — SQLite has no
row locks to test (it serialises whole-database writes); the stale-page check runs on both."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.utils import translation

from eban.applications import actions
from eban.applications.actions import InvalidTransition, StalePage
from eban.applications.enums import Status
from eban.applications.models import Application, Decision, Event

from .conftest import another_applicant, submit

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: DATABASE_URL=postgres://root@127.0.0.1:5432/<name>",
)


def _restore_migrated_data() -> None:
    """What migrations put in the database and a transactional test's flush takes away."""
    from eban.accounts.actions import ensure_role_groups
    from eban.notifications.samples import ensure_sample_templates
    from eban.workdays import actions as workday_actions

    workday_actions.seed_from_chinese_calendar()
    ensure_sample_templates()
    ensure_role_groups()


def _run(work) -> tuple[object, BaseException | None]:
    """Run `work` in this thread's own connection; return (result, error)."""
    try:
        return work(), None
    except BaseException as error:  # noqa: BLE001 - reported to the test
        return None, error
    finally:
        connections.close_all()


def _in_threads(*works, start: threading.Barrier | None = None):
    results: list = [None] * len(works)

    def runner(i, work):
        if start is not None:
            start.wait()
        results[i] = _run(work)

    threads = [threading.Thread(target=runner, args=(i, w)) for i, w in enumerate(works)]
    for t in threads:
        t.start()
    return threads, results


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_simultaneous_decisions_waits_and_is_told_it_was_decided(
    matter, applicant, reviewer, second_reviewer
):
    _restore_migrated_data()
    case = actions.accept(submit(matter, applicant), actor=reviewer)
    first_holds_lock, release = threading.Event(), threading.Event()

    def first():
        from django.db import transaction

        with transaction.atomic():  # hold the row lock past the decision, until told to commit
            decided = actions.approve(Application.objects.get(pk=case.pk), actor=reviewer, version=1)
            first_holds_lock.set()
            release.wait(10)
        return decided.status

    def second():
        first_holds_lock.wait(10)
        with translation.override("en"):
            return actions.reject(
                Application.objects.get(pk=case.pk), actor=second_reviewer, reasons="不符合条件", version=1
            ).status

    threads, results = _in_threads(first, second)
    first_holds_lock.wait(10)
    deadline = time.monotonic() + 10
    while not _waiting_on_a_lock() and time.monotonic() < deadline:  # the second blocks on the row lock
        time.sleep(0.02)
    assert _waiting_on_a_lock(), "the second decision did not wait for the first one's lock"
    release.set()
    for t in threads:
        t.join(20)
    (won, won_error), (lost, lost_error) = results
    assert won == Status.APPROVED and won_error is None
    assert lost is None and isinstance(lost_error, InvalidTransition)
    assert lost_error.status_code == 409
    assert "already decided" in lost_error.message and "Approved" in lost_error.message
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.APPROVED, 2)
    assert Decision.objects.filter(application=case).count() == 1
    assert Event.objects.filter(application=case, kind__in=["approved", "rejected"]).count() == 1


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_decisions_always_end_with_exactly_one(matter, applicant, reviewer, second_reviewer):
    """No choreography: both start together, several times over."""
    _restore_migrated_data()
    for _round in range(5):
        case = actions.accept(submit(matter, another_applicant()), actor=reviewer)
        start = threading.Barrier(2)
        threads, results = _in_threads(
            lambda pk=case.pk: actions.approve(Application.objects.get(pk=pk), actor=reviewer).status,
            lambda pk=case.pk: (
                actions.reject(
                    Application.objects.get(pk=pk), actor=second_reviewer, reasons="不符合条件"
                ).status
            ),
            start=start,
        )
        for t in threads:
            t.join(20)
        outcomes = [r for r, e in results if e is None]
        errors = [e for r, e in results if e is not None]
        assert len(outcomes) == 1 and len(errors) == 1, results
        assert isinstance(errors[0], InvalidTransition)
        case.refresh_from_db()
        assert case.status == outcomes[0]
        assert Decision.objects.filter(application=case).count() == 1


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_distinct_gap_free_numbers(matter, applicant, clock):
    _restore_migrated_data()
    clock.set("2025-09-23")
    start = threading.Barrier(6)
    people = [applicant] + [another_applicant(name) for name in "甲乙丙丁戊"]  # one open case each
    threads, results = _in_threads(
        *[lambda person=person: submit(matter, person).number for person in people], start=start
    )
    for t in threads:
        t.join(30)
    numbers = sorted(r for r, e in results)
    assert [e for r, e in results if e is not None] == []
    assert numbers == [f"330320250923{n:06d}" for n in range(1, 7)]


@pytest.mark.django_db
def test_a_decision_from_a_page_older_than_the_case_is_refused(case, reviewer, second_reviewer, applicant):
    """The optimistic check, for forms posted from stale pages (any database)."""
    from .conftest import acting

    case = actions.accept(case, actor=reviewer)
    seen = case.version
    actions.request_supplement(case, actor=second_reviewer, items="请补充材料")
    actions.resubmit(case, acting(applicant), note="已补充")
    with pytest.raises(StalePage):
        actions.approve(case, actor=reviewer, version=seen)
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW
