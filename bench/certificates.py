"""Issuing senior citizen cards (老年人优待证): PDF render, signature and verification times.

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one): a fresh database is
migrated, given a sample department and the senior card type, and a demo PKI (`eban demo-ca`'s
code, ECDSA P-256 keys) in the throwaway data directory. A child process with production settings
then issues N cards one after another through `actions.issue_certificate` (each with a 480×640
JPEG photo, a fresh idempotency key, storage on the file system), and reports for each call the
time spent rendering the PDF (WeasyPrint, CJK font subset and embedded), signing it (pyHanko,
PAdES, certifying), and the whole call (claim, render, sign, store, commit, audit). Then it
verifies each signed PDF with `verify_pdf` (pyHanko validation against the demo CA). The first
card of the process (font loading, template compilation) is issued before timing and reported
on its own. The issue's budget for the whole senior-card flow is median < 500 ms, p95 < 1 s:
certificate issuing is most of it.
"""

from __future__ import annotations

import json
import os

from .common import database_kinds, eban, environ, result, run_python, throwaway_database

N = 50
QUICK_N = 10

CHILD = """
import django, io, json, time
django.setup()
from PIL import Image
from eban.certificates import actions, pki
from eban.certificates.signing import pki_dir
from eban.certificates.verification import verify_pdf
from eban.government.models import Department, Division

city = Division.objects.create(code="330300", name="温州市", level="city", is_sample=True)
dept = Department.objects.create(code="330300-MZ", name="温州市民政局", division=city, is_sample=True)
actions.save_certificate_type(code="senior_card", department=dept, name="老年人优待证", name_en="Senior citizen card",
                              number_prefix="LNYD", template="senior_card", validity_days=None, is_sample=True)
pki.ensure_demo_pki(pki_dir(), [(dept.code, dept.name)])
photo = io.BytesIO()
Image.linear_gradient("L").resize((480, 640)).convert("RGB").save(photo, "JPEG", quality=90)
photo = photo.getvalue()

def issue(i):
    return actions.issue_certificate(key=f"bench:{{i}}", type_code="senior_card", holder_name="张三丰",
        holder_id_number="330302196401011230", data={{}}, photo=photo)

start = time.perf_counter()
first = issue(0)
first_ms = (time.perf_counter() - start) * 1000
render, sign, total, verify, sizes = [], [], [], [], []
for i in range(1, {n} + 1):
    start = time.perf_counter()
    certificate = issue(i)
    total.append((time.perf_counter() - start) * 1000)
    render.append(certificate.timings["render_ms"])
    sign.append(certificate.timings["sign_ms"])
    with certificate.pdf.open("rb") as handle:
        data = handle.read()
    sizes.append(len(data))
    start = time.perf_counter()
    report = verify_pdf(data)
    verify.append((time.perf_counter() - start) * 1000)
    assert report.ok, report.problems
print(json.dumps({{"first_ms": first_ms, "render": render, "sign": sign, "total": total, "verify": verify,
                  "size_kb": sum(sizes) / len(sizes) / 1024}}))
"""


def run(quick: bool = False) -> list[dict]:
    from .common import median, percentile

    n = QUICK_N if quick else N
    rows = []
    for index, kind in enumerate(database_kinds(quick)):
        with throwaway_database(kind) as db:
            env = environ({**db, "EBAN_DEMO_SIGNING_KEYS": "1"})
            env["EBAN_PKI_DIR"] = os.path.join(db["EBAN_DATA_DIR"], "pki")
            env["EBAN_BASE_URL"] = "https://eban.example.test"
            eban(["migrate", "--no-input", "-v", "0"], env, timeout=900)
            load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
            out = json.loads(run_python(CHILD.format(n=n), env, timeout=900).strip().splitlines()[-1])
        label = f"certificates: senior card, {n} issued one by one"
        total_median, total_p95 = median(out["total"]), percentile(out["total"], 95)
        rows += [
            result(
                f"{label}: issue end to end, median ({kind})", total_median, "ms", "< 500", total_median < 500
            ),
            result(f"{label}: issue end to end, p95 ({kind})", total_p95, "ms", "< 1000", total_p95 < 1000),
        ]
        if index == 0:  # rendering, signing and verifying do not touch the database: reported once
            rows += [
                result(f"{label}: PDF render (WeasyPrint), median", median(out["render"]), "ms", "", None),
                result(f"{label}: PDF render, p95", percentile(out["render"], 95), "ms", "", None),
                result(f"{label}: PAdES signature (pyHanko), median", median(out["sign"]), "ms", "", None),
                result(f"{label}: PAdES signature, p95", percentile(out["sign"], 95), "ms", "", None),
                result(f"{label}: signature verification, median", median(out["verify"]), "ms", "", None),
                result(
                    f"{label}: signature verification, p95", percentile(out["verify"], 95), "ms", "", None
                ),
                result(
                    f"{label}: first card of a process (fonts, templates)", out["first_ms"], "ms", "", None
                ),
                result(f"{label}: signed PDF size, mean", out["size_kb"], "KB", "", None),
            ]
        rows.append(
            result(f"load average (1 min) when the certificates bench started ({kind})", load, "", "", None)
        )
    return rows


if __name__ == "__main__":  # python -m bench.certificates [--quick]
    import sys

    for row in run(quick="--quick" in sys.argv):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
