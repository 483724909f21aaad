"""Importing 10,000 generated matters from .xlsx: wall time and peak memory (targets < 30 s, < 500 MB).

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one): a fresh database is
migrated and given the reference departments/divisions, the workbook is written, then a child
process imports it (`eban.catalogue.interchange.import_file`, all checks, one revision and one
audit record per matter, the search reindex after commit) and reports its wall time and its own
peak resident memory (resource.getrusage). The search reindex (run when the import commits,
so the catalogue is searchable when the import returns) is part of the import's time and is also
reported on its own. A second import of the same file (nothing changes) is timed too, and the
machine's load average when the import started is reported beside the figures.
Ceiling (bench/ceilings.py): just before the import, a fresh process unzips the same workbook
and parses every XML part with the standard library's iterparse, nothing else: the least that
reading the file costs (its time and its peak memory). openpyxl was tried first: it reads the
file slower than eban's own reader (the re-import came out at ×0.6 of it), so it bounds nothing.
"""

from __future__ import annotations

import json
import os

from .ceilings import beside
from .common import database_kinds, eban, environ, result, run_python, throwaway_database

SETUP = """
import django
django.setup()
from pathlib import Path
from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.interchange.xlsx import write_xlsx
ensure_reference_data()
Path({path!r}).write_bytes(write_xlsx(generate_matters({n})))
"""

IMPORT = """
import django, json, resource, time
django.setup()
from eban.catalogue import actions
from eban.catalogue.interchange import import_file
reindex = actions.search.reindex_matters
spent = {{"reindex": 0.0}}
def timed_reindex(ids):
    t = time.perf_counter()
    reindex(ids)
    spent["reindex"] += time.perf_counter() - t
actions.search.reindex_matters = timed_reindex
start = time.perf_counter()
report = import_file({path!r})
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "reindex": spent["reindex"], "peak_mb": peak_mb, "created": len(report.created),
                  "unchanged": report.unchanged}}))
"""


BARE = """
import json
from bench.ceilings import bare_xlsx_parse
print(json.dumps(bare_xlsx_parse({path!r})))
"""
READ = "the same .xlsx unzipped and its XML parsed alone (stdlib iterparse), fresh process"


def run(quick: bool = False) -> list[dict]:
    n = 1000 if quick else 10_000
    rows = []
    for kind in database_kinds(quick):
        with throwaway_database(kind) as db:
            env = environ(db)
            eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
            path = f"{db['EBAN_DATA_DIR']}/bench-matters.xlsx"
            run_python(SETUP.format(path=path, n=n), env)
            load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
            bare = json.loads(run_python(BARE.format(path=path), env).strip().splitlines()[-1])
            first = json.loads(
                run_python(IMPORT.format(path=path), env, timeout=900).strip().splitlines()[-1]
            )
            again = json.loads(
                run_python(IMPORT.format(path=path), env, timeout=900).strip().splitlines()[-1]
            )
        if first["created"] != n or again["unchanged"] != n:
            raise RuntimeError(f"import benchmark did not import {n} matters: {first} / {again}")
        rows += [
            beside(result(f"import {n} matters from .xlsx ({kind})", first["seconds"], "s", "< 30",
                          first["seconds"] < 30), bare["seconds"], READ),
            beside(result(f"import {n} matters from .xlsx, peak memory ({kind})", first["peak_mb"], "MB", "< 500",
                          first["peak_mb"] < 500), bare["peak_mb"], READ),
            result(f"import {n} matters from .xlsx, of which the search reindex ({kind})", first["reindex"], "s",
                   "", None),
            result(f"load average (1 min) when the import started ({kind})", load, "", "", None),
            beside(result(f"re-import of the same {n} matters, nothing changes ({kind})", again["seconds"], "s", "",
                          None), bare["seconds"], READ),
        ]  # fmt: skip
    return rows
