"""An approval that issues a certificate: the task issues it (signed, idempotent on the case's
key), completes the case and tells the applicant; a retried job makes no second certificate."""

from __future__ import annotations

import pytest

from eban.applications import actions, queries, tasks
from eban.applications.enums import Status
from eban.applications.models import MatterSetup
from eban.certificates.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki_dir(tmp_path_factory):
    from eban.certificates import pki

    directory = tmp_path_factory.mktemp("pki")
    pki.ensure_demo_pki(directory, [("330300-MZ", "温州市民政局")])
    return directory


@pytest.fixture
def certificate_type(settings, pki_dir, department):
    from eban.certificates import actions as certificate_actions
    from eban.certificates import signing

    settings.EBAN_PKI_DIR = pki_dir
    settings.EBAN_DEMO_SIGNING_KEYS = True
    settings.EBAN_SIGNING_KEYS = ""
    settings.EBAN_BASE_URL = "https://eban.example.test"
    yield certificate_actions.save_certificate_type(
        code="society_registration",
        department=department,
        name="社会团体法人登记证书（示例）",
        number_prefix="STDJ",
        template="generic",
        validity_days=None,
    )
    signing.clear_cache()


@pytest.fixture
def approved(case, matter, reviewer, certificate_type, django_capture_on_commit_callbacks):
    MatterSetup.objects.create(matter=matter, certificate_type=certificate_type.code)
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)
    case.refresh_from_db()
    return case


def test_approval_issues_the_certificate_and_completes_the_case(approved, applicant):
    assert approved.status == Status.COMPLETED
    certificate = queries.certificate_of(approved)
    assert certificate is not None and certificate.pdf
    assert certificate.holder_name == applicant.name
    assert approved.events.last().data == {"certificate": certificate.number}


def test_the_applicant_is_told_the_certificate_number_and_where_to_verify_it(approved, applicant):
    from eban.notifications.models import Message

    message = Message.objects.get(template_code="certificate.issued", recipient_user=applicant.user)
    certificate = queries.certificate_of(approved)
    assert certificate.number in message.body and "/verify/" in message.body


def test_a_retried_job_makes_no_second_certificate(approved):
    number = queries.certificate_of(approved).number
    result = tasks.issue_certificate_and_complete.enqueue(application_id=approved.pk)
    assert result.return_value == Status.COMPLETED  # left alone
    assert actions.issue_certificate_for(approved).number == number
    assert Certificate.objects.filter(idempotency_key=actions.certificate_key(approved)).count() == 1


def test_the_sweep_enqueues_again_a_certificate_whose_job_was_lost(
    case, matter, reviewer, certificate_type, clock
):
    MatterSetup.objects.create(matter=matter, certificate_type=certificate_type.code)
    clock.set("2025-09-24T10:00")
    case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)  # its job never runs here
    clock.set("2025-09-24T10:05")
    assert tasks.sweep()["certificates_retried"] == 0  # not late yet
    clock.set("2025-09-24T10:30")
    assert tasks.sweep()["certificates_retried"] == 1
    case.refresh_from_db()
    assert case.status == Status.COMPLETED and queries.certificate_of(case) is not None
