"""The notifications of the case workflow: the applicant (and whoever submitted for them) and the
department's administrators are told through eban.notifications, which sends after commit.
A notification that cannot be created is logged and never undoes the step that caused it."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from eban.accounts.enums import StaffRole
from eban.accounts.models import Citizen

from .models import Application

logger = logging.getLogger(__name__)


def _send(template_code: str, *, reference: str, context: dict, user=None, phone: str = "") -> None:
    """Create a notification (the notifications app sends it after commit). A failure to create
    it (a template with a field missing …) is logged and never undoes the step that caused it."""
    from eban.notifications.actions import notify

    try:
        with transaction.atomic():
            notify(template_code, user=user, phone=phone, context=context, reference=reference)
    except Exception:
        logger.exception("notification %s for case %s could not be created", template_code, reference)


def _context(application: Application, **extra: Any) -> dict:
    """The named fields of the notification kinds (eban.notifications.kinds)."""
    return {
        "case_number": application.number,
        "matter": application.matter.name,
        "department": application.department.name,
        **extra,
    }


def deadline_unknown() -> str:
    return _("to be set once the holiday calendar is published")


def notify_applicant(application: Application, template_code: str, **extra: Any) -> None:
    """Tell the applicant — and whoever submitted for them (a proxy, an enterprise's agent) while
    the authorisation they submitted by is in force — in their inbox and by SMS."""
    recipients: list[Citizen] = []
    if application.citizen_id:
        recipients.append(application.citizen)
    grant = application.via_proxy or application.via_agent
    if (
        application.submitted_by_id
        and application.submitted_by_id != application.citizen_id
        and (grant is None or grant.in_force())
    ):
        recipients.append(application.submitted_by)
    context = _context(application, **extra)
    for citizen in recipients:
        _send(
            template_code,
            reference=application.number,
            context=context,
            user=citizen.user,
            phone=citizen.phone,
        )


def department_admins(department_id: int):
    """The active department administrators of a department."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_profile__department_id=department_id,
            groups__name=StaffRole.DEPARTMENT_ADMIN.group_name,
        )
        .distinct()
        .order_by("pk")
    )


def notify_department_admins(application: Application, template_code: str, **extra: Any) -> int:
    context = _context(application, **extra)
    admins = list(department_admins(application.department_id))
    for user in admins:
        _send(template_code, reference=application.number, context=context, user=user)
    return len(admins)


def notify_certificate_issued(application: Application, certificate) -> None:
    from eban.certificates.render import verify_url

    notify_applicant(
        application,
        "certificate.issued",
        certificate_number=certificate.number,
        verify_url=verify_url(certificate.number),
    )
