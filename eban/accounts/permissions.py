"""Who may see and do what: the staff's scope (department and divisions) and the entitlements
around personal data. One place, used alike by pages, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from eban.government.divisions import code_prefix

from .enums import StaffRole
from .models import StaffProfile


@dataclass(frozen=True)
class Scope:
    """What an official's queries may return: everything, or the cases of their department
    within their divisions (a division includes everything under it)."""

    everything: bool = False
    department_ids: frozenset[int] = frozenset()
    division_codes: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.department_ids


NOTHING = Scope()


def staff_profile(user: Any) -> StaffProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def staff_scope(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    profile = staff_profile(user)
    if user.is_superuser or (profile and profile.has_role(StaffRole.PLATFORM_ADMIN)):
        return Scope(everything=True)
    if profile is None or profile.department_id is None:
        return NOTHING
    codes = tuple(sorted(profile.divisions.values_list("code", flat=True)))
    if not codes:  # by default, the department's own division
        codes = (profile.department.division.code,)
    return Scope(department_ids=frozenset({profile.department_id}), division_codes=codes)


def scope_q(scope: Scope, *, department: str = "department", division: str = "division") -> Q:
    """The filter that keeps the rows in scope; `department` and `division` name the row's
    foreign keys (paths such as "matter__department" work too)."""
    if scope.everything:
        return Q()
    if scope.nothing:
        return Q(pk__in=[])
    in_divisions = Q()
    for code in scope.division_codes:
        in_divisions |= Q(**{f"{division}__code__startswith": code_prefix(code)})
    return Q(**{f"{department}_id__in": sorted(scope.department_ids)}) & in_divisions


def visible_to(user: Any, queryset: QuerySet, **fields: str) -> QuerySet:
    """The rows of `queryset` that the official `user` may see."""
    return queryset.filter(scope_q(staff_scope(user), **fields))


def in_scope(user: Any, department_id: int | None, division_code: str | None) -> bool:
    scope = staff_scope(user)
    if scope.everything:
        return True
    if scope.nothing or department_id not in scope.department_ids:
        return False
    return any((division_code or "").startswith(code_prefix(code)) for code in scope.division_codes)


def has_role(user: Any, role: StaffRole) -> bool:
    profile = staff_profile(user)
    return bool(getattr(user, "is_superuser", False) or (profile and profile.has_role(role)))


def can_view_unmasked(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("accounts.view_unmasked"))


def can_view_citizens(user: Any) -> bool:
    return bool(user.is_active and user.has_perm("accounts.view_citizen"))


def can_view_enterprises(user: Any) -> bool:
    return bool(user.is_active and user.has_perm("accounts.view_enterprise"))


def can_use_second_factor(user: Any) -> bool:
    """The second sign-in step's pages: an account that passed the password step."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
