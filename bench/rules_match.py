""" "Who qualifies" for the senior-card rule over 1,000,000 generated people: the rule compiled to
one query (`eban.rules.compile.to_q`, the product's own, on `accounts.Citizen`) — target < 5 s
on PostgreSQL to count the qualifiers and fetch their ids — beside the same rule evaluated row
by row in Python (`eban.rules.evaluate.passes` on each citizen's facts, read the way the product
reads them, `eban.rules.variables.iter_facts`), with the ratio.

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one) a throwaway database
is migrated and filled, in a child process, with `n` sample citizens in the real table: ID numbers
encrypted and blind-indexed as the product stores them (throwaway keys), written by COPY on
PostgreSQL and multi-row INSERTs on SQLite (eban.core.bulk.row_writer), then ANALYZEd. Birth
dates are uniform over 100 years; household registrations 75 % in Wenzhou's 12 counties, 15 %
elsewhere, 10 % unknown; 3 % live abroad. The query and Python must find the same ids (checked).

Timed: the count and the id fetch through the compiled query (median of 3 each, after one
warm-up), the Python pass (once: stream the rows, build each one's facts, evaluate), and how much
of the Python pass is reading the rows alone. The load average is reported: the machine may be shared.

Ceilings (bench/ceilings.py), in the same process: beside the compiled query, the simplest query of
the same kind (the age condition alone on a raw cursor, count and ids, timed the same way); beside
the Python pass, reading the same rows alone.
"""

from __future__ import annotations

import json
import os

from .ceilings import beside
from .common import database_kinds, eban, environ, result, run_python, throwaway_database

ON = "2025-06-15"
TARGET_S = 5.0
BARE = "the age condition alone (birth_date <= 60 years before) on a raw cursor"
OTHER_DIVISIONS = [
    ("330102", "上城区", "Shangcheng District"),
    ("330106", "西湖区", "Xihu District"),
    ("310101", "黄浦区", "Huangpu District"),
    ("110101", "东城区", "Dongcheng District"),
]

FILL = """
import django, json, time
django.setup()
from bench.rules_match import fill
print(json.dumps(fill({n}, seed=0)))
"""

MEASURE = """
import django, json
django.setup()
from bench.rules_match import measure
print(json.dumps(measure({on!r})))
"""


def fill(n: int, seed: int = 0) -> dict:
    """Write `n` sample citizens (in the child process, after django.setup())."""
    import datetime
    import random
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    from bench.generate import COUNTIES, ensure_reference_data
    from eban.accounts.identity.idnumbers import check_character
    from eban.accounts.models import Citizen
    from eban.core.bulk import gc_paused, row_writer
    from eban.government.models import Division, DivisionLevel

    ensure_reference_data()
    for code, name, name_en in OTHER_DIVISIONS:
        Division.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "level": DivisionLevel.COUNTY, "is_sample": True},
        )
    ids = dict(Division.objects.values_list("code", "pk"))
    wenzhou = [ids[code] for code, _name, _en in COUNTIES]
    elsewhere = [ids[code] for code, _name, _en in OTHER_DIVISIONS]
    code_of = {pk: code for code, pk in ids.items()}

    meta = Citizen._meta
    id_field, index_field = meta.get_field("id_number"), meta.get_field("id_number_index")
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    rng = random.Random(seed)
    first_day = datetime.date(1925, 1, 1).toordinal()
    span = datetime.date(2024, 12, 31).toordinal() - first_day
    sequence: dict[tuple[str, datetime.date], int] = {}
    start = time.perf_counter()

    def rows():
        for i in range(n):
            birth = datetime.date.fromordinal(first_day + rng.randrange(span + 1))
            roll = rng.random()
            division = rng.choice(wenzhou) if roll < 0.75 else rng.choice(elsewhere) if roll < 0.9 else None
            male = rng.random() < 0.5
            region = code_of[division] if division else "330302"
            seq = sequence.get((region, birth), 0) + 1
            sequence[(region, birth)] = seq
            first17 = f"{region}{birth:%Y%m%d}{2 * seq + male:03d}"
            number = first17 + check_character(first17)
            values = {
                "name": f"样本{i}",
                "id_number": id_field.get_prep_value(number),
                "id_number_index": index_field.index_for(number),
                "birth_date": ops.adapt_datefield_value(birth),
                "sex": "male" if male else "female",
                "household_division": division,
                "abroad_country": "IT" if rng.random() < 0.03 else "",
                "is_sample": True,
                "created_at": now,
                "updated_at": now,
            }
            yield tuple(values.get(f.name, None if f.null else f.get_default()) for f in fields)

    with gc_paused(), transaction.atomic(), row_writer(Citizen, columns) as write:
        batch = []
        for row in rows():
            batch.append(row)
            if len(batch) == 10_000:
                write(batch)
                batch = []
        write(batch)
    written = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"seconds": written, "count": Citizen.objects.count()}


def measure(on: str) -> dict:
    """Time the compiled query and the Python pass (in the child process, after django.setup())."""
    import datetime
    import statistics
    import time

    from django.db import connection

    from eban.accounts.models import Citizen
    from eban.rules import language
    from eban.rules.compile import to_q
    from eban.rules.evaluate import passes
    from eban.rules.samples import SENIOR_CARD_RULE
    from eban.rules.variables import CITIZEN, iter_facts

    day = datetime.date.fromisoformat(on)
    rule = language.parse(SENIOR_CARD_RULE)

    def timed(fn, repeat=3):
        fn()  # warm-up
        times, value = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times), value

    def query():
        return Citizen.objects.filter(to_q(rule, CITIZEN, on=day))

    count_s, count = timed(lambda: query().count())
    ids_s, ids = timed(lambda: list(query().values_list("pk", flat=True)))
    # The ceiling: the simplest query of the same kind, the age condition alone on a raw cursor.
    born_by = day.replace(year=day.year - 60)
    table = connection.ops.quote_name(Citizen._meta.db_table)

    def bare(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [born_by])
            return cursor.fetchall()

    bare_count_s, _ = timed(lambda: bare(f"SELECT count(*) FROM {table} WHERE birth_date <= %s"))
    bare_ids_s, _ = timed(lambda: bare(f"SELECT id FROM {table} WHERE birth_date <= %s"))
    sql = str(query().values("pk").query)

    start = time.perf_counter()
    python_ids = [pk for pk, facts in iter_facts(Citizen.objects.all(), CITIZEN, on=day, names=rule.fields)
                  if passes(rule, facts)]  # fmt: skip
    python_s = time.perf_counter() - start

    start = time.perf_counter()
    rows = 0
    for _row in Citizen.objects.values("pk", "birth_date", "household_division__code").iterator(
        chunk_size=5000
    ):
        rows += 1
    read_s = time.perf_counter() - start

    if count != len(ids) or set(ids) != set(python_ids):
        raise RuntimeError(
            f"the compiled query and Python disagree: {count} / {len(ids)} / {len(python_ids)} qualifiers"
        )
    return {
        "count_s": count_s,
        "ids_s": ids_s,
        "qualifiers": count,
        "rows": rows,
        "python_s": python_s,
        "read_s": read_s,
        "sql": sql,
        "bare_count_s": bare_count_s,
        "bare_ids_s": bare_ids_s,
    }


def run(quick: bool = False) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    label = f"who qualifies (senior-card rule) among {n:,} people"
    rows = []
    for kind in database_kinds(quick):
        with throwaway_database(kind) as db:
            env = environ(db)
            eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
            filled = json.loads(run_python(FILL.format(n=n), env, timeout=3600).strip().splitlines()[-1])
            load = os.getloadavg()[0]
            m = json.loads(run_python(MEASURE.format(on=ON), env, timeout=3600).strip().splitlines()[-1])
        if filled["count"] != n:
            raise RuntimeError(f"expected {n} citizens, found {filled['count']}")
        compiled = m["count_s"] + m["ids_s"]
        ratio = m["python_s"] / compiled if compiled else None
        target = f"< {TARGET_S:g}" if kind == "postgres" else ""
        ok = compiled < TARGET_S if kind == "postgres" else None
        bare = m["bare_count_s"] + m["bare_ids_s"]
        rows += [
            beside(result(f"{label}: compiled query, count + fetch ids ({kind})", compiled, "s", target, ok), bare,
                   f"{BARE} (count + ids)"),
            beside(result(f"{label}: compiled query, count alone ({kind})", m["count_s"], "s", "", None),
                   m["bare_count_s"], f"{BARE} (count)"),
            beside(result(f"{label}: compiled query, fetch the ids ({kind})", m["ids_s"], "s", "", None),
                   m["bare_ids_s"], f"{BARE} (ids)"),
            beside(result(f"{label}: the same rule row by row in Python ({kind})", m["python_s"], "s", "", None),
                   m["read_s"], "reading the same rows alone (values(), iterator), same process"),
            result(f"{label}: of which reading the rows alone ({kind})", m["read_s"], "s", "", None),
            result(f"{label}: Python time / compiled query time ({kind})", ratio, "×", "", None),
            result(f"{label}: qualifiers found, same ids both ways ({kind})", m["qualifiers"], "", "", None),
            result(
                f"{label}: writing the people, encrypted ID numbers ({kind})",
                filled["seconds"],
                "s",
                "",
                None,
            ),
            result(f"load average (1 min) before the rule was timed ({kind})", load, "", "", None),
        ]  # fmt: skip
    return rows
