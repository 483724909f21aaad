"""Ceilings: each headline figure beside the same kind of measurement, made in the same run, on
the simplest thing that does the same underlying work.

On a shared machine a figure alone says little: 40 ms may be a slow search or a busy machine.
The ceiling is measured by the same benchmark, in the same process or against the same server,
right beside (mostly interleaved with) the figure, so both see the same load. The ratio says how
much the product adds on top of the bare work, and it holds up when the machine is busy.

`beside(row, ceiling, name)` adds three fields to a result row:

- `ceiling`: the ceiling's value, in the row's unit;
- `ceiling_name`: what it measured (e.g. "static file, same server, same wrk load");
- `ratio`: how many times the ceiling's cost the figure is — figure ÷ ceiling for times and
  memory, ceiling ÷ figure for rates — so 1.0 means "as cheap as the bare work" and 4.0 "four
  times the bare work", whichever the unit.

The bare measurements themselves live here too; most run in a benchmark's child process
(after django.setup()), which imports them from `bench.ceilings`.
"""

from __future__ import annotations

import io
import math
import resource
import time
from collections.abc import Callable, Sequence
from typing import Any

HIGHER_IS_BETTER = {"req/s", "cases/s", "PDFs/s"}


def beside(row: dict[str, Any], ceiling: float | None, name: str) -> dict[str, Any]:
    """`row` with its ceiling, what the ceiling measured, and the ratio (see the module)."""
    row["ceiling"] = round(ceiling, 3) if isinstance(ceiling, float) and math.isfinite(ceiling) else ceiling
    row["ceiling_name"] = name
    row["ratio"] = ratio(row["value"], ceiling, higher_is_better=row["unit"] in HIGHER_IS_BETTER)
    return row


def ratio(value: float | None, ceiling: float | None, *, higher_is_better: bool = False) -> float | None:
    """How many times the ceiling's cost `value` is (None when either is missing or zero)."""
    if not value or not ceiling:
        return None
    return round(ceiling / value if higher_is_better else value / ceiling, 2)


def interleaved(figure: Callable[[], Any], ceiling: Callable[[], Any], repeat: int) -> tuple[list, list]:
    """Milliseconds of `repeat` calls of each, alternating (one untimed call of each first), so
    that both see the same moments of the machine's load."""
    figure()
    ceiling()
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((figure, timings[0]), (ceiling, timings[1])):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return timings


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- search: one term looked up in the term table ----------------------------------------------


def heaviest_term(query: str) -> str | None:
    """The term of `query` that the search weighs most (what a bare lookup looks up)."""
    from eban.search.analysis import analyse_query

    plan = analyse_query(query)
    if plan.terms:
        return max(plan.terms.items(), key=lambda item: item[1][0])[0]
    if plan.prefixes:
        return plan.prefixes[0][0]
    return None


def bare_lookup(term: str, doc_type: str = "matter") -> list:
    """The postings of one term, best first, the first 10: one indexed lookup on a raw cursor."""
    from django.db import connection

    from eban.search.models import IndexEntry

    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT doc_id, weight FROM {table} WHERE term = %s AND doc_type = %s ORDER BY weight DESC LIMIT 10",
            [term, doc_type],
        )
        return cursor.fetchall()


# --- import: the same workbook's XML parsed alone ---------------------------------------------


def bare_xlsx_parse(path: str) -> dict[str, float]:
    """Every XML part of the workbook at `path` unzipped and parsed by the standard library's
    iterparse, every element visited and dropped (no cells read into values): seconds and this
    process's peak memory (run it in a fresh process for the memory to mean anything).

    (openpyxl, read-only, was tried first: it reads the file slower than eban's own reader, so
    it bounds nothing.)"""
    import zipfile
    from xml.etree.ElementTree import iterparse

    start = time.perf_counter()
    elements = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                with archive.open(name) as stream:
                    for _event, element in iterparse(stream, events=("end",)):
                        elements += 1
                        element.clear()
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "elements": elements}


# --- certificates: WeasyPrint and pyHanko alone ------------------------------------------------


def bare_render(html: str) -> bytes:
    """WeasyPrint's PDF of `html`, nothing else (no template, no URL fetcher, no Pillow guard)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def bare_sign(pdf: bytes, signer) -> bytes:
    """pyHanko's default signature of `pdf` with `signer` (no PAdES profile, no certification)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    meta = signers.PdfSignatureMetadata(field_name="Signature")
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer).getvalue()


def bare_verify(pdf: bytes, roots: list) -> bool:
    """pyHanko's validation of the first signature against `roots`, nothing else."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return validate_pdf_signature(signature, signer_validation_context=context).intact


def bare_pdf_rate(html: str, key: str, password: bytes | None, processes: int, seconds: float) -> float:
    """Signed PDFs per second that `processes` processes make with bare WeasyPrint + pyHanko (the
    PKCS#12 file `key`), each for `seconds`: the ceiling of a throughput of certificates."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        counts = pool.starmap(_pdfs_for, [(html, key, password, seconds)] * processes)
    return sum(count / elapsed for count, elapsed in counts)


def _pdfs_for(html: str, key: str, password: bytes | None, seconds: float) -> tuple[int, float]:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(key, passphrase=password)
    bare_sign(bare_render(html), signer)  # warm-up: fonts, imports
    start = time.perf_counter()
    count = 0
    while time.perf_counter() - start < seconds:
        bare_sign(bare_render(html), signer)
        count += 1
    return count, time.perf_counter() - start


# --- kiosks: numpy over the same arrays ---------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8


def haversine(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres, numpy, no checks."""
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def bare_nearest(lat, lng, at_lat: float, at_lng: float, k: int = 5):
    """Indices of the `k` nearest of all points (arrays `lat`, `lng`) to one position: a brute
    distance to every point and a partial sort."""
    import numpy as np

    distance = haversine(at_lat, at_lng, lat, lng)
    nearest = np.argpartition(distance, k)[:k]
    return nearest[np.argsort(distance[nearest])]


def bare_pair_tests(lat1, lng1, lat2, lng2, pairs: int, radius_m: float, chunk: int = 2_000_000) -> float:
    """Seconds to test `pairs` random pairs (gather both ends, distance, compare with the radius) in
    chunks of `chunk`: the distance work of a coverage run of that many candidate pairs."""
    import numpy as np

    rng = np.random.default_rng(0)
    start = time.perf_counter()
    done = 0
    while done < pairs:
        size = min(chunk, pairs - done)
        q = rng.integers(0, len(lat1), size)
        p = rng.integers(0, len(lat2), size)
        int((haversine(lat1[q], lng1[q], lat2[p], lng2[p]) <= radius_m).sum())
        done += size
    return time.perf_counter() - start


# --- identity: the interpreter's floor for a check per number ------------------------------------


def bare_length_check(value: str) -> bool:
    """One Python call per number that looks at it once (its length): what any per-number check
    costs at least, in this interpreter, on this machine, now."""
    return len(value) == 18


def seconds_over(fn: Callable[[Any], Any], values: Sequence[Any]) -> float:
    """Seconds to call `fn` on every value (the answers summed so that none is skipped)."""
    start = time.perf_counter()
    sum(map(fn, values))
    return time.perf_counter() - start


# --- face: dlib alone ---------------------------------------------------------------------------


def bare_dlib(jpeg: bytes, reference, models) -> float:
    """Decode with Pillow, detect, 5 landmarks, descriptor and distance with dlib's models called
    directly (no size checks, no second pass, no filtering of faint faces, no locks)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))
    face = models.detector(pixels, 0)[0]
    descriptor = models.descriptor.compute_face_descriptor(pixels, models.landmarks(pixels, face), 1)
    return float(np.linalg.norm(np.asarray(descriptor) - reference))


# --- the kiosk in a browser: a static page in the same Chromium ---------------------------------

STATIC_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>终端</title>
<link rel="stylesheet" href="/static/css/kiosk.css"></head>
<body class="kiosk"><main><h1>老年人优待证</h1><p>请选择办理方式。</p><a href="#">在本机办理</a></main>
<script src="/static/js/kiosk-voice.js"></script><script src="/static/js/kiosk-idle.js"></script>
</body></html>
"""


def static_page_loads(chromium: str, args: Sequence[str], loads: int) -> list[float]:
    """Milliseconds of `loads` loads (to the load event) of a static page with the kiosk's own
    stylesheet and scripts, served from the source tree by a plain HTTP server in this process,
    in Chromium at `chromium` with `args`, at the kiosk tests' screen size."""
    import functools
    import http.server
    import shutil
    import tempfile
    import threading
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="eban-bench-static-"))
    (root / "index.html").write_text(STATIC_PAGE, encoding="utf-8")
    shutil.copytree(Path(__file__).resolve().parent.parent / "eban" / "static", root / "static")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    timings = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=list(args))
            context = browser.new_context(viewport={"width": 1280, "height": 1024}, locale="zh-CN")
            page = context.new_page()
            page.goto(url)  # warm-up: the browser's own start
            for _ in range(loads):
                start = time.perf_counter()
                page.goto(url + f"?{len(timings)}", wait_until="load")
                timings.append((time.perf_counter() - start) * 1000)
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    return timings
