"""The back office's home for a reviewer: their queue — overdue, due soon, waiting for a
supplement — with working-day deadlines and links, instead of Wagtail's "1 Page / 0 Images"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from eban.accounts.enums import StaffRole
from eban.accounts.testing import staff_login
from eban.applications import actions, dashboard

from .conftest import another_applicant, staff, submit

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


@pytest.fixture
def queue(matter, applicant, reviewer, clock):
    """Seen on Monday 2025-06-30 (promised 10 working days): one overdue, one due tomorrow, one
    far off, one waiting for the applicant's supplement."""
    cases = {}
    people = {"late": applicant, "soon": another_applicant("钱七"), "later": another_applicant("孙八")}
    for name, day in [("late", "2025-06-13"), ("soon", "2025-06-17"), ("later", "2025-06-27")]:
        clock.set(day)
        cases[name] = actions.accept(submit(matter, people[name]), actor=reviewer)
    clock.set("2025-06-20")
    waiting = actions.accept(submit(matter, another_applicant("李九")), actor=reviewer)
    actions.request_supplement(waiting, actor=reviewer, items="户口簿首页复印件")
    cases["waiting"] = waiting
    clock.set("2025-06-30T09:00")
    return cases


def test_the_dashboard_sorts_the_reviewers_queue(queue, reviewer):
    board = dashboard.reviewer_dashboard(reviewer, today=D("2025-06-30"))
    assert [i.application.pk for i in board.overdue] == [queue["late"].pk]
    assert [i.application.pk for i in board.due_soon] == [queue["soon"].pk]
    assert board.waiting == 1 and board.open == 4


def test_the_dashboard_is_for_case_handlers_only(department):
    editor = staff("editor-mz", department, StaffRole.SITE_EDITOR)
    assert dashboard.reviewer_dashboard(editor) is None


def test_a_reviewers_home_shows_their_queue_with_deadlines_and_links(client, queue, reviewer):
    staff_login(client, reviewer)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    late, soon = queue["late"], queue["soon"]
    assert reverse("applications_case", args=[late.number]) in html
    assert reverse("applications_case", args=[soon.number]) in html
    assert reverse("applications_case", args=[queue["later"].number]) not in html  # not pressing
    assert "2025-06-27" in html and "1 working day late" in html  # overdue, in working days
    assert "2025-07-01" in html and "1 working day left" in html
    assert "Waiting for a supplement" in html and "?status=supplement" in html
    assert reverse("applications_queue") in html


def test_a_reviewers_home_has_no_page_image_or_document_counts(client, queue, reviewer):
    staff_login(client, reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "w-summary__list" not in html


def test_those_who_edit_the_sites_keep_the_summary(client, department, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", "", "a-long-test-password")
    staff_login(client, chief)
    assert "w-summary__list" in client.get(reverse("wagtailadmin_home")).content.decode()
