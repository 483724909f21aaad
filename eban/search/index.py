"""Writing the search index: documents in, postings out. Generic over kinds of content."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from .analysis import Field, document_terms
from .models import IndexEntry, SearchDocument

BATCH_SIZE = 5000


@dataclass
class Document:
    """What a kind of content gives the index for one of its rows."""

    doc_type: str
    doc_id: int
    title: str
    fields: list[Field] = field(default_factory=list)
    code: str = ""
    boost: float = 0.0


def remove_documents(doc_type: str, doc_ids: Iterable[int]) -> None:
    ids = list(doc_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        IndexEntry.objects.filter(doc_type=doc_type, doc_id__in=chunk).delete()
        SearchDocument.objects.filter(doc_type=doc_type, doc_id__in=chunk).delete()


def _entries(document: Document) -> list[tuple]:
    return [
        (t, document.doc_type, document.doc_id, w)
        for t, w in document_terms(document.fields, document.code).items()
    ]


def _insert(entries: list[tuple]) -> None:
    """Plain multi-row inserts: much faster than building 100,000s of model instances."""
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    sql = f"INSERT INTO {table} (term, doc_type, doc_id, weight) VALUES (%s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(entries), BATCH_SIZE):
            cursor.executemany(sql, entries[start : start + BATCH_SIZE])


def index_documents(doc_type: str, doc_ids: Sequence[int], documents: Iterable[Document]) -> int:
    """Replace the index entries of `doc_ids` by those of `documents` (ids not given a document are removed).

    Returns the number of postings written.
    """
    written = 0
    with transaction.atomic():
        remove_documents(doc_type, doc_ids)
        docs: list[SearchDocument] = []
        entries: list[tuple] = []
        for document in documents:
            docs.append(
                SearchDocument(
                    doc_type=doc_type,
                    doc_id=document.doc_id,
                    title=document.title[:300],
                    boost=document.boost,
                )
            )
            entries.extend(_entries(document))
            if len(entries) >= BATCH_SIZE:
                _insert(entries)
                written += len(entries)
                entries = []
        SearchDocument.objects.bulk_create(docs, batch_size=1000)
        _insert(entries)
        written += len(entries)
    return written


def clear(doc_type: str) -> None:
    """Remove every document of a kind from the index (before a full rebuild)."""
    with transaction.atomic():
        IndexEntry.objects.filter(doc_type=doc_type).delete()
        SearchDocument.objects.filter(doc_type=doc_type).delete()
