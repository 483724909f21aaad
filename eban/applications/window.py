"""Applying at a service window: an official (a case handler of the matter's department) enters the
application for a citizen standing in front of them, whose ID card they have checked in person.

The citizen is recorded (or found) by name and ID number and marked verified at the counter; the
application is the citizen's own (channel "window", the official's division), and the audit
record names the official as the user who entered it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from eban.accounts import actions as accounts
from eban.accounts import permissions as staff_permissions
from eban.accounts.enums import VerificationMethod
from eban.accounts.grants.acting import Acting
from eban.core.exceptions import PermissionDenied

from . import actions, permissions
from .apply import collect_materials
from .enums import Channel
from .models import Application, MatterSetup


def window_division(user: Any):
    """Where the window is: the official's first division, else their department's."""
    profile = staff_permissions.staff_profile(user)
    if profile is None or profile.department_id is None:
        return None
    return profile.divisions.order_by("code").first() or profile.department.division


def may_apply_at_window(user: Any, setup: MatterSetup) -> bool:
    profile = staff_permissions.staff_profile(user)
    return bool(
        permissions.is_case_staff(user)
        and profile is not None
        and profile.department_id == setup.matter.department_id
    )


def apply_at_window(
    user: Any,
    setup: MatterSetup,
    *,
    name: str,
    id_number: str,
    answers: dict,
    uploads: dict[str, Any],
) -> Application:
    if not may_apply_at_window(user, setup):
        raise PermissionDenied(
            _("Only a case handler of the matter's department may enter applications at its window.")
        )
    checked, shared = collect_materials(setup.matter, uploads)
    with transaction.atomic():
        citizen = accounts.register_citizen(accounts.CitizenInput(name=name, id_number=id_number), actor=user)
        accounts.mark_verified(citizen, VerificationMethod.COUNTER, actor=user)
        acting = Acting(user=user, person=citizen, citizen=citizen)
        application = actions.submit_application(
            setup.matter,
            acting,
            channel=Channel.WINDOW,
            form_data=answers,
            uploads=checked,
            shared=shared,
            division=window_division(user),
        )
    if setup.instant:
        application = actions.decide_instantly(application)
    return application
