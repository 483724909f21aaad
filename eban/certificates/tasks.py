"""Background issuing (django-tasks, `eban worker`).

    from eban.certificates.tasks import issue_certificate_task, task_kwargs
    transaction.on_commit(lambda: issue_certificate_task.enqueue(**task_kwargs(
        key=f"application:{application.pk}", type_code="senior_card", department=department,
        holder_name=citizen.name, holder_id_number=citizen.id_number, data={...}, photo=photo_bytes,
        valid_from=today, valid_until=None, actor=None)))

The task's arguments are stored in the task table until it runs, so `task_kwargs` turns them into
JSON values and keeps personal data out of that table in clear: the ID number travels encrypted
(`holder_id_number_encrypted`), the photo as base64 (`photo_base64`) or, better for large photos,
as a path in the default storage (`photo_path`). The task is idempotent on `key`: a retried or
duplicated job returns the certificate already issued.
"""

from __future__ import annotations

import base64
import datetime

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django_tasks import task

from eban.core import crypto
from eban.government.models import Department

from . import actions

TASK_ID_NUMBER = "certificates.task.holder_id_number"  # encryption purpose of the queued ID number


def task_kwargs(
    *,
    key: str,
    type_code: str,
    department: Department | str | None = None,
    holder_name: str,
    holder_id_number: str = "",
    data: dict | None = None,
    photo: bytes | None = None,
    photo_path: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    actor=None,
) -> dict:
    """issue_certificate's arguments as the JSON values issue_certificate_task takes."""
    return {
        "key": key,
        "type_code": type_code,
        "department": getattr(department, "code", department) or "",
        "holder_name": holder_name,
        "holder_id_number_encrypted": crypto.encrypt(holder_id_number, TASK_ID_NUMBER)
        if holder_id_number
        else "",
        "data": data or {},
        "photo_base64": base64.b64encode(photo).decode("ascii") if photo else "",
        "photo_path": photo_path,
        "valid_from": valid_from.isoformat() if valid_from else "",
        "valid_until": valid_until.isoformat() if valid_until else "",
        "actor_id": getattr(actor, "pk", None),
    }


@task()
def issue_certificate_task(
    *,
    key: str,
    type_code: str,
    holder_name: str,
    department: str = "",
    holder_id_number: str = "",
    holder_id_number_encrypted: str = "",
    data: dict | None = None,
    photo_base64: str = "",
    photo_path: str = "",
    valid_from: str = "",
    valid_until: str = "",
    actor_id: int | None = None,
) -> dict:
    """Issue (or find) the certificate of `key`; returns its number and status."""
    if holder_id_number_encrypted:
        holder_id_number = crypto.decrypt(holder_id_number_encrypted, TASK_ID_NUMBER)
    photo = None
    if photo_base64:
        photo = base64.b64decode(photo_base64)
    elif photo_path:
        with default_storage.open(photo_path, "rb") as handle:
            photo = handle.read()
    issuer = Department.objects.get(code=department) if department else None
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    certificate = actions.issue_certificate(
        key=key,
        type_code=type_code,
        department=issuer,
        holder_name=holder_name,
        holder_id_number=holder_id_number,
        data=data or {},
        photo=photo,
        valid_from=valid_from or None,
        valid_until=valid_until or None,
        actor=actor,
    )
    return {"number": certificate.number, "status": certificate.status}
