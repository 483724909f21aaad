"""Two senior cards for one person: a second application for what the applicant already has (an
open case for the matter, or a valid card) is refused at once, with the reason and a link to the
case or certificate, on every channel — the web, the kiosk, the service window — and no second
case is made. The sample senior-card rule says so in its own conditions (the rules' variables
`applicant.valid_certificates` and `applicant.open_applications`)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from eban.accounts import actions as accounts
from eban.accounts.models import Citizen
from eban.applications import apply, window
from eban.applications.duplicates import RepeatApplication
from eban.applications.enums import Status
from eban.applications.models import Application, MatterSetup
from eban.certificates import signing
from eban.certificates.models import Certificate
from eban.kiosks.tests.app_factories import SENIOR_CARD, VILLAGER, load_kiosk_sample, paired_terminal

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(settings, tmp_path):
    load_kiosk_sample(settings, tmp_path, codes=(SENIOR_CARD,))
    yield MatterSetup.objects.select_related("matter").get(matter__code=SENIOR_CARD)
    signing.clear_cache()


@pytest.fixture
def villager(sample) -> Citizen:
    person = Citizen.objects.get_by_id_number(VILLAGER)
    accounts.account_for(person)
    return person


def _apply(person, setup, channel="online"):
    return apply.apply(person.user, setup, answers={}, uploads={}, channel=channel)


@pytest.fixture
def card(sample, villager, django_capture_on_commit_callbacks):
    """The villager's first application: decided at once, the card issued, the case completed."""
    with django_capture_on_commit_callbacks(execute=True):
        first = _apply(villager, sample)
    first.refresh_from_db()
    assert first.status == Status.COMPLETED
    return first, Certificate.objects.get(idempotency_key=f"application:{first.number}")


def test_the_first_card_passes_the_sample_rules_not_twice_conditions(card):
    first, certificate = card
    conditions = {c["key"]: c["passed"] for c in first.decision.explanation["conditions"]}
    assert conditions["no-card-yet"] is True and conditions["no-open-application"] is True
    assert certificate.status == "valid"


def test_a_second_application_while_the_card_is_valid_is_refused_naming_the_card(sample, villager, card):
    first, certificate = card
    with translation.override("en"), pytest.raises(RepeatApplication) as refused:
        _apply(villager, sample, channel="kiosk")
    assert refused.value.code == "already_holds" and refused.value.status_code == 409
    assert refused.value.certificate == certificate and refused.value.application == first
    assert certificate.number in refused.value.message
    assert "Holds no valid senior citizen card" in refused.value.reasons
    assert Application.objects.filter(citizen=villager).count() == 1


def test_a_second_application_while_the_first_is_open_is_refused_naming_the_case(sample, villager):
    first = _apply(villager, sample)  # approved; its certificate task has not run (no commit here)
    assert first.status == Status.APPROVED
    with translation.override("en"), pytest.raises(RepeatApplication) as refused:
        _apply(villager, sample)
    assert refused.value.code == "already_applied" and refused.value.application == first
    assert first.number in refused.value.message
    assert Application.objects.filter(citizen=villager).count() == 1


def test_a_revoked_card_lets_its_holder_apply_again(
    sample, villager, card, django_capture_on_commit_callbacks
):
    Certificate.objects.update(status="revoked")
    with django_capture_on_commit_callbacks(execute=True):
        second = _apply(villager, sample)
    second.refresh_from_db()
    assert second.status == Status.COMPLETED and second.decision.outcome == "approved"


def test_the_web_form_refuses_a_second_card_with_a_link_to_it(client, villager, card):
    first, certificate = card
    client.force_login(villager.user, backend="django.contrib.auth.backends.ModelBackend")
    with translation.override("en"):
        response = client.post(reverse("applications:new", args=[SENIOR_CARD]), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page and certificate.number in page
    assert f'href="{reverse("applications:detail", args=[first.number])}"' in page
    assert Application.objects.filter(citizen=villager).count() == 1


def test_the_kiosk_refuses_a_second_card_with_a_link_to_it(client, villager, card):
    from eban.kiosks.tests.test_app_views import sign_in_at_kiosk

    first, certificate = card
    terminal, link = paired_terminal()
    client.get(link)
    sign_in_at_kiosk(client, villager)
    response = client.post(reverse("kiosk:apply", args=[SENIOR_CARD]), {})
    assert response.status_code == 400
    page = response.content.decode()
    assert certificate.number in page
    assert f'href="{reverse("kiosk:case", args=[first.number])}"' in page
    assert Application.objects.filter(citizen=villager).count() == 1


def test_the_service_window_refuses_a_second_card(sample, villager, card):
    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff

    official = make_staff("window-1", department=sample.matter.department, roles=[StaffRole.REVIEWER])
    with pytest.raises(RepeatApplication) as refused:
        window.apply_at_window(
            official, sample, name=villager.name, id_number=VILLAGER, answers={}, uploads={}
        )
    assert refused.value.certificate is not None
    assert Application.objects.filter(citizen=villager).count() == 1


def test_the_database_holds_one_open_case_per_applicant_and_matter_whatever_the_caller(sample, villager):
    first = _apply(villager, sample)
    fields = {f: getattr(first, f) for f in ("matter", "department", "division", "citizen", "channel")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            number="X1", status=Status.SUBMITTED, submitted_at=first.submitted_at, **fields
        )
    Application.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    Application.objects.create(
        number="X2", status=Status.SUBMITTED, submitted_at=first.submitted_at, **fields
    )
