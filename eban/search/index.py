"""Writing the search index: documents in, postings out. Generic over kinds of content."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

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


def _entries(document: Document) -> list[IndexEntry]:
    return [
        IndexEntry(term=t, doc_type=document.doc_type, doc_id=document.doc_id, weight=w)
        for t, w in document_terms(document.fields, document.code).items()
    ]


def index_documents(doc_type: str, doc_ids: Sequence[int], documents: Iterable[Document]) -> int:
    """Replace the index entries of `doc_ids` by those of `documents` (ids not given a document are removed).

    Returns the number of postings written.
    """
    written = 0
    with transaction.atomic():
        remove_documents(doc_type, doc_ids)
        docs: list[SearchDocument] = []
        entries: list[IndexEntry] = []
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
                IndexEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
                written += len(entries)
                entries = []
        SearchDocument.objects.bulk_create(docs, batch_size=1000)
        IndexEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
        written += len(entries)
    return written


def clear(doc_type: str) -> None:
    """Remove every document of a kind from the index (before a full rebuild)."""
    with transaction.atomic():
        IndexEntry.objects.filter(doc_type=doc_type).delete()
        SearchDocument.objects.filter(doc_type=doc_type).delete()
