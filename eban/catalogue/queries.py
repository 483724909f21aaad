"""Reads of the catalogue: finding live matters by words and by filters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from eban.government.models import Department, Division
from eban.search.query import search

from .enums import Audience, Channel
from .models import LifeEvent, Matter, Theme
from .search import DOC_TYPE


class RankedMatters(Sequence):
    """Matters in the order the search ranked them, loaded a slice at a time (for pagination)."""

    def __init__(self, ids: list[int], queryset: QuerySet | None = None):
        self._ids = ids
        self._queryset = queryset if queryset is not None else Matter.objects.all()

    def __len__(self) -> int:
        return len(self._ids)

    def count(self, value: Any = None) -> int:  # Django's Paginator calls count()
        return len(self._ids) if value is None else sum(1 for m in self if m == value)

    def _load(self, ids: list[int]) -> list[Matter]:
        found = self._queryset.filter(live=True).in_bulk(ids)
        return [found[i] for i in ids if i in found]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self._ids[index])
        matters = self._load([self._ids[index]])
        if not matters:
            raise IndexError(index)
        return matters[0]

    def __iter__(self) -> Iterator[Matter]:
        for start in range(0, len(self._ids), 200):
            yield from self._load(self._ids[start : start + 200])

    def select_related(self, *fields: str) -> RankedMatters:
        return RankedMatters(self._ids, self._queryset.select_related(*fields))

    def prefetch_related(self, *lookups: str) -> RankedMatters:
        return RankedMatters(self._ids, self._queryset.prefetch_related(*lookups))

    @property
    def ids(self) -> list[int]:
        return list(self._ids)


@dataclass
class MatterSearchResult:
    """Live matters best first (a queryset without `q`), how many, and suggestions when none matched."""

    matters: Sequence[Matter] | QuerySet
    total: int
    suggestions: list[str] = field(default_factory=list)
    query: str = ""


def _code(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return getattr(value, "code", None) or str(value)


def _division_condition(division: Division) -> Q:
    """Matters that can be handled in `division`: offered there, or everywhere their department serves."""
    above = [division.pk] + [d.pk for d in division.ancestors()]
    return Q(divisions=division) | Q(divisions__isnull=True, department__division_id__in=above)


def filter_matters(
    *,
    category: str | None = None,
    theme: Any = None,
    audience: str | None = None,
    department: Any = None,
    division: Any = None,
    channel: str | None = None,
    life_event: Any = None,
) -> QuerySet:
    """Live matters narrowed by the browse filters (each a code, a value or a model instance)."""
    qs = Matter.objects.filter(live=True)
    many = False
    if category:
        qs = qs.filter(category=str(category))
    if audience:
        audience = str(audience)
        qs = qs.filter(audience__in=[audience, Audience.BOTH] if audience != Audience.BOTH else [audience])
    if channel:
        channel = str(channel)
        if channel not in Channel.values:
            return Matter.objects.none()
        qs = qs.filter(**{f"channel_{channel}": True})
    if theme is not None and theme != "":
        qs = qs.filter(themes__in=Theme.objects.filter(code=_code(theme)))
        many = True
    if life_event is not None and life_event != "":
        qs = qs.filter(life_events__in=LifeEvent.objects.filter(code=_code(life_event)))
        many = True
    if department is not None and department != "":
        qs = qs.filter(department__in=Department.objects.filter(code=_code(department)))
    if division is not None and division != "":
        found = (
            division
            if isinstance(division, Division)
            else Division.objects.filter(code=_code(division)).first()
        )
        if found is None:
            return Matter.objects.none()
        qs = qs.filter(_division_condition(found))
        many = True
    return qs.distinct() if many else qs


def find_matters(
    q: str = "",
    *,
    category: str | None = None,
    theme: Any = None,
    audience: str | None = None,
    department: Any = None,
    division: Any = None,
    channel: str | None = None,
    life_event: Any = None,
) -> MatterSearchResult:
    """Search and browse: live matters matching the words `q` (best first) and every filter given."""
    filters = {
        "category": category,
        "theme": theme,
        "audience": audience,
        "department": department,
        "division": division,
        "channel": channel,
        "life_event": life_event,
    }
    filtered = any(v not in (None, "") for v in filters.values())
    qs = filter_matters(**filters)
    q = (q or "").strip()
    if not q:
        return MatterSearchResult(matters=qs.order_by("code"), total=qs.count())
    hits = search(q, DOC_TYPE, restrict=qs.order_by().values("id") if filtered else None)
    query = hits.plan.text if hits.plan else q
    return MatterSearchResult(
        matters=RankedMatters(hits.ids), total=hits.total, suggestions=hits.suggestions, query=query
    )
