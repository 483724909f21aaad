"""Who may manage which officials: a platform administrator manages everyone; a department
administrator manages the officials of their own department, and gives only the everyday roles
(never an administrator's). Used by the staff pages of the back office."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..enums import StaffRole
from ..models import StaffProfile
from ..permissions import has_role, staff_profile

# The roles a department administrator may give within their department.
DEPARTMENT_ASSIGNABLE = frozenset(
    {
        StaffRole.REVIEWER.value,
        StaffRole.SITE_EDITOR.value,
        StaffRole.POLICY_OFFICER.value,
        StaffRole.EXPERT.value,
        StaffRole.KIOSK_OPERATOR.value,
        StaffRole.OVERSEAS_CLERK.value,
    }
)


def is_platform_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and has_role(user, StaffRole.PLATFORM_ADMIN)
    )


def managed_department_id(user: Any) -> int | None:
    """The department a department administrator manages (None: not one, or no department)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = staff_profile(user)
    if profile is None or not profile.has_role(StaffRole.DEPARTMENT_ADMIN):
        return None
    return profile.department_id


def can_view_staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_perm("accounts.view_staffprofile")
        and (is_platform_admin(user) or managed_department_id(user) is not None)
    )


def visible_staff(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """The staff profiles `user` may see: all for a platform administrator, their department's
    for a department administrator, none otherwise."""
    queryset = StaffProfile.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.has_perm("accounts.view_staffprofile"):
        return queryset.none()
    if is_platform_admin(user):
        return queryset
    department_id = managed_department_id(user)
    if department_id is None:
        return queryset.none()
    return queryset.filter(department_id=department_id)


def assignable_roles(user: Any) -> list[str]:
    if is_platform_admin(user):
        return list(StaffRole.values)
    if managed_department_id(user) is not None:
        return [r for r in StaffRole.values if r in DEPARTMENT_ASSIGNABLE]
    return []


def can_manage(user: Any, target_user: Any, profile: StaffProfile | None) -> bool:
    """Whether `user` may change `target_user`'s staff profile (None: not staff yet)."""
    if not user.has_perm("accounts.change_staffprofile"):
        return False
    if is_platform_admin(user):
        return True
    department_id = managed_department_id(user)
    if department_id is None or target_user.is_superuser or target_user.pk == user.pk:
        return False
    if profile is None:
        return True
    return profile.department_id == department_id and profile.roles <= DEPARTMENT_ASSIGNABLE


def can_reset_second_factor(user: Any) -> bool:
    """Only a platform administrator resets an authenticator: after a reset the password alone
    lets the next sign-in set up a new one."""
    return is_platform_admin(user)
