"""The benchmarks' ceilings (bench/ceilings.py): every headline figure is printed and recorded
beside the same kind of measurement on the bare work, made in the same run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bench import ceilings
from bench.__main__ import available, merge, table
from bench.common import result

ROOT = Path(__file__).resolve().parents[1]

BENCH = Path(__file__).resolve().parent.parent / "bench"
# Accuracy figures (false matches of the face check) do not change with the machine's load.
WITHOUT_CEILING = {"face_tradeoff"}


def test_a_time_is_read_as_times_the_ceiling():
    row = ceilings.beside(result("search, median", 4.0, "ms", "< 20", True), 0.5, "one term looked up")
    assert (row["ceiling"], row["ceiling_name"], row["ratio"]) == (0.5, "one term looked up", 8.0)


def test_a_rate_is_read_as_times_the_ceilings_cost():
    row = ceilings.beside(result("guide page", 400.0, "req/s", ">= 500", False), 2000.0, "static file")
    assert row["ratio"] == 5.0  # each page costs five static files


def test_no_ratio_without_a_figure_or_a_ceiling():
    assert ceilings.beside(result("x", None, "ms", "", None), 1.0, "bare")["ratio"] is None
    assert ceilings.beside(result("x", 3.0, "ms", "", None), 0.0, "bare")["ratio"] is None


def test_the_table_prints_the_ceiling_under_its_figure():
    rows = [
        ceilings.beside(result("search, median (sqlite)", 4.2, "ms", "< 20", True), 0.12, "bare lookup"),
        result("load average", 3.5, "", "", None),
    ]
    lines = table(rows).splitlines()
    assert lines[2].startswith("search, median (sqlite)")
    assert "ceiling: bare lookup" in lines[3] and "0.12" in lines[3] and "×35.00" in lines[3]
    assert lines[4].startswith("load average")


def test_the_ceiling_is_recorded_in_the_results_file(tmp_path):
    path = tmp_path / "bench-results.json"
    merge([ceilings.beside(result("a", 2.0, "s", "< 30", True), 1.0, "openpyxl alone")], path)
    (row,) = json.loads(path.read_text())
    assert row["ceiling"] == 1.0 and row["ceiling_name"] == "openpyxl alone" and row["ratio"] == 2.0


@pytest.mark.parametrize("name", [n for n in available() if n not in WITHOUT_CEILING])
def test_every_benchmark_puts_a_ceiling_beside_its_figures(name):
    assert "beside(" in (BENCH / f"{name}.py").read_text(encoding="utf-8")


def test_the_bare_nearest_is_a_full_sort():
    rng = np.random.default_rng(1)
    lat, lng = rng.uniform(27, 31, 500), rng.uniform(118, 123, 500)
    got = ceilings.bare_nearest(lat, lng, 28.0, 120.0, k=5)
    truth = np.argsort(ceilings.haversine(28.0, 120.0, lat, lng))[:5]
    assert got.tolist() == truth.tolist()


def test_the_bare_pair_tests_take_time():
    lat = np.linspace(27, 31, 1000)
    assert ceilings.bare_pair_tests(lat, lat, lat, lat, 50_000, 1000.0, chunk=10_000) > 0


def test_the_length_check_is_a_floor_not_a_validation():
    assert ceilings.bare_length_check("33030219640101123X") and not ceilings.bare_length_check("3303")


@pytest.mark.django_db
def test_the_bare_lookup_reads_one_term_from_the_term_table():
    from eban.search.models import IndexEntry

    IndexEntry.objects.bulk_create(
        [IndexEntry(term="优待证", doc_type="matter", doc_id=i, weight=float(i)) for i in range(1, 13)]
        + [IndexEntry(term="社保", doc_type="matter", doc_id=99, weight=50.0)]
    )
    found = ceilings.bare_lookup("优待证")
    assert [doc for doc, _w in found] == list(range(12, 2, -1))


def test_the_heaviest_term_is_one_the_search_looks_up():
    assert ceilings.heaviest_term("老年人优待证怎么办")
    assert ceilings.heaviest_term("") is None


def test_weasyprint_and_pyhanko_alone_make_a_valid_signature(tmp_path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign import signers

    from eban.certificates import pki

    pki.ensure_demo_pki(tmp_path, [("330300-MZ", "温州市民政局")])
    key = str(tmp_path / "departments" / "330300-MZ.p12")
    signer = signers.SimpleSigner.load_pkcs12(key, passphrase=pki.DEMO_PASSPHRASE)
    html = "<html><body><p>老年人优待证</p></body></html>"
    signed = ceilings.bare_sign(ceilings.bare_render(html), signer)
    assert ceilings.bare_verify(signed, [load_cert_from_pemder(str(tmp_path / "ca.pem"))])
    assert ceilings.bare_pdf_rate(html, key, pki.DEMO_PASSPHRASE, processes=1, seconds=0.5) > 0


def test_the_bare_xlsx_parse_visits_every_element(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in range(50):
        workbook.active.append([f"事项{row}", row, "材料"])
    workbook.save(tmp_path / "m.xlsx")
    parsed = ceilings.bare_xlsx_parse(str(tmp_path / "m.xlsx"))
    assert parsed["elements"] > 150 and parsed["seconds"] > 0 and parsed["peak_mb"] > 0


def test_the_heartbeats_ceiling_sends_the_static_file_at_the_same_rate(tmp_path):
    import asyncio
    import functools
    import http.server
    import threading

    from bench.kiosk_heartbeats import STATIC_PATH, StaticLoad

    (tmp_path / STATIC_PATH.lstrip("/")).parent.mkdir(parents=True)
    (tmp_path / STATIC_PATH.lstrip("/")).write_text("body { color: #000 }")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        load = StaticLoad("127.0.0.1", server.server_address[1], ["unused"], rate=40, seconds=1)
        asyncio.run(load.run())
    finally:
        server.shutdown()
    assert load.sent == 40 and load.ok == 40 and load.errors == 0


@pytest.mark.browser
def test_the_kiosk_flows_ceiling_loads_a_static_page_in_chromium():
    from bench.kiosk_flow import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    # In a child process: Playwright's sync API refuses to start inside the asyncio loop that the
    # browser tests' own Playwright leaves running in this one.
    code = (
        "import json; from bench import ceilings; from bench.kiosk_flow import CHROMIUM, CHROMIUM_ARGS; "
        "print(json.dumps(ceilings.static_page_loads(CHROMIUM, CHROMIUM_ARGS, 3)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(timings) == 3 and all(ms > 0 for ms in timings)
