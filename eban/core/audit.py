"""The audit log: one place where every change by staff is recorded.

Records go to Wagtail's log entries, so the back office shows them in each object's
history and in the site-wide report, beside Wagtail's own.
"""

from __future__ import annotations

from typing import Any

from wagtail.log_actions import LogActionRegistry, log
from wagtail.log_actions import registry as wagtail_registry


def record(actor: Any, action: str, instance: Any, *, title: str = "", data: dict | None = None) -> Any:
    """Record that `actor` did `action` to `instance`. `data` holds what changed (no PII)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return log(instance, action, user=user, title=title or str(instance)[:255], data=data or {})


def register_action(action: str, label: str, message: str, registry: LogActionRegistry = wagtail_registry) -> None:
    """Declare an audit action so the back office can label it."""

    registry.register_action(action, label, message)
