"""The finder: `eban.kiosks.finder.locator.nearest` among 30,000 terminals (target: median < 10 ms/query).

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one): a fresh database is
migrated and 30,000 generated terminals are written over a province-sized area (Zhejiang's box,
about 450 × 500 km): most in clusters around 400 towns (as real terminals stand), the rest
scattered; 60 % keep office hours, 40 % are open 24 hours. Then a child process asks for the 5
nearest terminals from ≥ 500 random positions (half in towns, half anywhere in the area), once
without and once with `open_now=True` (at 10:00 on a working day, and at 22:00 when only the
24-hour ones count), after one untimed warm-up query. Every timing counts; the answers are
checked against a brute-force scan for a sample of positions.

Ceiling (bench/ceilings.py): right after each query, in the same process, numpy alone over the
same terminals' positions (read once into two arrays): the distance to all of them and a
partial sort for the 5 nearest. Median beside median, p95 beside p95.
"""

from __future__ import annotations

import json

from .ceilings import beside
from .common import database_kinds, eban, environ, median, percentile, result, run_python, throwaway_database

TERMINALS = 30_000
POSITIONS = 600
LAT_RANGE = (27.0, 31.2)
LNG_RANGE = (118.0, 123.0)
BARE = "numpy alone: distance to every terminal's position and a partial sort, same positions"

SETUP = """
import django, json, random, time
django.setup()
from eban.government.models import Division
from eban.kiosks.models import Terminal
rng = random.Random(2026)
province = Division.objects.create(code="330000", name="浙江省", level="province")
county = Division.objects.create(code="330302", name="鹿城区", level="county", parent=province)
office = {{"weekly": {{d: [["08:30", "12:00"], ["13:30", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}},
          "holidays": []}}
office["weekly"].update({{"sat": [], "sun": []}})
towns = [(rng.uniform({lat0}, {lat1}), rng.uniform({lng0}, {lng1})) for _ in range(400)]
batch = []
start = time.perf_counter()
for i in range({n}):
    if rng.random() < 0.8:
        lat, lng = rng.choice(towns)
        lat, lng = lat + rng.gauss(0, 0.03), lng + rng.gauss(0, 0.03)
    else:
        lat, lng = rng.uniform({lat0}, {lat1}), rng.uniform({lng0}, {lng1})
    batch.append(Terminal(code=f"B-{{i:06d}}", name=f"终端{{i}}", level="village", address="测试路",
                          latitude=lat, longitude=lng, division=county, is_sample=True,
                          opening_hours=office if rng.random() < 0.6 else {{"always": True}}))
Terminal.objects.bulk_create(batch, batch_size=2000)
print(json.dumps({{"terminals": Terminal.objects.count(), "towns": towns, "load_s": time.perf_counter() - start}}))
"""

QUERY = """
import django, json, random, time
from datetime import datetime
from zoneinfo import ZoneInfo
django.setup()
from django.db import connection
from eban.kiosks import geo
from eban.kiosks.finder import locator
from eban.kiosks.models import Terminal
towns = json.loads({towns!r})
rng = random.Random(7)
positions = []
for i in range({positions}):
    if i % 2:
        lat, lng = rng.choice(towns)
        positions.append((lat + rng.gauss(0, 0.02), lng + rng.gauss(0, 0.02)))
    else:
        positions.append((rng.uniform({lat0}, {lat1}), rng.uniform({lng0}, {lng1})))
day = datetime(2027, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))    # a Wednesday, working day
night = datetime(2027, 3, 3, 22, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
import numpy as np
from bench.ceilings import bare_nearest
# The ceiling's arrays: every active terminal's position, read once (not timed).
lats, lngs = np.array(list(Terminal.objects.filter(active=True).values_list("latitude", "longitude"))).T.copy()
locator.nearest(*positions[0], limit=5, at=day)  # warm-up: connection, calendar
bare_nearest(lats, lngs, *positions[0])
def timed(**kwargs):
    out, bare = [], []
    for lat, lng in positions:
        start = time.perf_counter()
        locator.nearest(lat, lng, limit=5, **kwargs)
        found = time.perf_counter()
        bare_nearest(lats, lngs, lat, lng)  # the ceiling, right after: numpy over the same positions
        out.append((found - start) * 1000)
        bare.append((time.perf_counter() - found) * 1000)
    return out, bare
plain, bare_plain = timed(at=day)
open_day, bare_day = timed(open_now=True, at=day)
open_night, bare_night = timed(open_now=True, at=night)
# Exactness on a sample: the same answer as a scan of every terminal.
everything = list(Terminal.objects.filter(active=True).values_list("code", "latitude", "longitude"))
wrong = 0
for lat, lng in positions[:40]:
    truth = sorted((geo.haversine_m(lat, lng, a, b), c) for c, a, b in everything)[:5]
    got = [f.terminal.code for f in locator.nearest(lat, lng, limit=5, at=day)]
    wrong += got != [c for _d, c in truth]
print(json.dumps({{"plain": plain, "open_day": open_day, "open_night": open_night, "wrong": wrong,
                  "vendor": connection.vendor, "bare": {{"plain": bare_plain, "open_day": bare_day,
                  "open_night": bare_night}}}}))
"""


def run(quick: bool = False) -> list[dict]:
    n = 3_000 if quick else TERMINALS
    positions = 100 if quick else POSITIONS
    label = f"{n // 1000}k terminals"
    box = {"lat0": LAT_RANGE[0], "lat1": LAT_RANGE[1], "lng0": LNG_RANGE[0], "lng1": LNG_RANGE[1]}
    rows = []
    for kind in database_kinds(quick):
        with throwaway_database(kind) as db:
            env = environ(db)
            eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
            setup = json.loads(
                run_python(SETUP.format(n=n, **box), env, timeout=1800).strip().splitlines()[-1]
            )
            if setup["terminals"] != n:
                raise RuntimeError(f"kiosk_nearest wrote {setup['terminals']} terminals, expected {n}")
            out = run_python(
                QUERY.format(towns=json.dumps(setup["towns"]), positions=positions, **box), env, timeout=1800
            )
            measured = json.loads(out.strip().splitlines()[-1])
        bare = measured["bare"]
        for key, what in (
            ("plain", ""),
            ("open_day", " open now, working day"),
            ("open_night", " open now, at night"),
        ):
            times = measured[key]
            p50 = median(times)
            rows += [
                beside(result(f"kiosk nearest{what} ({kind}, {label}): median", p50, "ms", "< 10", p50 < 10),
                       median(bare[key]), BARE),
                beside(result(f"kiosk nearest{what} ({kind}, {label}): p95", percentile(times, 95), "ms", "", None),
                       percentile(bare[key], 95), BARE),
            ]  # fmt: skip
        rows += [
            result(
                f"kiosk nearest ({kind}, {label}): answers differing from a full scan (of 40)",
                measured["wrong"],
                "queries",
                "0",
                measured["wrong"] == 0,
            ),
        ]
    return rows


if __name__ == "__main__":  # python -m bench.kiosk_nearest [--quick]
    import sys

    for row in run(quick="--quick" in sys.argv):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
