"""Issuing (idempotent, crash-safe) and revoking certificates."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from eban.certificates import actions, render
from eban.certificates.enums import CertificateStatus
from eban.certificates.models import Certificate
from eban.certificates.numbering import looks_like_number
from eban.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied

from .conftest import HOLDER_ID, pdf_bytes

pytestmark = pytest.mark.django_db


def test_issue_makes_a_valid_certificate_with_its_signed_pdf(issued):
    assert issued.status == CertificateStatus.VALID
    assert looks_like_number(issued.number) and issued.number.startswith("LNYD-")
    data = pdf_bytes(issued)
    assert data.startswith(b"%PDF-")
    assert issued.sha256 == hashlib.sha256(data).hexdigest()
    assert issued.pdf.name == f"certificates/{issued.issued_at:%Y}/{issued.number}.pdf"


def test_issue_reports_render_and_signature_times(issued):
    assert set(issued.timings) == {"render_ms", "sign_ms", "store_ms"}
    assert all(value > 0 for value in issued.timings.values())


def test_the_id_number_is_stored_encrypted_with_a_blind_index(issued):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT holder_id_number FROM certificates_certificate WHERE id = %s", [issued.pk])
        stored = cursor.fetchone()[0]
    assert HOLDER_ID not in stored and stored.startswith("v1:")
    index = Certificate._meta.get_field("holder_id_number_index").index_for(HOLDER_ID)
    assert Certificate.objects.get(holder_id_number_index=index) == issued


def test_issuing_twice_with_the_same_key_returns_the_same_certificate(issue):
    first = issue("application:7")
    second = issue("application:7")
    assert second.pk == first.pk and second.number == first.number
    assert Certificate.objects.count() == 1
    assert not hasattr(second, "timings")  # nothing was rendered the second time


def test_different_keys_make_different_numbers_in_sequence(issue):
    numbers = [issue(f"application:{i}").number for i in range(3)]
    assert len(set(numbers)) == 3
    assert [n.split("-")[2] for n in numbers] == ["000001", "000002", "000003"]


def test_a_retry_after_a_crash_between_the_row_and_the_pdf_completes_the_same_certificate(issue, monkeypatch):
    real_render = render.render_pdf

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed while rendering")

    monkeypatch.setattr(render, "render_pdf", crash)
    with pytest.raises(RuntimeError):
        issue("application:9")
    claimed = Certificate.objects.get(idempotency_key="application:9")
    assert claimed.status == CertificateStatus.ISSUING and not claimed.pdf

    monkeypatch.setattr(render, "render_pdf", real_render)
    completed = issue("application:9")
    assert completed.pk == claimed.pk and completed.number == claimed.number
    assert completed.status == CertificateStatus.VALID and completed.pdf
    assert Certificate.objects.count() == 1


def test_a_retry_after_a_crash_between_the_stored_file_and_the_commit_replaces_the_file(issue, monkeypatch):
    from eban.core import audit

    real_record = audit.record

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed before the commit")

    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(RuntimeError):
        issue("application:10")
    claimed = Certificate.objects.get(idempotency_key="application:10")
    assert claimed.status == CertificateStatus.ISSUING and not claimed.pdf  # the update rolled back
    storage = Certificate._meta.get_field("pdf").storage
    left_behind = f"certificates/{claimed.issued_at:%Y}/{claimed.number}.pdf"
    assert storage.exists(left_behind)  # the crashed attempt's file

    monkeypatch.setattr(audit, "record", real_record)
    completed = issue("application:10")
    assert completed.pdf.name == left_behind  # replaced in place, no second file
    assert completed.sha256 == hashlib.sha256(pdf_bytes(completed)).hexdigest()
    _dirs, files = storage.listdir(f"certificates/{claimed.issued_at:%Y}")
    assert [name for name in files if name.startswith(claimed.number)] == [f"{claimed.number}.pdf"]


def test_a_key_reused_for_another_type_is_refused(issue, household_type):
    issue("application:11")
    with pytest.raises(Conflict):
        issue("application:11", type_code="household_registration_certificate")


def test_unknown_type_is_refused(issue):
    with pytest.raises(NotFound):
        issue(type_code="no_such_type")


def test_an_empty_key_is_refused(issue):
    with pytest.raises(DomainError):
        issue("  ")


def test_validity_defaults_to_the_types_days(issue, household_type):
    certificate = issue("application:12", type_code="household_registration_certificate")
    assert certificate.valid_from == timezone.localdate()
    assert certificate.valid_until == timezone.localdate() + datetime.timedelta(days=90)


def test_a_card_without_validity_days_does_not_expire(issued):
    assert issued.valid_until is None


def test_an_end_before_the_start_is_refused(issue):
    with pytest.raises(DomainError):
        issue(valid_from="2025-06-01", valid_until="2025-05-01")


def test_issuing_is_audited_without_personal_data(issued):
    entry = ModelLogEntry.objects.get(action=actions.ISSUE, object_id=str(issued.pk))
    assert entry.data["number"] == issued.number and entry.data["sha256"] == issued.sha256
    assert HOLDER_ID not in str(entry.data) and "张三" not in str(entry.data)


def test_revoke_records_the_reason_and_is_audited(issued):
    revoked = actions.revoke_certificate(issued, reason="持证人已迁出本市", actor=None)
    assert revoked.status == CertificateStatus.REVOKED and revoked.revoked_at is not None
    assert revoked.revoked_reason == "持证人已迁出本市"
    assert ModelLogEntry.objects.filter(action=actions.REVOKE, object_id=str(issued.pk)).exists()


def test_revoke_needs_a_reason(issued):
    with pytest.raises(DomainError):
        actions.revoke_certificate(issued, reason="  ", actor=None)


def test_revoking_twice_is_a_conflict(issued):
    actions.revoke_certificate(issued, reason="错误签发", actor=None)
    with pytest.raises(Conflict):
        actions.revoke_certificate(issued, reason="错误签发", actor=None)


def test_an_official_without_the_permission_cannot_revoke(issued, django_user_model):
    official = django_user_model.objects.create_user("clerk", password="a-long-test-password")
    with pytest.raises(PermissionDenied):
        actions.revoke_certificate(issued, reason="错误签发", actor=official)
    assert Certificate.objects.get(pk=issued.pk).status == CertificateStatus.VALID


def test_an_official_with_the_permission_can_revoke(issued, django_user_model):
    from django.contrib.auth.models import Permission

    official = django_user_model.objects.create_user("admin-mz", password="a-long-test-password")
    official.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    official = django_user_model.objects.get(pk=official.pk)
    assert (
        actions.revoke_certificate(issued, reason="错误签发", actor=official).status
        == CertificateStatus.REVOKED
    )


def test_sample_types_are_created_once(civil_affairs, police):
    first = actions.ensure_sample_types()
    second = actions.ensure_sample_types()
    codes = {t.code for t in first}
    assert {"senior_card", "household_registration_certificate"} <= codes
    assert [t.pk for t in first] == [t.pk for t in second]
    assert ModelLogEntry.objects.filter(action="certificates.type.update").count() == 0
