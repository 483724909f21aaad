"""A proxy reads the cases they submitted for a principal only while the authorisation is in
force: once the principal revokes it (or it ends), the former proxy no longer opens those cases,
their certificates or their PDFs — on the web or at a kiosk — and is no longer told about them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from eban.accounts import actions as accounts
from eban.accounts.models import Citizen
from eban.accounts.tests.factories import citizen
from eban.applications import apply, queries
from eban.certificates import signing
from eban.kiosks.tests.app_factories import SENIOR_CARD, VILLAGER, load_kiosk_sample, paired_terminal
from eban.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxy_case(settings, tmp_path, django_capture_on_commit_callbacks):
    """The villager's daughter applies for his senior card as his proxy; the card is issued."""
    load_kiosk_sample(settings, tmp_path, codes=(SENIOR_CARD,))
    villager = Citizen.objects.get_by_id_number(VILLAGER)
    accounts.account_for(villager)
    daughter = citizen("王小红", household_division_code="330302")
    accounts.account_for(daughter)
    today = timezone.localdate()
    grant = accounts.authorise_proxy(
        villager,
        proxy_name=daughter.name,
        proxy_id_number=daughter.id_number,
        relationship="child",
        valid_from=today - datetime.timedelta(days=1),
        valid_until=today + datetime.timedelta(days=300),
        all_matters=True,
        actor=None,
    )
    from eban.applications.models import MatterSetup

    setup = MatterSetup.objects.get(matter__code=SENIOR_CARD)
    with django_capture_on_commit_callbacks(execute=True):
        case = apply.apply(
            daughter.user, setup, answers={}, uploads={}, on_behalf=f"citizen:{villager.pk}", channel="online"
        )
    case.refresh_from_db()
    assert case.via_proxy == grant and queries.certificate_of(case).pdf
    yield villager, daughter, grant, case
    signing.clear_cache()


def _pages(case) -> list[str]:
    return [
        reverse("applications:detail", args=[case.number]),
        reverse("applications:certificate", args=[case.number]),
    ]


def test_the_proxy_reads_the_case_while_the_authorisation_is_in_force(client, proxy_case):
    _villager, daughter, _grant, case = proxy_case
    client.force_login(daughter.user, backend="django.contrib.auth.backends.ModelBackend")
    assert [client.get(url).status_code for url in _pages(case)] == [200, 200]
    assert case in queries.for_applicant(daughter)


def test_after_revocation_the_former_proxy_opens_neither_the_case_nor_its_certificate(client, proxy_case):
    villager, daughter, grant, case = proxy_case
    accounts.revoke(grant, by=villager, reason="不再需要", actor=villager.user)
    client.force_login(daughter.user, backend="django.contrib.auth.backends.ModelBackend")
    assert [client.get(url).status_code for url in _pages(case)] == [404, 404]
    assert case.number not in client.get(reverse("applications:mine")).content.decode()
    assert case not in queries.for_applicant(daughter)
    client.force_login(villager.user, backend="django.contrib.auth.backends.ModelBackend")
    assert [client.get(url).status_code for url in _pages(case)] == [200, 200]  # the principal still does


def test_after_revocation_the_former_proxy_cannot_open_it_at_a_kiosk(client, proxy_case):
    from eban.kiosks.tests.test_app_views import sign_in_at_kiosk

    villager, daughter, grant, case = proxy_case
    accounts.revoke(grant, by=villager, reason="不再需要", actor=villager.user)
    _terminal, link = paired_terminal()
    client.get(link)
    sign_in_at_kiosk(client, daughter)
    assert client.get(reverse("kiosk:case", args=[case.number])).status_code == 404
    assert client.get(reverse("kiosk:certificate", args=[case.number])).status_code == 404


def test_an_authorisation_that_has_ended_ends_the_reading_too(proxy_case):
    _villager, daughter, grant, case = proxy_case
    type(grant).objects.filter(pk=grant.pk).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert case not in queries.for_applicant(daughter)


def test_the_former_proxy_is_no_longer_told_about_the_case(proxy_case):
    from eban.applications.notify import notify_applicant

    villager, daughter, grant, case = proxy_case
    accounts.revoke(grant, by=villager, reason="不再需要", actor=villager.user)
    Message.objects.all().delete()
    case.refresh_from_db()
    notify_applicant(case, "application.completed")
    assert not Message.objects.filter(recipient_user=daughter.user).exists()
    assert Message.objects.filter(recipient_user=villager.user).exists()
