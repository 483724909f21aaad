"""Kiosk coverage at province scale: 30,000 terminals × 100,000 settlements (target: < 60 s for
loading from the database + computing coverage + 10 greedy new sites).

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one): a fresh database is
migrated, then a child process generates the data (seeded, reproducible) over a Zhejiang-sized
area (27.0–31.2° N, 118.0–122.8° E, ≈ 100,000 km²): 1,500 town centres, terminals scattered
around them (σ 2 km), settlements around them (σ 5 km, 10 % key villages, 50–5,000 people) in 88
county-level divisions, and bulk-inserts them. A second child process times the full path as
`eban kiosk-coverage` runs it: eban.kiosks.coverage.runs.load (the ORM reading every active
terminal and settlement into arrays) then coverage.compute with a 15-minute walk and 10 sites;
the computation alone is timed again in the same process (best of 3) and reported too.

Ceilings (bench/ceilings.py), in the same process: the same columns read through a raw cursor
into arrays (beside the load), and numpy alone making as many distance tests as the run made
(random pairs of the same arrays: gather, haversine, compare with the radius; counted by
wrapping the run's haversine), after each of the 3 timed computations (beside the computation).
"""

from __future__ import annotations

import json

from .ceilings import beside
from .common import database_kinds, eban, environ, result, run_python, throwaway_database

SEED = 20261126
LOAD = "the same columns through a raw cursor into arrays"

GENERATE = """
import django, json, time
django.setup()
import numpy as np
from eban.government.models import Division
from eban.kiosks.models import Settlement, Terminal

rng = np.random.default_rng({seed})
n_terminals, n_settlements = {terminals}, {settlements}
LAT, LNG = (27.0, 31.2), (118.0, 122.8)
ROWS, COLS = 8, 11  # 88 county-level divisions on a grid
province = Division.objects.create(code="330000", name="浙江省（基准）", level="province")
cities = {{}}
counties = []
for r in range(ROWS):
    for c in range(COLS):
        city_n = 1 + (r * COLS + c) // 8
        if city_n not in cities:
            cities[city_n] = Division.objects.create(
                code=f"33{{city_n:02d}}00", name=f"基准市{{city_n}}", level="city", parent=province
            )
        counties.append(Division.objects.create(
            code=f"33{{city_n:02d}}{{(r * COLS + c) % 8 + 1:02d}}", name=f"基准县{{r}}-{{c}}", level="county",
            parent=cities[city_n],
        ))

towns = np.column_stack([rng.uniform(*LAT, 1500), rng.uniform(*LNG, 1500)])

def around(n, sigma_km):
    t = towns[rng.integers(0, len(towns), n)]
    lat = np.clip(t[:, 0] + rng.normal(0, sigma_km / 111.0, n), *LAT)
    lng = np.clip(t[:, 1] + rng.normal(0, sigma_km / 111.0, n) / np.cos(np.radians(t[:, 0])), *LNG)
    return lat, lng

def county_of(lat, lng):
    r = np.minimum(ROWS - 1, ((lat - LAT[0]) / (LAT[1] - LAT[0]) * ROWS).astype(int))
    c = np.minimum(COLS - 1, ((lng - LNG[0]) / (LNG[1] - LNG[0]) * COLS).astype(int))
    return r * COLS + c

start = time.perf_counter()
t_lat, t_lng = around(n_terminals, 2.0)
t_county = county_of(t_lat, t_lng)
Terminal.objects.bulk_create(
    [
        Terminal(code=f"BT-{{i:06d}}", name=f"基准终端{{i}}", level="village", division=counties[t_county[i]],
                 address="基准地址", latitude=float(t_lat[i]), longitude=float(t_lng[i]),
                 opening_hours={{"always": True}}, is_sample=True)
        for i in range(n_terminals)
    ],
    batch_size=2000,
)
s_lat, s_lng = around(n_settlements, 5.0)
s_county = county_of(s_lat, s_lng)
population = rng.integers(50, 5000, n_settlements)
key = rng.random(n_settlements) < 0.10
Settlement.objects.bulk_create(
    [
        Settlement(code=f"BS-{{i:06d}}", name=f"基准村{{i}}", kind="village", division=counties[s_county[i]],
                   population=int(population[i]), latitude=float(s_lat[i]), longitude=float(s_lng[i]),
                   key_village=bool(key[i]), is_sample=True)
        for i in range(n_settlements)
    ],
    batch_size=2000,
)
print(json.dumps({{"insert_s": time.perf_counter() - start, "terminals": Terminal.objects.count(),
                  "settlements": Settlement.objects.count()}}))
"""

MEASURE = """
import django, json, time
django.setup()
import numpy as np
from django.db import connection
from bench.ceilings import bare_pair_tests
from eban.kiosks.coverage import compute as coverage
from eban.kiosks.coverage import runs as coverage_runs
from eban.kiosks.models import Settlement, Terminal
start = time.perf_counter()
data = coverage_runs.load(None)
loaded = time.perf_counter()
report = coverage.compute(data.settlements, data.terminals, minutes=15, sites=10, county_names=data.county_names)
done = time.perf_counter()

# The ceiling of the load: the same columns through a raw cursor into arrays.
def bare_load():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT latitude, longitude, population, key_village FROM {{Settlement._meta.db_table}}")
        s = np.array(cursor.fetchall(), dtype=np.float64)
        cursor.execute(f"SELECT latitude, longitude FROM {{Terminal._meta.db_table}} WHERE active")
        t = np.array(cursor.fetchall(), dtype=np.float64)
    return s, t
t0 = time.perf_counter()
s, t = bare_load()
bare_load_s = time.perf_counter() - t0

# The ceiling of the computation: as many distance tests as the run made, in numpy alone.
pairs = [0]
haversine = coverage.haversine_m
def counted(lat1, lng1, lat2, lng2):
    pairs[0] += len(lat1)
    return haversine(lat1, lng1, lat2, lng2)
alone, bare = [], []
radius = coverage.radius_for(minutes=15)
for i in range(3):
    coverage.haversine_m = counted if i == 0 else haversine
    t0 = time.perf_counter()
    coverage.compute(data.settlements, data.terminals, minutes=15, sites=10, county_names=data.county_names)
    alone.append(time.perf_counter() - t0)
    bare.append(bare_pair_tests(data.settlements.lat, data.settlements.lng, data.terminals.lat,
                                data.terminals.lng, pairs[0], radius, coverage.CHUNK_PAIRS))
print(json.dumps({{"load_s": loaded - start, "compute_s": done - loaded, "total_s": done - start,
                  "compute_best_s": min(alone), "share": report.share, "sites": len(report.sites),
                  "settlements": report.settlements, "terminals": report.terminals,
                  "uncovered_key_villages": len(report.uncovered_key_villages),
                  "with_sites": report.share_with_sites, "bare_load_s": bare_load_s, "bare_pairs_s": min(bare),
                  "pairs": pairs[0]}}))
"""


def run(quick: bool = False) -> list[dict]:
    terminals, settlements = (3_000, 10_000) if quick else (30_000, 100_000)
    size = f"{terminals:,} terminals × {settlements:,} settlements"
    rows = []
    for kind in database_kinds(quick):
        with throwaway_database(kind) as db:
            env = environ(db)
            eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
            setup = json.loads(
                run_python(GENERATE.format(seed=SEED, terminals=terminals, settlements=settlements), env,
                           timeout=1800).strip().splitlines()[-1]
            )  # fmt: skip
            measured = json.loads(run_python(MEASURE.format(), env, timeout=900).strip().splitlines()[-1])
        if (measured["terminals"], measured["settlements"]) != (terminals, settlements):
            raise RuntimeError(f"coverage benchmark read {measured}, expected {terminals} and {settlements}")
        total = measured["total_s"]
        bare_load, bare_pairs = measured["bare_load_s"], measured["bare_pairs_s"]
        tests = f"numpy alone: the run's {measured['pairs']:,} distance tests (gather, haversine, compare)"
        rows += [
            beside(result(f"kiosk coverage {size}: load + compute + 10 sites ({kind})", total, "s", "< 60",
                          total < 60), bare_load + bare_pairs, f"{LOAD} + {tests}"),
            beside(result(f"kiosk coverage {size}: loading from the database ({kind})", measured["load_s"], "s", "",
                          None), bare_load, LOAD),
            beside(result(f"kiosk coverage {size}: computation alone, best of 3 ({kind})", measured["compute_best_s"],
                          "s", "", None), bare_pairs, f"{tests}, best of 3"),
            result(f"kiosk coverage {size}: share covered, 15-min walk ({kind})", round(100 * measured["share"], 2),
                   "%", "", None),
            result(f"kiosk coverage {size}: share with the 10 sites ({kind})",
                   round(100 * measured["with_sites"], 2), "%", "", None),
            result(f"kiosk coverage {size}: bulk insert of the data, not timed above ({kind})", setup["insert_s"],
                   "s", "", None),
        ]  # fmt: skip
    return rows


if __name__ == "__main__":  # python -m bench.kiosk_coverage [--quick]
    import sys

    for row in run(quick="--quick" in sys.argv):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
