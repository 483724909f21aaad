"""Who may do what to the working-day calendar in the back office. The snippet pages (years,
special days) follow Wagtail's model permissions; the CSV upload replaces whole years, so it
needs all three (the platform administrator's role, eban/accounts/roles.py)."""

from __future__ import annotations

from typing import Any

UPLOAD_PERMISSIONS = ("workdays.add_specialday", "workdays.delete_specialday", "workdays.add_calendaryear")


def can_load_calendar_file(user: Any) -> bool:
    """May `user` load a holiday notice (CSV) into the calendar?"""
    return bool(getattr(user, "is_active", False) and user.has_perms(UPLOAD_PERMISSIONS))
