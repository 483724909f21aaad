"""Search over 10,000 generated matters: time per query (targets: median < 20 ms, p95 < 50 ms).

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one): a fresh database is
migrated, 10,000 generated matters (bench/generate.py, sample data) are imported through the
catalogue's import, and the search index is rebuilt (`reindex_all`, timed). Then a child process
runs a mix of realistic queries — plain names, spoken questions, synonyms, homophone typos,
pinyin, initials, queries with filters, and queries that match nothing (suggestions) — through
`eban.catalogue.queries.find_matters` (ranked ids, total, suggestions: the search itself), and
separately the same plus loading the first page of 10 Matter objects, as the search page and
the API do. Each query runs `ROUNDS` times after one warm-up round; every timing counts.
Ceiling (bench/ceilings.py): right after each query, in the same process, one bare indexed
lookup of the query's heaviest term in the term table (a raw cursor, the 10 best postings):
the least a search can do on this database; median beside median, p95 beside p95.
"""

from __future__ import annotations

import json

from .ceilings import beside
from .common import database_kinds, eban, environ, median, percentile, result, run_python, throwaway_database

ROUNDS = 5
BARE = "one indexed lookup of the query's heaviest term in the term table (raw SQL, top 10)"

# (query, filters): how people ask, as in the issue, and some with filters.
QUERIES: list[tuple[str, dict]] = [
    ("优待证", {}),
    ("老年人优待证怎么办", {}),
    ("社保卡丢了", {}),
    ("港澳通行证续签", {}),
    ("公基金", {}),
    ("公基金提取", {}),
    ("laonianren", {}),
    ("gongjijin", {}),
    ("lnr", {}),
    ("gjj", {}),
    ("zfgjjtq", {}),
    ("shebaoka", {}),
    ("户口证明", {}),
    ("违章处理", {}),
    ("房产证", {}),
    ("不动产登记需要什么材料", {}),
    ("无犯罪证明在哪里开", {}),
    ("异地就医备案", {}),
    ("出生证明怎么办", {}),
    ("营业执照办理需要什么材料", {}),
    ("居住证", {}),
    ("身份证丢了", {}),
    ("驾照到期换证", {}),
    ("失业金怎么领", {}),
    ("低保申请", {}),
    ("结婚登记", {}),
    ("医保报销", {}),
    ("退休金", {}),
    ("食品经营许可证", {}),
    ("施工许可证", {}),
    ("公积金贷款", {}),
    ("个税证明", {}),
    ("社保缴费查询", {}),
    ("敬老卡", {}),
    ("良民证", {}),
    ("证明", {"category": "certificate"}),
    ("公积金", {"theme": "housing_fund"}),
    ("社保", {"division": "330302"}),
    ("登记", {"audience": "enterprise"}),
    ("身份证", {"channel": "kiosk"}),
    ("火星移民局", {}),
    ("qqqxxz", {}),
]

SETUP = """
import django, json, time
django.setup()
from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.interchange import import_matters
from eban.catalogue.search import reindex_all
from eban.search.models import IndexEntry
ensure_reference_data()
import_matters(generate_matters({n}))
start = time.perf_counter()
indexed = reindex_all()
seconds = time.perf_counter() - start
print(json.dumps({{"indexed": indexed, "reindex_s": seconds, "entries": IndexEntry.objects.count()}}))
"""

QUERY = """
import django, json, time
django.setup()
from bench.ceilings import bare_lookup, heaviest_term
from eban.catalogue.queries import find_matters
queries = json.loads({queries!r})
terms = {{q: heaviest_term(q) for q, _filters in queries}}
def once(q, filters):
    result = find_matters(q, **filters)
    page = list(result.matters[:10])
    return result.total, page
found = {{}}
for q, filters in queries:  # warm-up round: jieba's dictionary, pinyin tables, connections
    total, page = once(q, filters)
    found[q] = [total, [m.name for m in page[:3]]]
    bare_lookup(terms[q] or q)
timings, with_page, bare = [], [], []
for _ in range({rounds}):
    for q, filters in queries:
        start = time.perf_counter()
        result = find_matters(q, **filters)
        searched = time.perf_counter()
        list(result.matters[:10])
        done = time.perf_counter()
        bare_lookup(terms[q] or q)  # the ceiling, right after: one term, one indexed lookup
        timings.append((searched - start) * 1000)
        with_page.append((done - start) * 1000)
        bare.append((time.perf_counter() - done) * 1000)
print(json.dumps({{"timings": timings, "with_page": with_page, "bare": bare, "found": found}}, ensure_ascii=False))
"""


def run(quick: bool = False) -> list[dict]:
    n = 1000 if quick else 10_000
    rows = []
    for kind in database_kinds(quick):
        with throwaway_database(kind) as db:
            env = environ(db)
            eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
            setup = json.loads(run_python(SETUP.format(n=n), env, timeout=1800).strip().splitlines()[-1])
            out = run_python(
                QUERY.format(queries=json.dumps(QUERIES, ensure_ascii=False), rounds=ROUNDS), env, timeout=900
            )
            measured = json.loads(out.strip().splitlines()[-1])
        if setup["indexed"] != n:
            raise RuntimeError(f"search benchmark indexed {setup['indexed']} matters, expected {n}")
        timings, with_page, bare = measured["timings"], measured["with_page"], measured["bare"]
        p50, p95 = median(timings), percentile(timings, 95)
        pp50, pp95 = median(with_page), percentile(with_page, 95)
        b50, b95 = median(bare), percentile(bare, 95)
        rows += [
            beside(result(f"search {n} matters, median per query ({kind})", p50, "ms", "< 20", p50 < 20), b50, BARE),
            beside(result(f"search {n} matters, p95 per query ({kind})", p95, "ms", "< 50", p95 < 50), b95, BARE),
            result(f"search {n} matters, max per query ({kind})", max(timings), "ms", "", None),
            beside(result(f"search {n} matters + first page of 10 loaded, median ({kind})", pp50, "ms", "< 20",
                          pp50 < 20), b50, BARE),
            beside(result(f"search {n} matters + first page of 10 loaded, p95 ({kind})", pp95, "ms", "< 50",
                          pp95 < 50), b95, BARE),
            result(f"search index rebuild, {n} matters ({kind})", setup["reindex_s"], "s", "", None),
            result(f"search index entries for {n} matters ({kind})", setup["entries"], "rows", "", None),
        ]  # fmt: skip
    return rows


if __name__ == "__main__":  # python -m bench.search [--quick]
    import sys

    for row in run(quick="--quick" in sys.argv):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
