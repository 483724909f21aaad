"""Who may do what to an application. Staff: a reviewer or a department administrator whose
scope (department and divisions, eban.accounts.permissions) holds the case. Applicant side: the
applicant, or whoever acts for them (proxy, enterprise agent) by an authorisation in force that
covers the matter (eban.accounts.grants.acting)."""

from __future__ import annotations

from typing import Any

from eban.accounts import permissions as staff_permissions
from eban.accounts.enums import StaffRole
from eban.accounts.grants.acting import Acting, act_for

from .models import Application

# The roles that handle cases (both may do every staff step of the workflow).
CASE_ROLES = (StaffRole.REVIEWER, StaffRole.DEPARTMENT_ADMIN)


def is_case_staff(user: Any) -> bool:
    """Does `user` hold a role that handles cases (in some scope)? Held, not implied: the platform
    superuser and platform administrators read every case but decide none (docs/applications.md),
    so a superuser's blanket permissions do not make a case handler."""
    if not (getattr(user, "is_authenticated", False) and user.is_active) or user.is_superuser:
        return False
    profile = staff_permissions.staff_profile(user)
    return bool(profile and any(profile.has_role(role) for role in CASE_ROLES))


def can_handle(user: Any, application: Application) -> bool:
    """May `user` accept, review and decide this case?"""
    return is_case_staff(user) and staff_permissions.in_scope(
        user, application.department_id, application.division.code
    )


def is_applicant_side(acting: Acting, application: Application) -> bool:
    """Is `acting` for this application's applicant?"""
    if application.enterprise_id is not None:
        return acting.enterprise is not None and acting.enterprise.pk == application.enterprise_id
    return acting.enterprise is None and (acting.citizen or acting.person).pk == application.citizen_id


def recheck(acting: Acting, application: Application) -> Acting:
    """`acting` checked again against this application's matter (the authorisation may have
    ended or not cover the matter): raises PermissionDenied if it no longer holds."""
    return act_for(
        acting.user,
        citizen=application.citizen if application.enterprise_id is None else None,
        enterprise=application.enterprise,
        matter_id=application.matter_id,
    )


# --- The back office's pages (eban/applications/admin_views.py, window_views.py) -------------


def can_view_cases(user: Any) -> bool:
    """May `user` open the case queue, a case in their scope and the low ratings? Case handlers,
    and platform administrators (who read every case but decide none)."""
    return is_case_staff(user) or bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and staff_permissions.has_role(user, StaffRole.PLATFORM_ADMIN)
    )


def can_apply_at_window(user: Any) -> bool:
    """May `user` enter an application at the window (for one of their department's matters)?"""
    return is_case_staff(user)


def edits_site_pages(user: Any) -> bool:
    """Does `user` edit the public sites' content (so the home page's page, image and document
    counts concern them)? Site editors and superusers; a reviewer who belongs to Wagtail's
    Moderators group for the catalogue's review does not."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or staff_permissions.has_role(user, StaffRole.SITE_EDITOR))
    )
