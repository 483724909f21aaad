"""Reading the search index: a query becomes terms, the terms are scored in one grouped query.

Two small queries per search on the index (how common each term is, then the scores) plus,
only when nothing matches, one more for suggestions. The same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FloatField, IntegerField, Max, Q, QuerySet, Sum, Value, When

from .analysis import EXACT, QueryPlan, analyse_query
from .models import IndexEntry, SearchDocument
from .synonyms import synonym_map

RELATIVE_CUTOFF = 0.12  # results scoring under this share of the best one are noise
COMMON_SHARE = 0.35  # terms in more than this share of documents are left out (when others remain)
SUGGESTIONS = 5
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


def _lookup_condition(plan: QueryPlan, terms) -> Q:
    condition = Q(term__in=list(terms))
    for low, high, _weight, _concept in plan.prefixes:
        condition |= Q(term__gte=low, term__lt=high)
    return condition


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
    frequency: dict[str, int] = {}
    rows = (
        IndexEntry.objects.filter(_lookup_condition(plan, plan.terms), doc_type=doc_type)
        .values_list("term")
        .annotate(n=Count("doc_id"))
    )
    for t, n in rows:
        frequency[t] = n
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

    weight_cases = [When(term=t, then=Value(w * idf(frequency[t]))) for t, w, _c in exact]
    concept_cases = [When(term=t, then=Value(c)) for t, _w, c in exact if c is not None]
    for low, high, weight, concept in prefixes:
        weight_cases.append(When(term__gte=low, term__lt=high, then=Value(weight)))
        if concept is not None:
            concept_cases.append(When(term__gte=low, term__lt=high, then=Value(concept)))
    exact_terms = [t for t, _w, _c in exact if t.startswith(EXACT + ":")]
    major_terms = [t for t, _w, c in exact if c in plan.major]
    major_cases = [When(term__in=major_terms, then=Value(1))] if major_terms else []
    for low, high, _weight, concept in prefixes:
        if concept in plan.major:
            major_cases.append(When(term__gte=low, term__lt=high, then=Value(1)))

    # 2. Score every matching document in one grouped query.
    qs = IndexEntry.objects.filter(_terms_or_prefixes(exact, prefixes), doc_type=doc_type)
    if restrict is not None:
        qs = qs.filter(doc_id__in=restrict)
    annotations = {
        "score": Sum(F("weight") * Case(*weight_cases, default=Value(0.0), output_field=FloatField())),
        "covered": Count(Case(*concept_cases, default=None, output_field=IntegerField()), distinct=True)
        if concept_cases
        else Value(0, output_field=IntegerField()),
        "exact": Max(
            Case(When(term__in=exact_terms, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        if exact_terms
        else Value(0, output_field=IntegerField()),
        "major": Max(Case(*major_cases, default=Value(0), output_field=IntegerField()))
        if major_cases
        else Value(0, output_field=IntegerField()),
    }
    ranked = []
    concepts = max(plan.concepts, 1)
    needs_major = bool(plan.major)
    for doc_id, score, covered, is_exact, has_major in (
        qs.values("doc_id")
        .annotate(**annotations)
        .values_list("doc_id", "score", "covered", "exact", "major")
    ):
        if needs_major and not (has_major or is_exact):
            continue  # matched only through a one-character word such as 证 or 办
        coverage = 1.0 if is_exact or not plan.concepts else min(covered, concepts) / concepts
        final = (score or 0.0) * coverage * coverage
        if final > 0:
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


def _terms_or_prefixes(exact, prefixes) -> Q:
    condition = Q(term__in=[t for t, _w, _c in exact])
    for low, high, _weight, _concept in prefixes:
        condition |= Q(term__gte=low, term__lt=high)
    return condition


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
