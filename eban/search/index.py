"""Writing the search index: documents in, postings out. Generic over kinds of content."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count

from eban.core.bulk import bulk_create, row_writer

from .analysis import Field, document_terms
from .models import IndexEntry, SearchDocument, TermStat

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


def _quoted(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def remove_documents(doc_type: str, doc_ids: Iterable[int]) -> None:
    ids = list(doc_ids)
    delta: Counter = Counter()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for t, n in (
            IndexEntry.objects.filter(doc_type=doc_type, doc_id__in=chunk)
            .values_list("term")
            .annotate(n=Count("doc_id"))
            .order_by()
        ):
            delta[t] -= n
        IndexEntry.objects.filter(doc_type=doc_type, doc_id__in=chunk).delete()
        SearchDocument.objects.filter(doc_type=doc_type, doc_id__in=chunk).delete()
    apply_frequencies(doc_type, delta)


def apply_frequencies(doc_type: str, delta: Counter) -> None:
    """Add `delta` (term → change in postings) to the term statistics, in bulk upserts."""
    rows = [(doc_type, t, n) for t, n in delta.items() if n]
    if not rows:
        return
    table = _quoted(TermStat)
    upsert = f"ON CONFLICT (doc_type, term) DO UPDATE SET df = {table}.df + excluded.df"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY into a scratch table, then one upsert
            cursor.execute("CREATE TEMPORARY TABLE eban_search_df (doc_type text, term text, df integer)")
            with cursor.cursor.copy("COPY eban_search_df (doc_type, term, df) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} (doc_type, term, df) SELECT doc_type, term, df FROM eban_search_df {upsert}"
            )
            cursor.execute("DROP TABLE eban_search_df")
        else:
            sql = f"INSERT INTO {table} (doc_type, term, df) VALUES (%s, %s, %s) {upsert}"
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(sql, rows[start : start + BATCH_SIZE])
    if any(n < 0 for _d, _t, n in rows):
        TermStat.objects.filter(doc_type=doc_type, df__lte=0).delete()


COLUMNS = ["term", "doc_type", "doc_id", "weight"]
PG_TYPES = ["text", "text", "int8", "float8"]  # of COLUMNS, for a binary COPY


@contextmanager
def bulk_load() -> Iterator[None]:
    """Index many documents at once: on SQLite, drop the postings' secondary indexes and build
    them again at the end, several times faster than keeping them up to date row by row.

    Use inside a transaction. On SQLite (WAL mode) searches meanwhile read the committed index;
    on PostgreSQL they wait for the transaction (DROP INDEX locks the table): a bulk load is for
    imports and rebuilds of thousands of documents, which take seconds."""
    if connection.vendor not in ("sqlite", "postgresql"):
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load() must run inside a transaction")
    table = _quoted(IndexEntry)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for index in IndexEntry._meta.indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(index.name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '128MB'")
        for index in IndexEntry._meta.indexes:
            columns = ", ".join(quote(IndexEntry._meta.get_field(f).column) for f in index.fields)
            cursor.execute(f"CREATE INDEX {quote(index.name)} ON {table} ({columns})")


def index_documents(
    doc_type: str,
    doc_ids: Sequence[int],
    documents: Iterable[Document],
    *,
    frequencies: Counter | None = None,
) -> int:
    """Replace the index entries of `doc_ids` by those of `documents` (ids not given a document are removed).

    Returns the number of postings written. With `frequencies` (a bulk load in several calls),
    the changes to the term statistics are added to it, for the caller to apply once at the end
    with `apply_frequencies`.
    """
    written = 0
    documents = list(documents)  # (made before the postings are written: no query may run meanwhile)
    with transaction.atomic():
        remove_documents(doc_type, doc_ids)
        docs: list[SearchDocument] = []
        delta: Counter = Counter()
        with row_writer(IndexEntry, COLUMNS, pg_types=PG_TYPES) as write:
            for document in documents:
                docs.append(
                    SearchDocument(
                        doc_type=doc_type,
                        doc_id=document.doc_id,
                        title=document.title[:300],
                        boost=document.boost,
                    )
                )
                terms = document_terms(document.fields, document.code)
                delta.update(terms.keys())
                write([(t, document.doc_type, document.doc_id, w) for t, w in terms.items()])
                written += len(terms)
        bulk_create(docs)
        if frequencies is None:
            apply_frequencies(doc_type, delta)
        else:
            frequencies.update(delta)
    return written


def clear(doc_type: str) -> None:
    """Remove every document of a kind from the index (before a full rebuild)."""
    with transaction.atomic():
        IndexEntry.objects.filter(doc_type=doc_type).delete()
        SearchDocument.objects.filter(doc_type=doc_type).delete()
        TermStat.objects.filter(doc_type=doc_type).delete()


def optimize(*also) -> None:
    """Refresh the planner's statistics after a bulk rebuild (and, on PostgreSQL outside a
    transaction, VACUUM so that searches read the index only). `also`: other models the
    searches join (e.g. the filtered content table)."""
    tables = [_quoted(m) for m in (IndexEntry, TermStat, SearchDocument, *also)]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute(f"ANALYZE {table}")
