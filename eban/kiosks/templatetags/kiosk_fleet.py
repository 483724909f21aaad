"""Template filters of the fleet's back-office pages."""

from __future__ import annotations

from django import template

from .. import health

register = template.Library()


@register.filter
def since(moment, now=None) -> str:
    """{{ alert.opened_at|since:now }} → "just now", "3 minutes ago", "2 hours ago" (translated)."""
    return health.since(moment, now)
