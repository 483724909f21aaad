"""Reads of the kiosk app: the matters a screen offers, by category, and the most used ones.

A matter is offered at a kiosk when it is live and open to the kiosk channel; a paired terminal
that lists its own matters offers only those (a terminal listing none offers them all)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from eban.applications.models import MatterSetup
from eban.catalogue.enums import Category
from eban.catalogue.models import Matter

from ..models import KioskTransaction, Terminal

MOST_USED_DAYS = 30
MOST_USED_COUNT = 6


def kiosk_matters(terminal: Terminal | None) -> QuerySet[Matter]:
    matters = Matter.objects.filter(live=True, channel_kiosk=True)
    if terminal is not None and terminal.matters.exists():
        matters = matters.filter(pk__in=terminal.matters.values("pk"))
    return matters.order_by("code")


@dataclass(frozen=True)
class CategoryRow:
    value: str
    label: str
    count: int


def categories(terminal: Terminal | None) -> list[CategoryRow]:
    """The four categories, each with how many of the screen's matters it holds."""
    counts = dict(kiosk_matters(terminal).order_by().values_list("category").annotate(n=Count("pk")))
    return [CategoryRow(c.value, str(c.label), counts.get(c.value, 0)) for c in Category]


def most_used(terminal: Terminal | None, *, limit: int = MOST_USED_COUNT) -> list[Matter]:
    """The screen's matters most used at kiosks in the last 30 days: at this terminal when it has
    figures, else at every terminal; with no figures at all, the matters set up for instant
    approval (the ones a kiosk completes on the spot)."""
    offered = kiosk_matters(terminal)
    since = timezone.localdate() - datetime.timedelta(days=MOST_USED_DAYS)
    recent = KioskTransaction.objects.filter(day__gte=since, matter__in=offered.values("pk"))
    scopes = [recent.filter(terminal=terminal), recent] if terminal is not None else [recent]
    for scope in scopes:
        ranked = list(
            scope.values("matter")
            .annotate(n=Count("pk"))
            .order_by("-n", "matter")[:limit]
            .values_list("matter", flat=True)
        )
        if ranked:
            found = offered.in_bulk(ranked)
            return [found[pk] for pk in ranked if pk in found]
    instant = MatterSetup.objects.filter(instant=True, accepting=True).values("matter_id")
    return list(offered.filter(pk__in=instant)[:limit])


def setup_of(matter: Matter) -> MatterSetup | None:
    """The matter's application set-up when it accepts applications (then "Apply here")."""
    setup = MatterSetup.objects.filter(matter=matter).first()
    return setup if setup is not None and setup.accepting else None
