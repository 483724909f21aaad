"""The seed's story end to end, in one process: the sample data loaded as `make demo` loads it,
the 62-year-old villager applies online for the senior citizen card and gets it at once, signed;
his 59-year-old neighbour is refused and told why; nobody reaches another's case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eban.accounts.models import Citizen
from eban.applications.models import Application
from eban.certificates import signing
from eban.certificates.verification import verify_pdf
from eban.demo.loading import load_sample

pytestmark = pytest.mark.django_db

SENIOR_CARD = "330300-MZ-0001"
VILLAGER = "33032419640315003X"  # sample, 62 in 2026
NEIGHBOUR = "330302196711081023"  # sample, 59 in 2026


@pytest.fixture
def demo(settings, tmp_path):
    settings.EBAN_PKI_DIR = tmp_path / "pki"
    settings.EBAN_DEMO_SIGNING_KEYS = True
    settings.EBAN_SIGNING_KEYS = ""
    settings.EBAN_SIGNATURE_TRUST_ROOTS = []
    load_sample()
    from django.core.management import call_command

    call_command("demo_ca", stdout=open("/dev/null", "w"))
    yield
    signing.clear_cache()


def _signed_in(client, id_number):
    from eban.accounts import actions

    citizen = Citizen.objects.get_by_id_number(id_number)
    client.force_login(actions.account_for(citizen), backend="django.contrib.auth.backends.ModelBackend")
    return citizen


def test_villager_gets_his_senior_card_at_once_signed_and_verifiable(
    client, demo, django_capture_on_commit_callbacks
):
    villager = _signed_in(client, VILLAGER)
    with django_capture_on_commit_callbacks(execute=True):  # the certificate task, run at once in tests
        response = client.post(reverse("applications:new", args=[SENIOR_CARD]), {})
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(citizen=villager)
    assert application.status == "completed" and application.decision.by_rules
    assert application.decision.rule_code == "senior-card"
    page = client.get(reverse("applications:detail", args=[application.number])).content.decode()
    assert 'data-testid="certificate-download"' in page
    pdf = b"".join(
        client.get(reverse("applications:certificate", args=[application.number])).streaming_content
    )
    report = verify_pdf(pdf)
    assert report.valid and report.intact
    tampered = bytearray(pdf)
    middle = len(tampered) // 2
    tampered[middle] = (tampered[middle] + 1) % 256
    assert not verify_pdf(bytes(tampered)).valid


def test_neighbour_of_59_is_refused_and_told_which_condition_failed(client, demo):
    neighbour = _signed_in(client, NEIGHBOUR)
    client.post(reverse("applications:new", args=[SENIOR_CARD]), {})
    application = Application.objects.get(citizen=neighbour)
    assert application.decision.outcome == "rejected"
    page = client.get(reverse("applications:detail", args=[application.number])).content.decode()
    assert "60" in application.decision.reasons and 'data-testid="explanation"' in page
    assert 'data-testid="certificate-download"' not in page


def test_another_applicants_case_and_certificate_cannot_be_reached(client, demo):
    _signed_in(client, VILLAGER)
    client.post(reverse("applications:new", args=[SENIOR_CARD]), {})
    number = Application.objects.get().number
    client.logout()
    _signed_in(client, NEIGHBOUR)
    assert client.get(reverse("applications:detail", args=[number])).status_code == 404
    assert client.get(reverse("applications:certificate", args=[number])).status_code == 404
