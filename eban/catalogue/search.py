"""The catalogue's part of search: what of a matter is indexed, and with what weight.

The analysis and the index are generic (eban.search); this module only says which fields of a
matter count, and how much: name > short name and aliases > keywords > themes, life events,
English name > summary > conditions > department. Only published (live) matters are indexed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from types import SimpleNamespace

from django.db import transaction

from eban.core.bulk import gc_paused
from eban.search.analysis import PHRASE, TEXT, TITLE, Field
from eban.search.index import (
    Document,
    apply_frequencies,
    bulk_load,
    clear,
    index_documents,
    optimize,
    remove_documents,
)
from eban.search.models import SearchDocument
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
    # (conditions are plain text blocks: their raw values, without building the blocks)
    fields += [Field(str(item["value"]), WEIGHT_CONDITION, TEXT) for item in matter.conditions.raw_data]
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


class _Related(list):
    """Stands in for a loaded many-to-many relation: `.all()` gives the objects."""

    def all(self) -> list:
        return self


class _IndexedMatter:
    """The columns of a matter that matter_fields and matter_document read, loaded without the
    model (10,000 full Matter instances with their StreamFields and relations cost seconds)."""

    def __init__(self, row: tuple, themes: list, life_events: list):
        (self.pk, self.code, self.name, self.name_en, self.short_name, aliases, keywords, self.summary,
         self.conditions, self.channel_kiosk, self.department_id, department_name) = row  # fmt: skip
        self.alias_list = _lines(aliases)
        self.keyword_list = _lines(keywords)
        self.department = SimpleNamespace(name=department_name)
        self.themes = _Related(themes)
        self.life_events = _Related(life_events)


def _lines(text: str) -> list[str]:  # as Matter.alias_list and Matter.keyword_list
    return [line.strip() for line in text.splitlines() if line.strip()]


INDEXED_COLUMNS = [
    "pk", "code", "name", "name_en", "short_name", "aliases", "keywords", "summary", "conditions",
    "channel_kiosk", "department_id", "department__name",
]  # fmt: skip
BULK = 1000  # from this many matters (and half the index), reindex in one bulk load


def _related(name: str, ids: list[int]) -> dict[int, list]:
    """matter id -> the related objects' names (as SimpleNamespace(name=…)), in the model's order."""
    field = Matter._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [f"{target}__{key}" for key in field.related_model._meta.ordering]
    out: dict[int, list] = {}
    rows = through.objects.filter(**{f"{source}_id__in": ids}).order_by(*ordering)
    for matter_id, related_name in rows.values_list(f"{source}_id", f"{target}__name"):
        out.setdefault(matter_id, []).append(SimpleNamespace(name=related_name))
    return out


def _live_ids(ids: Iterable[int] | None = None) -> list[int]:
    qs = Matter.objects.filter(live=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _live(ids: list[int]) -> list[_IndexedMatter]:
    """The live matters among `ids` (at most a few thousand), as matter_fields reads them."""
    themes, events = _related("themes", ids), _related("life_events", ids)
    rows = Matter.objects.filter(live=True, pk__in=ids).order_by("pk").values_list(*INDEXED_COLUMNS)
    return [_IndexedMatter(row, themes.get(row[0], []), events.get(row[0], [])) for row in rows]


def reindex_matters(matter_ids: Iterable[int]) -> None:
    """Rebuild the search entries of these matters (live ones indexed, others removed)."""
    ids = sorted({int(i) for i in matter_ids})
    if len(ids) >= BULK and 2 * len(ids) >= SearchDocument.objects.count():
        with transaction.atomic():
            remove_documents(DOC_TYPE, ids)  # while the postings are still indexed by document
            frequencies: Counter = Counter()
            with bulk_load():
                _reindex(ids, remove=False, frequencies=frequencies)
            apply_frequencies(DOC_TYPE, frequencies)
    else:
        _reindex(ids)
    forget_counts()


def _reindex(ids: list[int], remove: bool = True, frequencies: Counter | None = None) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        documents = (matter_document(m) for m in _live(chunk))
        index_documents(DOC_TYPE, chunk if remove else [], documents, frequencies=frequencies)


@gc_paused()
def reindex_all(progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole matter index; returns how many matters were indexed."""
    with transaction.atomic(), bulk_load():
        clear(DOC_TYPE)
        ids = _live_ids()
        frequencies: Counter = Counter()
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            index_documents(DOC_TYPE, [], (matter_document(m) for m in _live(chunk)), frequencies=frequencies)
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
        apply_frequencies(DOC_TYPE, frequencies)
    optimize(Matter)
    forget_counts()
    logger.info("search index rebuilt: %d matters", len(ids))
    return len(ids)
