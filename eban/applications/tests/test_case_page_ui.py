"""The applicant's case page: the certificate's button only once the PDF exists ("being made"
until then, and the page refreshes itself); what happens next and by which working day for a
case a person decides; the supplement's deadline; the rating form."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from eban.applications import actions, deadlines, tasks
from eban.applications.models import MatterSetup

from .test_certificate_path import certificate_type, pki_dir  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def english(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_of(client, application) -> str:
    return client.get(reverse("applications:detail", args=[application.number])).content.decode()


def status_of(client, application) -> str:
    response = client.get(reverse("applications:certificate_status", args=[application.number]))
    assert response.status_code == 200
    return response.json()["state"]


@pytest.fixture
def approved_not_yet_issued(case, matter, reviewer, certificate_type):  # noqa: F811
    """Approved; the certificate job queued after commit has not run yet (nothing runs it here)."""
    MatterSetup.objects.create(matter=matter, certificate_type=certificate_type.code)
    approved = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)
    approved.refresh_from_db()
    return approved


def test_while_the_certificate_is_made_the_page_says_so_and_offers_no_download(
    client, approved_not_yet_issued, applicant
):
    english(client, applicant.user)
    page = page_of(client, approved_not_yet_issued)
    assert 'data-testid="certificate-being-made"' in page and "Being made" in page
    assert 'data-testid="certificate-download"' not in page
    assert "js/certificate-wait.js" in page  # it polls and reloads by itself
    assert reverse("applications:certificate_status", args=[approved_not_yet_issued.number]) in page
    assert status_of(client, approved_not_yet_issued) == "waiting"


def test_once_issued_the_status_says_ready_and_the_page_offers_the_download(
    client, approved_not_yet_issued, applicant
):
    english(client, applicant.user)
    tasks.issue_certificate_and_complete.enqueue(application_id=approved_not_yet_issued.pk)
    assert status_of(client, approved_not_yet_issued) == "ready"
    page = page_of(client, approved_not_yet_issued)
    assert 'data-testid="certificate-download"' in page and 'data-testid="certificate-being-made"' not in page
    response = client.get(reverse("applications:certificate", args=[approved_not_yet_issued.number]))
    assert response.status_code == 200


def test_another_person_cannot_poll_the_certificate_state(client, approved_not_yet_issued, stranger):
    english(client, stranger.user)
    url = reverse("applications:certificate_status", args=[approved_not_yet_issued.number])
    assert client.get(url).status_code == 404


def test_a_case_without_a_decision_has_no_certificate_state(client, case, applicant):
    english(client, applicant.user)
    assert status_of(client, case) == "none"
    assert 'data-testid="certificate-being-made"' not in page_of(client, case)


# --- what happens next --------------------------------------------------------------------------


def test_the_receipt_of_a_review_matter_says_what_happens_next_by_which_working_day(client, case, applicant):
    english(client, applicant.user)
    page = page_of(client, case)  # submitted on Tuesday 2025-09-23
    due = deadlines.acceptance_due(datetime.date(2025, 9, 23))
    assert due == datetime.date(2025, 9, 29)  # 5 working days: Sunday 28 September is worked (调休)
    assert 'data-testid="next-steps"' in page and "What happens next" in page
    assert f"by <strong>{due:%Y-%m-%d}</strong> (within 5 working days)" in page
    assert "Once accepted, it is decided within 10 working days." in page
    told = page[page.index('data-testid="how-told"') :]
    assert "text message" in told and reverse("notifications:inbox") in told
    assert case.number in page


def test_an_accepted_case_says_by_which_day_it_is_decided(client, case, applicant, reviewer):
    accepted = actions.accept(case, actor=reviewer)
    english(client, applicant.user)
    page = page_of(client, accepted)
    assert 'data-testid="next-decision"' in page
    assert f"decides by <strong>{accepted.promised_due:%Y-%m-%d}</strong>" in page


def test_a_decided_case_has_no_next_steps(client, approved_not_yet_issued, applicant):
    english(client, applicant.user)
    assert 'data-testid="next-steps"' not in page_of(client, approved_not_yet_issued)


def test_the_supplement_form_shows_its_deadline(client, case, applicant, reviewer, clock):
    accepted = actions.accept(case, actor=reviewer)
    clock.set("2025-09-24")
    actions.request_supplement(accepted, actor=reviewer, items="请补充章程的盖章页")
    english(client, applicant.user)
    page = page_of(client, accepted)
    due = deadlines.supplement_reply_by(datetime.date(2025, 9, 24))
    box = page[page.index('data-testid="supplement"') :]
    assert f"Please answer by <strong>{due:%Y-%m-%d}</strong> (10 working days after the request)" in box
    assert "请补充章程的盖章页" in box and 'enctype="multipart/form-data"' in box
    assert 'data-testid="next-supplement"' in page


def test_the_rating_form_has_five_large_choices(client, approved_not_yet_issued, applicant):
    tasks.issue_certificate_and_complete.enqueue(application_id=approved_not_yet_issued.pk)
    english(client, applicant.user)
    page = page_of(client, approved_not_yet_issued)
    rating = page[page.index('data-testid="rating"') :]
    assert rating.count('class="rating-option"') == 5 and "css/applicant.css" in page
