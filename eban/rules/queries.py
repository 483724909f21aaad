"""Reads of rule sets."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import RuleSet, Status


def active_rule_set(code: str, on: datetime.date | None = None) -> RuleSet | None:
    """The version of rule set `code` in force on day `on` (today by default): active, its
    validity spanning the day; when versions overlap, the newest."""
    day = on or timezone.localdate()
    return (
        RuleSet.objects.filter(code=code, status=Status.ACTIVE, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-version")
        .first()
    )


def versions(code: str) -> QuerySet[RuleSet]:
    return RuleSet.objects.filter(code=code).order_by("-version")


def latest_versions() -> list[RuleSet]:
    """The newest version of each rule set, for the list in the back office."""
    latest: dict[str, RuleSet] = {}
    for rule_set in RuleSet.objects.order_by("code", "-version").select_related("created_by"):
        latest.setdefault(rule_set.code, rule_set)
    return list(latest.values())
