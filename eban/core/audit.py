"""The audit log: one place where every change by staff is recorded.

Records go to Wagtail's log entries, so the back office shows them in each object's
history and in the site-wide report, beside Wagtail's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from wagtail.log_actions import LogActionRegistry, get_active_log_context, log
from wagtail.log_actions import registry as wagtail_registry
from wagtail.models import ModelLogEntry

from eban.core import bulk


def unwrap(obj: Any) -> Any:
    """The object behind lazy wrappers such as `request.user` (which django-otp's middleware
    wraps once more: Wagtail's log registry looks through one layer only)."""
    while isinstance(obj, LazyObject):
        if obj._wrapped is empty:
            obj._setup()
        obj = obj._wrapped
    return obj


def record(actor: Any, action: str, instance: Any, *, title: str = "", data: dict | None = None) -> Any:
    """Record that `actor` did `action` to `instance`. `data` holds what changed (no PII)."""
    actor, instance = unwrap(actor), unwrap(instance)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return log(instance, action, user=user, title=title or str(instance)[:255], data=data or {})


def record_many(actor: Any, rows: list[tuple[str, Any, dict]], *, timestamp=None) -> None:
    """Record many (action, instance, data) rows at once, as `record` would each, in bulk inserts.

    For bulk writes (an import of 10,000 matters): `record` costs several queries per row.
    The instances must be model instances of models logged with ModelLogEntry (not pages)."""
    if len(rows) <= 1:
        for action, instance, data in rows:
            record(actor, action, instance, data=data)
        return
    context = get_active_log_context()
    actor = unwrap(actor)
    user = actor if getattr(actor, "is_authenticated", False) else context.user
    when = timestamp or timezone.now()
    types: dict[type, ContentType] = {}
    entries = []
    for action, instance, data in rows:
        model = type(instance)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model, for_concrete_model=False)
        entries.append(
            ModelLogEntry(
                content_type=types[model],
                label=str(instance)[:255],
                action=action,
                timestamp=when,
                data=data or {},
                user=user,
                uuid=context.uuid,
                object_id=str(instance.pk),
                content_changed=True,
            )
        )
    bulk.bulk_create(entries)


def register_action(
    action: str, label: str, message: str, registry: LogActionRegistry = wagtail_registry
) -> None:
    """Declare an audit action so the back office can label it."""

    registry.register_action(action, label, message)
