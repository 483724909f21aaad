"""Who may do what with notifications in the back office: read and write the message templates,
read the messages sent and send a failed one again (the platform administrator's role,
eban/accounts/roles.py)."""

from __future__ import annotations

from typing import Any


def _has(user: Any, perm: str) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm(perm))


def can_view_templates(user: Any) -> bool:
    return _has(user, "notifications.view_template")


def can_add_template(user: Any) -> bool:
    return _has(user, "notifications.add_template")


def can_change_template(user: Any) -> bool:
    """May `user` save a new version of a template, or take one out of use?"""
    return _has(user, "notifications.change_template")


def can_view_messages(user: Any) -> bool:
    return _has(user, "notifications.view_message")


def can_retry_message(user: Any) -> bool:
    return _has(user, "notifications.change_message")
