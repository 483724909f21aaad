"""Who may do what to rule sets: policy officers and platform administrators write, activate and
retire them (and so use their back-office pages); the try-out may look a citizen up by ID number
only for those who may read citizens."""

from __future__ import annotations

from typing import Any

from eban.accounts.enums import StaffRole
from eban.accounts.permissions import has_role

EDITORS = (StaffRole.POLICY_OFFICER, StaffRole.PLATFORM_ADMIN)


def can_edit(user: Any) -> bool:
    """Whether `user` may write and activate rule sets (and so use their pages)."""
    return bool(getattr(user, "is_active", False)) and any(has_role(user, role) for role in EDITORS)


def can_find_citizens(user: Any) -> bool:
    """May the try-out look a citizen up by ID number (not only pick a sample one)?"""
    return bool(getattr(user, "is_active", False) and user.has_perm("accounts.view_citizen"))
