"""Test helpers that build catalogue data directly (not through the import)."""

from __future__ import annotations

import itertools

from eban.government.models import Department, Division, DivisionLevel

from .models import LifeEvent, Matter, Theme

_seq = itertools.count(1)


def make_division(code: str = "330300", name: str = "温州市", level: str = DivisionLevel.CITY, parent=None):
    division, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return division


def make_department(code: str = "330300-GA", name: str = "温州市公安局", division=None):
    division = division or make_division()
    department, _ = Department.objects.get_or_create(
        code=code, defaults={"name": name, "short_name": name[-3:], "division": division}
    )
    return department


def make_matter(
    *,
    themes: tuple[str, ...] = (),
    life_events: tuple[str, ...] = (),
    divisions=(),
    live: bool = True,
    **fields,
) -> Matter:
    n = next(_seq)
    fields.setdefault("code", f"TEST-{n:05d}")
    fields.setdefault("name", f"测试事项{n}")
    fields.setdefault("category", "certificate")
    fields.setdefault("on_the_spot", True)
    if "department" not in fields:
        fields["department"] = make_department()
    matter = Matter(live=live, **fields)
    matter.full_clean(exclude=["themes", "life_events", "divisions"])
    matter.save()
    if themes:
        matter.themes.set(Theme.objects.filter(code__in=themes))
    if life_events:
        matter.life_events.set(LifeEvent.objects.filter(code__in=life_events))
    if divisions:
        matter.divisions.set(divisions)
    matter.save()
    return matter
