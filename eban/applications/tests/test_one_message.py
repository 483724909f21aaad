"""One message per outcome. An instant approval with a certificate sends one SMS — the certificate
is issued — not a receipt promising an acceptance decision by a date, an approval, a completion
and the certificate (four). An instant refusal sends the refusal only. A case a reviewer decides
sends its receipt, its acceptance and its decision, each once."""

from __future__ import annotations

import pytest

from eban.accounts import actions as accounts
from eban.accounts.models import Citizen
from eban.applications import actions, apply
from eban.applications.models import MatterSetup
from eban.certificates import signing
from eban.kiosks.tests.app_factories import NEIGHBOUR, SENIOR_CARD, VILLAGER, load_kiosk_sample
from eban.notifications.models import Message

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior_card(settings, tmp_path):
    load_kiosk_sample(settings, tmp_path, codes=(SENIOR_CARD,))
    yield MatterSetup.objects.select_related("matter").get(matter__code=SENIOR_CARD)
    signing.clear_cache()


def _person(id_number):
    person = Citizen.objects.get_by_id_number(id_number)
    accounts.account_for(person)
    return person


def sent(person, channel="sms") -> list[str]:
    return list(
        Message.objects.filter(recipient_user=person.user, channel=channel)
        .order_by("created_at", "pk")
        .values_list("template_code", flat=True)
    )


def test_an_instant_approval_sends_one_message_the_certificate(
    senior_card, django_capture_on_commit_callbacks
):
    villager = _person(VILLAGER)
    with django_capture_on_commit_callbacks(execute=True):
        case = apply.apply(villager.user, senior_card, answers={}, uploads={}, channel="kiosk")
    case.refresh_from_db()
    assert case.status == "completed"
    assert sent(villager) == ["certificate.issued"]
    assert sent(villager, "inbox") == ["certificate.issued"]


def test_an_instant_refusal_sends_one_message_the_refusal(senior_card, django_capture_on_commit_callbacks):
    neighbour = _person(NEIGHBOUR)  # 59
    with django_capture_on_commit_callbacks(execute=True):
        case = apply.apply(neighbour.user, senior_card, answers={}, uploads={}, channel="online")
    case.refresh_from_db()
    assert case.status == "completed" and case.decision.outcome == "rejected"
    assert sent(neighbour) == ["application.rejected"]


def test_a_reviewed_case_sends_one_message_per_step(matter, applicant, reviewer, clock):
    clock.set("2025-09-23T10:00")
    case = submit(matter, applicant)
    case = actions.accept(case, actor=reviewer)
    case = actions.approve(case, actor=reviewer)
    actions.complete(case, actor=reviewer)
    assert sent(applicant, "inbox") == [
        "application.submitted",
        "application.accepted",
        "application.approved",
        "application.completed",
    ]
