"""Bulk writes: rows written as they come, prepared values, the paused garbage collector."""

import gc

import pytest

from eban.core.bulk import SQLITE_PARAMS, bulk_create, gc_paused, insert_rows, row_writer
from eban.search.models import IndexEntry, SearchDocument

COLUMNS = ["term", "doc_type", "doc_id", "weight"]


def rows(start: int, n: int) -> list[tuple]:
    return [(f"w:{i}", "bulk-test", i, i / 8) for i in range(start, start + n)]


@pytest.mark.django_db
def test_rows_written_in_several_calls_all_arrive_with_their_values():
    per_statement = SQLITE_PARAMS // len(COLUMNS)
    batches = [rows(0, 1), rows(1, 3 * per_statement + 7), rows(3 * per_statement + 8, 2)]
    with row_writer(IndexEntry, COLUMNS, pg_types=["text", "text", "int8", "float8"]) as write:
        for batch in batches:
            write(batch)
    stored = IndexEntry.objects.filter(doc_type="bulk-test").order_by("doc_id")
    assert list(stored.values_list(*COLUMNS)) == [row for batch in batches for row in batch]


@pytest.mark.django_db
def test_insert_rows_writes_a_number_of_rows_that_fills_no_statement():
    insert_rows(IndexEntry, COLUMNS, rows(0, 5))
    assert IndexEntry.objects.filter(doc_type="bulk-test").count() == 5


@pytest.mark.django_db
def test_prepared_values_are_written_as_given():
    docs = [SearchDocument(doc_type="bulk-test", doc_id=i, title="from the object") for i in (1, 2)]
    bulk_create(docs, prepared=[{"title": "prepared"}, {}])
    titles = dict(SearchDocument.objects.filter(doc_type="bulk-test").values_list("doc_id", "title"))
    assert titles == {1: "prepared", 2: "from the object"}
    assert all(doc.pk for doc in docs)


def test_the_garbage_collector_is_paused_inside_and_restored_by_the_outermost_pause():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_garbage_collector_is_restored_when_the_job_fails():
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()
