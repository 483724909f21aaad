"""The issuing task: JSON arguments, personal data kept out of the queue in clear, idempotent."""

from __future__ import annotations

import base64
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from eban.certificates.enums import CertificateStatus
from eban.certificates.models import Certificate
from eban.certificates.tasks import issue_certificate_task, task_kwargs

from .conftest import HOLDER_ID

pytestmark = pytest.mark.django_db


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


def test_task_kwargs_are_json_and_hold_no_id_number_in_clear(senior_type, civil_affairs):
    kwargs = task_kwargs(
        key="application:1",
        type_code="senior_card",
        department=civil_affairs,
        holder_name="张三",
        holder_id_number=HOLDER_ID,
        photo=_photo(),
    )
    text = json.dumps(kwargs, ensure_ascii=False)
    assert HOLDER_ID not in text
    assert kwargs["department"] == "330300-MZ" and kwargs["photo_base64"]


def test_the_task_issues_once_however_often_it_runs(senior_type, civil_affairs):
    kwargs = task_kwargs(
        key="application:2",
        type_code="senior_card",
        department=civil_affairs,
        holder_name="张三",
        holder_id_number=HOLDER_ID,
        photo=_photo(),
    )
    first = issue_certificate_task.enqueue(**kwargs)  # tests run tasks at once
    second = issue_certificate_task.enqueue(**kwargs)
    assert first.return_value == second.return_value
    assert first.return_value["status"] == CertificateStatus.VALID
    certificate = Certificate.objects.get()
    assert certificate.holder_id_number == HOLDER_ID and certificate.number == first.return_value["number"]


def test_the_task_reads_a_photo_from_storage(senior_type):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    path = default_storage.save("tmp/photo.jpg", ContentFile(_photo()))
    result = issue_certificate_task.enqueue(
        key="application:3", type_code="senior_card", holder_name="张三", photo_path=path
    )
    assert result.return_value["status"] == CertificateStatus.VALID


def test_the_task_accepts_a_plain_base64_photo(senior_type):
    result = issue_certificate_task.enqueue(
        key="application:4",
        type_code="senior_card",
        holder_name="张三",
        photo_base64=base64.b64encode(_photo()).decode(),
        valid_from="2025-06-12",
    )
    assert (
        Certificate.objects.get(number=result.return_value["number"]).valid_from.isoformat() == "2025-06-12"
    )


def test_the_revoke_command(issued):
    out = StringIO()
    call_command("revoke_certificate", issued.number.lower(), reason="错误签发", stdout=out)
    issued.refresh_from_db()
    assert issued.status == CertificateStatus.REVOKED and issued.revoked_reason == "错误签发"
