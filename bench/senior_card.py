"""The senior citizen card, end to end on the server (issue 4's figures).

1. Latency (SQLite and PostgreSQL): for 40 sample villagers aged 60+, one after another, the
   server-side work of the story: submit the application (form, materials from shared data,
   the real-name checks) → instant decision by the rule set → the certificate task's work
   (render the PDF, sign it, store it, complete the case). Median and p95 of the whole, with
   the submit+decision part, the PDF render and the signature reported separately (the render
   and the signature are timed inside the same runs by wrapping the two functions).
2. Concurrency (PostgreSQL): 1,000 instant applications submitted at once by 8 threads (own
   connections) while 4 `eban worker` processes issue the certificates; checks that no
   submission failed, that every case completed, and that there is exactly one certificate per
   case; prints the throughput (cases completed per second, submission to last certificate).

Ceilings (bench/ceilings.py): after each card of (1), in the same process, WeasyPrint alone
renders the HTML the card was printed from and pyHanko alone signs it with the same key; after
(2), as many processes as there were workers make signed PDFs that way for a fixed time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from .ceilings import beside
from .common import (
    ROOT,
    database_kinds,
    eban,
    environ,
    median,
    percentile,
    postgres_url,
    result,
    run_python,
    throwaway_database,
)

BARE = "WeasyPrint alone on the same HTML + pyHanko alone signing it with the same key"

SETUP = """
import django
django.setup()
from django.core.management import call_command
from eban.demo.loading import load_sample
load_sample(with_users=False)
call_command("demo_ca", verbosity=0)
import datetime, random
from eban.accounts import actions
from eban.accounts.identity.idnumbers import check_character
rng = random.Random(7)
for i in range({n}):
    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 25))
    first17 = f"330324{{birth:%Y%m%d}}{{i % 1000:03d}}"
    actions.register_citizen(actions.CitizenInput(name="样例老人", id_number=first17 + check_character(first17),
                             household_division_code="330324001001"), is_sample=True)
print("ok")
"""

LATENCY = """
import django, json, time
django.setup()
from eban.accounts import actions as accounts
from eban.accounts.models import Citizen
from eban.applications import apply, tasks
from eban.applications.enums import Channel
from eban.applications.models import MatterSetup
from eban.certificates import render, signing

spent = {{"render": [], "sign": []}}
def timed(module, name, key):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key].append(time.perf_counter() - t)
    setattr(module, name, wrapper)
timed(render, "{render_fn}", "render")
timed(signing, "{sign_fn}", "sign")
html_made = []
render_html = render.render_html
def keep_html(*args, **kwargs):
    html_made.append(render_html(*args, **kwargs))
    return html_made[-1]
render.render_html = keep_html  # the ceiling renders the very HTML the card was printed from

setup = MatterSetup.objects.select_related("matter").get(matter__code="330300-MZ-0001")
people = list(Citizen.objects.filter(name="样例老人").order_by("pk")[:{n}])
users = [accounts.account_for(p) for p in people]
from bench.ceilings import bare_render, bare_sign
from eban.certificates.models import Certificate
signer = None
total, decide, bare = [], [], []
for i, user in enumerate(users):
    spent_before = (len(spent["render"]), len(spent["sign"]))
    t0 = time.perf_counter()
    application = apply.apply(user, setup, answers={{}}, uploads={{}}, channel=Channel.ONLINE)
    t1 = time.perf_counter()
    tasks.issue_certificate_and_complete.call(application_id=application.pk)
    t2 = time.perf_counter()
    application.refresh_from_db()
    assert application.status == "completed", application.status
    signer = signer or signing.signer_for(Certificate.objects.select_related("issuer").latest("pk").issuer)
    t3 = time.perf_counter()
    bare_sign(bare_render(html_made[-1]), signer)  # the ceiling, right after: WeasyPrint + pyHanko alone
    t4 = time.perf_counter()
    if i:  # the first run loads fonts, keys and models
        decide.append(t1 - t0)
        total.append(t2 - t0)
        bare.append(t4 - t3)
print(json.dumps({{"total": total, "decide": decide, "render": spent["render"][1:], "sign": spent["sign"][1:],
                  "bare": bare}}))
"""

SUBMIT = """
import django, json, threading, time
django.setup()
from django.db import connection
from eban.accounts import actions as accounts
from eban.accounts.models import Citizen
from eban.applications import apply
from eban.applications.enums import Channel
from eban.applications.models import MatterSetup

setup = MatterSetup.objects.select_related("matter").get(matter__code="330300-MZ-0001")
users = [accounts.account_for(p) for p in Citizen.objects.filter(name="样例老人").order_by("pk")[:{n}]]
errors = []
def submit(chunk):
    for user in chunk:
        try:
            apply.apply(user, setup, answers={{}}, uploads={{}}, channel=Channel.ONLINE)
        except Exception as error:
            errors.append(repr(error)[:200])
    connection.close()
threads = [threading.Thread(target=submit, args=(users[i::8],)) for i in range(8)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({{"start": start, "submitted": time.time(), "errors": errors}}))
"""

BARE_RATE = """
import django, json
django.setup()
from bench.ceilings import bare_pdf_rate
from eban.certificates import render, signing
from eban.certificates.models import Certificate
certificate = Certificate.objects.exclude(status="issuing").select_related("issuer", "type").first()
html = render.render_html(certificate)
spec = signing.key_for(certificate.issuer)
print(json.dumps({{"rate": bare_pdf_rate(html, spec.path, spec.password(), {processes}, {seconds})}}))
"""

COUNT = """
import django, json
django.setup()
from django.db.models import Count
from eban.applications.models import Application
from eban.certificates.models import Certificate
apps = Application.objects.filter(matter__code="330300-MZ-0001")
dupes = Certificate.objects.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1).count()
print(json.dumps({"applications": apps.count(), "completed": apps.filter(status="completed").count(),
                  "certificates": Certificate.objects.exclude(status="issuing").count(), "duplicates": dupes}))
"""


def latency(kind: str, n: int) -> list[dict]:
    render_fn, sign_fn = "render_pdf", "sign_pdf"  # eban.certificates' two steps, timed separately
    with throwaway_database(kind) as db:
        env = environ({**db, "EBAN_DEMO_SIGNING_KEYS": "1"})
        eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
        run_python(SETUP.format(n=n), env, timeout=900)
        out = json.loads(
            run_python(
                LATENCY.format(n=n, render_fn=render_fn, sign_fn=sign_fn), env, timeout=900
            ).splitlines()[-1]
        )
    ms = {k: [v * 1000 for v in values] for k, values in out.items()}
    name = f"senior card ({kind})"
    return [
        beside(result(f"{name}: submit → decision → signed PDF ready, median", median(ms["total"]), "ms", "< 500",
                      median(ms["total"]) < 500), median(ms["bare"]), BARE),
        beside(result(f"{name}: submit → decision → signed PDF ready, p95", percentile(ms["total"], 95), "ms",
                      "< 1000", percentile(ms["total"], 95) < 1000), percentile(ms["bare"], 95), BARE),
        result(f"{name}: submit + instant decision, median", median(ms["decide"]), "ms", "", None),
        result(f"{name}: PDF render, median", median(ms["render"]), "ms", "", None),
        result(f"{name}: PDF signature, median", median(ms["sign"]), "ms", "", None),
    ]  # fmt: skip


def concurrency(n: int, workers: int = 4) -> list[dict]:
    with throwaway_database("postgres") as db:
        env = environ({**db, "EBAN_DEMO_SIGNING_KEYS": "1"})
        eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
        run_python(SETUP.format(n=n), env, timeout=1800)
        procs = [
            subprocess.Popen([sys.executable, "-m", "eban", "worker", "--no-startup-delay", "--no-reload"], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(workers)
        ]  # fmt: skip
        try:
            submitted = json.loads(run_python(SUBMIT.format(n=n), env, timeout=1800).splitlines()[-1])
            deadline = time.time() + 1800
            while True:
                counts = json.loads(run_python(COUNT, env).splitlines()[-1])
                if counts["completed"] >= counts["applications"] or time.time() > deadline:
                    break
                time.sleep(2)
            finished = time.time()
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)
        # The ceiling, once the workers are gone: as many processes making signed PDFs bare.
        seconds = 5 if n < 1000 else 20
        rate = json.loads(
            run_python(BARE_RATE.format(processes=workers, seconds=seconds), env).splitlines()[-1]
        )
    elapsed = finished - submitted["start"]
    ok = not submitted["errors"] and counts["completed"] == n and counts["duplicates"] == 0
    return [
        result(f"senior card x{n} concurrent (postgres, {workers} workers): submissions failed",
               len(submitted["errors"]), "", "0", not submitted["errors"]),
        result(f"senior card x{n} concurrent (postgres, {workers} workers): cases completed", counts["completed"],
               "", str(n), counts["completed"] == n),
        result(f"senior card x{n} concurrent (postgres, {workers} workers): duplicate certificates",
               counts["duplicates"], "", "0", counts["duplicates"] == 0),
        result(f"senior card x{n} concurrent (postgres, {workers} workers): certificates", counts["certificates"],
               "", str(n), counts["certificates"] == n),
        beside(result(f"senior card x{n} concurrent (postgres, {workers} workers): throughput", n / elapsed,
                      "cases/s", "", ok), rate["rate"],
               f"PDFs/s of WeasyPrint + pyHanko alone in {workers} processes for {seconds} s, the same HTML and key"),
        result(f"senior card x{n} concurrent (postgres): submissions alone", n / (submitted["submitted"] -
               submitted["start"]), "cases/s", "", None),
        result("load average (1 min) at the end of the concurrent run", os.getloadavg()[0], "", "", None),
    ]  # fmt: skip


def run(quick: bool = False) -> list[dict]:
    rows = []
    for kind in database_kinds(quick):
        rows += latency(kind, 10 if quick else 40)
    if postgres_url():
        rows += concurrency(100 if quick else 1000)
    return rows
