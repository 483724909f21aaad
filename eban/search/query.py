"""Reading the search index: a query becomes terms, the terms are scored in one grouped query.

Two small queries per search on the index (how common each term is, then the scores) plus,
only when nothing matches, one more for suggestions. The same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, FloatField, QuerySet, Sum, Value, When

from .analysis import EXACT, QueryPlan, analyse_query
from .models import IndexEntry, SearchDocument, TermStat
from .synonyms import synonym_map

RELATIVE_CUTOFF = 0.12  # results scoring under this share of the best one are noise
# A result must score at least this much per unit of the query's own weight (see `_query_weight`):
# about what a document gets when every concept of the query is in a field of weight 1 (the
# catalogue's conditions). A word of the query found only inside a condition, with the rest of the
# query found nowhere ("xyz不存在的事" → "存在" in one condition: 0.03), is not a match.
MIN_MATCH = 0.6
COMMON_SHARE = 0.35  # terms in more than this share of documents are left out (when others remain)
SUGGESTIONS = 5
POSTINGS_BUDGET = 4000  # postings read by the scoring query, at most (plus the rarest term of each concept)
_COUNT_TTL = 60.0
_counts: dict[str, tuple[float, int]] = {}


@dataclass
class SearchHits:
    """Ranked document ids (best first) with their scores, and suggestions when nothing matched."""

    ids: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    plan: QueryPlan | None = None

    @property
    def total(self) -> int:
        return len(self.ids)


def document_count(doc_type: str) -> int:
    """How many documents of a kind are indexed (kept a minute per process; it only feeds a logarithm)."""
    now = time.monotonic()
    cached = _counts.get(doc_type)
    if cached and now - cached[0] < _COUNT_TTL:
        return cached[1]
    n = SearchDocument.objects.filter(doc_type=doc_type).count()
    _counts[doc_type] = (now, n)
    return n


def forget_counts() -> None:
    _counts.clear()


def _table() -> str:
    return connection.ops.quote_name(IndexEntry._meta.db_table)


def _where_terms(terms: list[str], prefixes: list[tuple]) -> tuple[str, list]:
    """`term IN (…) OR term >= low AND term < high …`: index lookups and index range scans only."""
    parts, params = [], []
    if terms:
        parts.append(f"term IN ({', '.join(['%s'] * len(terms))})")
        params += terms
    for low, high, *_rest in prefixes:
        parts.append("(term >= %s AND term < %s)")
        params += [low, high]
    return " OR ".join(parts), params


def _term_frequencies(plan: QueryPlan, doc_type: str) -> dict[str, int]:
    """How many postings each term of the query has (from the statistics the indexer keeps)."""
    where, params = _where_terms(list(plan.terms), plan.prefixes)
    sql = f"SELECT term, df FROM {connection.ops.quote_name(TermStat._meta.db_table)} WHERE doc_type = %s AND ({where})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [doc_type, *params])
        return dict(cursor.fetchall())


def search(query: str, doc_type: str, *, restrict: QuerySet | None = None) -> SearchHits:
    """Find the documents of `doc_type` matching `query`, best first.

    `restrict` (a queryset of document ids, e.g. `Matter.objects.filter(...).values("id")`) limits
    the search to those documents, inside the same grouped query.
    """
    plan = analyse_query(query, synonym_map())
    hits = SearchHits(plan=plan)
    if plan.empty:
        return hits
    total_docs = max(document_count(doc_type), 1)

    # 1. How common is each term (and each initials prefix)?
    frequency = _term_frequencies(plan, doc_type)
    if not frequency:
        hits.suggestions = suggest(plan, doc_type)
        return hits

    def idf(n: int) -> float:
        return math.log(1.0 + total_docs / max(n, 1))

    exact = [(t, w, c) for t, (w, c) in plan.terms.items() if t in frequency]
    prefixes = []
    for low, high, weight, concept in plan.prefixes:
        n = sum(v for t, v in frequency.items() if low <= t < high)
        if n:
            prefixes.append((low, high, weight * idf(min(n, total_docs)), concept))
    if len(exact) + len(prefixes) > 1 and total_docs >= 200:
        common = {t for t, _w, _c in exact if frequency[t] > COMMON_SHARE * total_docs}
        if len(common) < len(exact) + len(prefixes):
            exact = [e for e in exact if e[0] not in common]
    exact = _within_budget(exact, frequency, sum(v for t, v in frequency.items() if t not in plan.terms))

    # 2. Score every matching document in one grouped query: the query's terms are a small
    #    VALUES table joined to the index (an index lookup per term, no per-row CASE chains).
    rows_sql, params = [], []
    for t, w, c in exact:
        rows_sql.append("(%s, %s, %s, %s, %s)")
        is_exact = 1 if t.startswith(EXACT + ":") else 0
        params += [t, round(w * idf(frequency[t]), 6), -1 if c is None else c, is_exact, int(c in plan.major)]
    parts = []
    if rows_sql:
        parts.append(
            "SELECT e.doc_id AS doc_id, e.weight * v.column2 AS score, v.column3 AS concept, "
            "v.column4 AS exact, v.column5 AS major "
            f"FROM (VALUES {', '.join(rows_sql)}) AS v JOIN {_table()} e ON e.term = v.column1 AND e.doc_type = %s"
        )
        params.append(doc_type)
    for low, high, w, c in prefixes:
        parts.append(
            "SELECT doc_id, weight * %s AS score, %s AS concept, 0 AS exact, %s AS major "
            f"FROM {_table()} WHERE doc_type = %s AND term >= %s AND term < %s"
        )
        params += [round(w, 6), -1 if c is None else c, int(c in plan.major), doc_type, low, high]
    restrict_sql = ""
    if restrict is not None:
        sub_sql, sub_params = restrict.order_by().query.sql_with_params()
        restrict_sql = f" WHERE doc_id IN ({sub_sql})"
        params += list(sub_params)
    having = " HAVING MAX(major) = 1 OR MAX(exact) = 1" if plan.major else ""
    sql = (
        "SELECT doc_id, SUM(score), COUNT(DISTINCT CASE WHEN concept >= 0 THEN concept END), MAX(exact), MAX(major) "
        f"FROM ({' UNION ALL '.join(parts)}) hits{restrict_sql} GROUP BY doc_id{having}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    ranked = []
    concepts = max(plan.concepts, 1)
    needs_major = bool(plan.major)
    floor = MIN_MATCH * _query_weight(plan, frequency, idf)
    for doc_id, score, covered_n, exact_hit, has_major in rows:
        if needs_major and not (has_major or exact_hit):
            continue  # matched only through a one-character word such as 证 or 办
        coverage = 1.0 if exact_hit or not plan.concepts else min(covered_n, concepts) / concepts
        final = float(score or 0.0) * coverage * coverage
        if final > 0 and (exact_hit or final >= floor):
            ranked.append((final, doc_id))
    if not ranked:
        hits.suggestions = suggest(plan, doc_type)
        return hits
    ranked.sort(key=lambda r: (-r[0], r[1]))
    cutoff = ranked[0][0] * RELATIVE_CUTOFF
    kept = [r for r in ranked if r[0] >= cutoff]
    hits.ids = [doc_id for _s, doc_id in kept]
    hits.scores = [round(s, 4) for s, _d in kept]
    return hits


def _query_weight(plan: QueryPlan, frequency: dict[str, int], idf) -> float:
    """What the query weighs: for each concept, its best term's weight × idf, summed. A term found
    nowhere counts as the rarest (idf of one posting): a query half made of words that no
    document has cannot be matched by a document that has the other half in passing."""
    best: dict[int, float] = {}
    for t, (w, c) in plan.terms.items():
        if c is not None and not t.startswith(EXACT + ":"):
            best[c] = max(best.get(c, 0.0), w * idf(frequency.get(t, 1)))
    for low, high, w, c in plan.prefixes:
        if c is not None:
            n = sum(v for t, v in frequency.items() if low <= t < high)
            best[c] = max(best.get(c, 0.0), w * idf(n or 1))
    return sum(best.values())


def _within_budget(exact: list[tuple[str, float, int | None]], frequency: dict[str, int], used: int) -> list:
    """Keep the query's cost bounded whatever the catalogue's size.

    The rarest term of every concept is always kept; the other terms are added rarest first
    while the postings to read stay within POSTINGS_BUDGET. Common terms add little to the
    score (their idf is low) and most of the cost.
    """
    if used + sum(frequency[t] for t, _w, _c in exact) <= POSTINGS_BUDGET:
        return exact
    by_rarity = sorted(exact, key=lambda e: frequency[e[0]])
    kept, seen = [], set()
    for entry in by_rarity:
        if entry[2] is not None and entry[2] not in seen:
            seen.add(entry[2])
            kept.append(entry)
            used += frequency[entry[0]]
    for entry in by_rarity:
        if entry in kept:
            continue
        if used + frequency[entry[0]] > POSTINGS_BUDGET:
            break
        kept.append(entry)
        used += frequency[entry[0]]
    return kept


def suggest(plan: QueryPlan, doc_type: str, limit: int = SUGGESTIONS) -> list[str]:
    """Names close to what was typed (sharing characters or syllables), else the most popular ones."""
    if plan.weak_terms:
        needed = min(2, len(plan.weak_terms))
        cases = [When(term=t, then=Value(w)) for t, w in plan.weak_terms.items()]
        rows = (
            IndexEntry.objects.filter(term__in=list(plan.weak_terms), doc_type=doc_type)
            .values("doc_id")
            .annotate(
                score=Sum(F("weight") * Case(*cases, default=Value(0.0), output_field=FloatField())),
                matched=Count("term", distinct=True),
            )
            .filter(matched__gte=needed)
            .order_by("-score", "doc_id")
            .values_list("doc_id", flat=True)[:limit]
        )
        ids = list(rows)
        if ids:
            titles = dict(
                SearchDocument.objects.filter(doc_type=doc_type, doc_id__in=ids).values_list(
                    "doc_id", "title"
                )
            )
            return _unique(titles[i] for i in ids if i in titles)
    return popular(doc_type, limit)


def popular(doc_type: str, limit: int = SUGGESTIONS) -> list[str]:
    """The documents with the highest boost (a static prior given by each kind of content)."""
    return _unique(
        SearchDocument.objects.filter(doc_type=doc_type)
        .order_by("-boost", "title")
        .values_list("title", flat=True)[: limit * 2]
    )[:limit]


def _unique(titles) -> list[str]:
    seen: list[str] = []
    for title in titles:
        if title not in seen:
            seen.append(title)
    return seen
