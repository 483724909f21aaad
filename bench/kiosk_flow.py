"""The senior-card story at a kiosk in Chromium: machine time per step, home → signed PDF.

Runs the browser test tests/browser/test_kiosk_app.py::test_senior_card_at_a_kiosk_by_face
(a paired terminal; home → category → matter → "Apply here" → sign in by face with consent and
the fake camera → apply → instant approval → certificate issued by the task → printed from a
hidden frame → the PDF from the page's link) with EBAN_KIOSK_FLOW_TIMINGS set, and reports the
time of each step (time.perf_counter in the test around each step: the browser's and the
server's work together, on SQLite, test settings: the certificate task runs at once in the web
process when the application commits, so "apply" includes issuing and signing the PDF) and the
total from the home page to the PDF (the pairing and the accessibility scans are not counted).
The axe scans the test makes between steps are outside the timed steps.

Ceiling (bench/ceilings.py), right after the flow, in the same Chromium with the same arguments
and screen size: loading a static page with the kiosk's own stylesheet and scripts from a plain
HTTP server (median of 20 loads) beside each step, and as many such loads as there are steps
beside the total: the ratio is how many static page loads a step costs.

Skipped, with a row saying why, when Chromium is not installed (EBAN_CHROMIUM, /usr/bin/chromium).
`quick` changes nothing: one run of the flow is the measurement.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .ceilings import beside, static_page_loads
from .common import ROOT, median, result

TEST = "tests/browser/test_kiosk_app.py"
FLOW = "test_senior_card_at_a_kiosk_by_face"
CHROMIUM = os.environ.get("EBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]  # the tests'
STATIC_LOADS = 20
STATIC = (
    f"a static page with the kiosk's CSS and scripts in the same Chromium, median of {STATIC_LOADS} loads"
)


def run(quick: bool = False) -> list[dict]:
    if not Path(CHROMIUM).exists():
        return [result(f"kiosk flow: skipped (Chromium not installed at {CHROMIUM})", None, "ms", "", None)]
    with tempfile.TemporaryDirectory() as tmp:
        timings = Path(tmp) / "timings.json"
        env = {**os.environ, "EBAN_KIOSK_FLOW_TIMINGS": str(timings)}
        env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest's own (eban.settings.test)
        env.pop("DATABASE_URL", None)  # SQLite, as the figures say
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-m", "browser", TEST, "-k", FLOW],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0 or not timings.exists():
            tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
            return [result(f"kiosk flow: failed ({' / '.join(tail)[:200]})", None, "ms", "", False)]
        flow = json.loads(timings.read_text())["face"]
    # The ceiling, right after, in the same browser: a static page with the kiosk's CSS and scripts.
    static = median(static_page_loads(CHROMIUM, CHROMIUM_ARGS, STATIC_LOADS))
    steps = [(name, ms) for name, ms in flow["steps"] if name != "pair the screen"]
    rows = [beside(result(f"kiosk flow: {name}", ms, "ms", "", None), static, STATIC) for name, ms in steps]
    rows.append(
        beside(
            result("kiosk flow: total home → signed PDF (by face)", flow["total_ms"], "ms", "", None),
            static * len(steps),
            f"{len(steps)} × ({STATIC})",
        )
    )
    return rows
