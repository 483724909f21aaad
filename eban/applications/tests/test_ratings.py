"""好差评: the applicant rates a completed case once; a 1 or 2 opens a follow-up for the department
with a deadline; the department's reply reaches the applicant."""

from __future__ import annotations

import datetime

import pytest

from eban.applications import actions, queries
from eban.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from eban.notifications.models import Message

from .conftest import acting

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


@pytest.fixture
def completed(case, reviewer, clock):
    clock.set("2025-09-24")
    case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)
    return actions.complete(case, actor=reviewer)


def test_the_applicant_rates_a_completed_case(completed, applicant):
    rating = actions.rate(completed, acting(applicant), 5, "很快，谢谢")
    assert (rating.score, rating.comment, rating.follow_up_due) == (5, "很快，谢谢", None)
    assert completed.events.last().kind == "rated"


def test_a_case_is_rated_once(completed, applicant):
    actions.rate(completed, acting(applicant), 4)
    with pytest.raises(Conflict):
        actions.rate(completed, acting(applicant), 1)


def test_an_open_case_cannot_be_rated(case, applicant):
    with pytest.raises(DomainError) as raised:
        actions.rate(case, acting(applicant), 5)
    assert raised.value.code == "not_completed"


@pytest.mark.parametrize("score", [0, 6, "x", None])
def test_the_score_is_one_to_five(completed, applicant, score):
    with pytest.raises(DomainError):
        actions.rate(completed, acting(applicant), score)


def test_someone_else_cannot_rate_the_case(completed, stranger):
    with pytest.raises(PermissionDenied):
        actions.rate(completed, acting(stranger), 1)


def test_a_low_score_opens_a_follow_up_due_in_five_working_days(completed, applicant, dept_admin, clock):
    clock.set("2025-09-26")  # a Friday; Sunday 28 September is a make-up working day
    rating = actions.rate(completed, acting(applicant), 2, "窗口态度不好")
    assert rating.follow_up_due == D("2025-10-10")  # 28, 29, 30 September, (1–8 October off), 9, 10 October
    message = Message.objects.get(template_code="rating.low", recipient_user=dept_admin)
    assert completed.number in message.body


def test_a_good_score_opens_no_follow_up(completed, applicant, dept_admin):
    actions.rate(completed, acting(applicant), 3)
    assert not Message.objects.filter(template_code="rating.low").exists()
    assert list(queries.low_ratings(dept_admin)) == []


def test_the_follow_ups_are_listed_for_the_department_only(completed, applicant, reviewer, outsider):
    rating = actions.rate(completed, acting(applicant), 1)
    assert list(queries.low_ratings(reviewer)) == [rating]
    assert list(queries.low_ratings(outsider)) == []


def test_the_department_replies_and_the_applicant_is_told(completed, applicant, reviewer):
    rating = actions.rate(completed, acting(applicant), 1, "等了太久")
    rating = actions.reply_to_rating(
        rating, actor=reviewer, text="已核实，窗口已调整排队方式，感谢您的意见。"
    )
    assert rating.reply.startswith("已核实") and rating.replied_by == reviewer
    completed.refresh_from_db()
    assert completed.rating.reply == rating.reply  # what the applicant's page shows
    message = Message.objects.get(template_code="rating.follow_up_reply", recipient_user=applicant.user)
    assert "已核实" in message.body
    assert list(queries.low_ratings(reviewer, answered=False)) == []


def test_another_department_cannot_reply(completed, applicant, outsider):
    rating = actions.rate(completed, acting(applicant), 1)
    with pytest.raises(PermissionDenied):
        actions.reply_to_rating(rating, actor=outsider, text="……")
    with pytest.raises(NotFound):
        queries.rating_for_staff(outsider, rating.pk)


def test_a_rating_is_answered_once(completed, applicant, reviewer):
    rating = actions.rate(completed, acting(applicant), 2)
    actions.reply_to_rating(rating, actor=reviewer, text="已回访")
    with pytest.raises(Conflict):
        actions.reply_to_rating(rating, actor=reviewer, text="再次回访")


def test_a_reply_needs_text(completed, applicant, reviewer):
    rating = actions.rate(completed, acting(applicant), 2)
    with pytest.raises(DomainError):
        actions.reply_to_rating(rating, actor=reviewer, text=" ")
