"""Placeholder until the search helper lands: the catalogue's link to eban.search."""

from collections.abc import Iterable


def reindex_matters(matter_ids: Iterable[int]) -> None:
    """Rebuild the search entries of these matters (live ones indexed, others removed)."""
    return None
