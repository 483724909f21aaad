"""The catalogue's part of search: what of a matter is indexed, and with what weight.

The analysis and the index are generic (eban.search); this module only says which fields of a
matter count, and how much: name > short name and aliases > keywords > themes, life events,
English name > summary > conditions > department. Only published (live) matters are indexed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from eban.search.analysis import PHRASE, TEXT, TITLE, Field
from eban.search.index import Document, clear, index_documents, optimize
from eban.search.query import forget_counts

from .models import Matter

logger = logging.getLogger(__name__)

DOC_TYPE = "matter"

WEIGHT_NAME = 10.0
WEIGHT_ALIAS = 8.0  # short name and aliases
WEIGHT_KEYWORD = 5.0
WEIGHT_TOPIC = 2.0  # themes, life events, English name
WEIGHT_SUMMARY = 1.5
WEIGHT_CONDITION = 1.0
WEIGHT_DEPARTMENT = 1.0


def matter_fields(matter: Matter) -> list[Field]:
    """The indexed fields of a matter with their weights."""
    fields = [Field(matter.name, WEIGHT_NAME, TITLE)]
    if matter.short_name:
        fields.append(Field(matter.short_name, WEIGHT_ALIAS, TITLE))
    fields += [Field(alias, WEIGHT_ALIAS, TITLE) for alias in matter.alias_list]
    fields += [Field(keyword, WEIGHT_KEYWORD, PHRASE) for keyword in matter.keyword_list]
    fields += [Field(theme.name, WEIGHT_TOPIC, PHRASE) for theme in matter.themes.all()]
    fields += [Field(event.name, WEIGHT_TOPIC, PHRASE) for event in matter.life_events.all()]
    if matter.name_en:
        fields.append(Field(matter.name_en, WEIGHT_TOPIC, PHRASE))
    if matter.summary:
        fields.append(Field(matter.summary, WEIGHT_SUMMARY, TEXT))
    fields += [Field(str(block.value), WEIGHT_CONDITION, TEXT) for block in matter.conditions]
    if matter.department_id:
        fields.append(Field(matter.department.name, WEIGHT_DEPARTMENT, TEXT))
    return fields


def matter_document(matter: Matter) -> Document:
    # Boost: a static prior for "popular" suggestions — matters people ask about in many ways.
    boost = len(matter.alias_list) + 0.5 * len(matter.keyword_list) + (1 if matter.channel_kiosk else 0)
    return Document(
        doc_type=DOC_TYPE,
        doc_id=matter.pk,
        title=matter.name,
        fields=matter_fields(matter),
        code=matter.code,
        boost=boost,
    )


def _live(ids: Iterable[int] | None = None):
    qs = (
        Matter.objects.filter(live=True)
        .select_related("department")
        .prefetch_related("themes", "life_events")
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("pk")


def reindex_matters(matter_ids: Iterable[int]) -> None:
    """Rebuild the search entries of these matters (live ones indexed, others removed)."""
    ids = sorted({int(i) for i in matter_ids})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        index_documents(DOC_TYPE, chunk, (matter_document(m) for m in _live(chunk)))
    forget_counts()


def reindex_all(progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole matter index; returns how many matters were indexed."""
    clear(DOC_TYPE)
    ids = list(_live().values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        index_documents(DOC_TYPE, [], (matter_document(m) for m in _live(chunk)))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    optimize(Matter)
    forget_counts()
    logger.info("search index rebuilt: %d matters", len(ids))
    return len(ids)
