"""The generic index: documents of any kind in, postings and term statistics kept in step."""

from django.db.models import Count

from eban.search.analysis import TITLE, Field
from eban.search.index import Document, index_documents, remove_documents
from eban.search.models import IndexEntry, TermStat
from eban.search.query import forget_counts, search


def page(doc_id: int, title: str) -> Document:
    return Document(doc_type="page", doc_id=doc_id, title=title, fields=[Field(title, 10.0, TITLE)])


def frequencies_match_postings() -> bool:
    counted = dict(
        IndexEntry.objects.values_list("term").annotate(n=Count("doc_id")).order_by().values_list("term", "n")
    )
    return counted == dict(TermStat.objects.values_list("term", "df"))


def test_other_kinds_of_content_can_be_indexed_and_searched(db):
    index_documents("page", [1, 2], [page(1, "政府信息公开指南"), page(2, "政务服务地图")])
    forget_counts()
    assert search("信息公开", "page").ids == [1]


def test_term_statistics_follow_reindexing_and_removal(db):
    index_documents("page", [1, 2], [page(1, "政府信息公开指南"), page(2, "政务服务地图")])
    index_documents("page", [1], [page(1, "政府信息公开年报")])
    assert frequencies_match_postings()
    remove_documents("page", [2])
    assert frequencies_match_postings()
    assert not TermStat.objects.filter(term="w:地图").exists()
