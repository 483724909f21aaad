"""The synonym list as the query side uses it, reloaded whenever staff edit it."""

from __future__ import annotations

import threading

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Length

from .models import Synonym

_lock = threading.Lock()
_cache: dict = {"stamp": None, "map": {}}


def _stamp() -> tuple:
    """Changes whenever a group is added, deleted, edited, enabled or disabled (even by .update())."""
    row = Synonym.objects.aggregate(
        n=Count("id"),
        enabled=Count("id", filter=Q(enabled=True)),
        changed=Max("updated_at"),
        size=Sum(Length("terms")),
        last=Max("id"),
    )
    return tuple(row.values())


def build_map(groups: list[list[str]]) -> dict[str, tuple[str, ...]]:
    """word → the other words of every group that word belongs to."""
    result: dict[str, list[str]] = {}
    for words in groups:
        for word in words:
            others = result.setdefault(word, [])
            others.extend(w for w in words if w != word and w not in others)
    return {word: tuple(others) for word, others in result.items()}


def synonym_map() -> dict[str, tuple[str, ...]]:
    """The enabled synonym groups as a lookup table (one tiny query to see whether it changed)."""
    stamp = _stamp()
    if stamp != _cache["stamp"]:
        groups = [s.term_list for s in Synonym.objects.filter(enabled=True)]
        with _lock:
            _cache["map"] = build_map(groups)
            _cache["stamp"] = stamp
    return _cache["map"]
