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

Ceilings (bench/ceilings.py), right after each card in the same process: WeasyPrint alone
rendering the same HTML (no template, no URL fetcher), pyHanko alone signing that PDF with the
same key (a default signature: no PAdES profile, no certification) and validating it.
"""

from __future__ import annotations

import json
import os

from .ceilings import beside
from .common import database_kinds, eban, environ, percentile, result, run_python, throwaway_database

N = 50
QUICK_N = 10
BARE_RENDER = "WeasyPrint alone on the same HTML"
BARE_SIGN = "pyHanko alone: a default signature with the same key"
BARE_BOTH = "WeasyPrint alone on the same HTML + pyHanko alone signing it"
BARE_VERIFY = "pyHanko alone validating the bare signature against the same root"

CHILD = """
import django, io, json, time
django.setup()
from PIL import Image
from bench import ceilings
from eban.certificates import actions, pki, render as rendering, signing
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
html = rendering.render_html(first, photo=photo)  # the ceiling's input: the same HTML, the same key
signer, roots = signing.signer_for(dept), signing.trust_roots()
ceilings.bare_verify(ceilings.bare_sign(ceilings.bare_render(html), signer), roots)  # warm-up
render, sign, total, verify, sizes = [], [], [], [], []
bare = {{"render": [], "sign": [], "total": [], "verify": []}}
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
    # The ceiling, right after: WeasyPrint alone on the same HTML, pyHanko alone signing and checking.
    t0 = time.perf_counter()
    unsigned = ceilings.bare_render(html)
    t1 = time.perf_counter()
    signed = ceilings.bare_sign(unsigned, signer)
    t2 = time.perf_counter()
    assert ceilings.bare_verify(signed, roots)
    t3 = time.perf_counter()
    for key, ms in (("render", t1 - t0), ("sign", t2 - t1), ("total", t2 - t0), ("verify", t3 - t2)):
        bare[key].append(ms * 1000)
print(json.dumps({{"first_ms": first_ms, "render": render, "sign": sign, "total": total, "verify": verify,
                  "size_kb": sum(sizes) / len(sizes) / 1024, "bare": bare}}))
"""


def figures(name: str, values: list, bare: list, what: str, suffix: str = "", limit: dict | None = None):
    """The median and p95 of `values` (ms), each beside the same statistic of the bare timings."""
    rows = []
    for stat, p in (("median", 50), ("p95", 95)):
        value = percentile(values, p)
        target, ok = (f"< {limit[stat]}", value < limit[stat]) if limit else ("", None)
        rows.append(
            beside(result(f"{name}, {stat}{suffix}", value, "ms", target, ok), percentile(bare, p), what)
        )
    return rows


def run(quick: bool = False) -> list[dict]:
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
        bare = out["bare"]

        rows += figures(f"{label}: issue end to end", out["total"], bare["total"], BARE_BOTH, f" ({kind})",
                        {"median": 500, "p95": 1000})  # fmt: skip
        if index == 0:  # rendering, signing and verifying do not touch the database: reported once
            rows += [
                *figures(f"{label}: PDF render (WeasyPrint)", out["render"], bare["render"], BARE_RENDER),
                *figures(f"{label}: PAdES signature (pyHanko)", out["sign"], bare["sign"], BARE_SIGN),
                *figures(f"{label}: signature verification", out["verify"], bare["verify"], BARE_VERIFY),
                result(f"{label}: first card of a process (fonts, templates)", out["first_ms"], "ms", "", None),
                result(f"{label}: signed PDF size, mean", out["size_kb"], "KB", "", None),
            ]  # fmt: skip
        rows.append(
            result(f"load average (1 min) when the certificates bench started ({kind})", load, "", "", None)
        )
    return rows


if __name__ == "__main__":  # python -m bench.certificates [--quick]
    import sys

    for row in run(quick="--quick" in sys.argv):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
