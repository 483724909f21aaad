"""Load on the production server setup: the guide API and the guide page, each beside its ceiling.

Setup: gunicorn, 2 workers, `eban.settings.production` (DEBUG off, a secret key set,
static files collected and served by WhiteNoise), a throwaway database (SQLite; also
PostgreSQL when DATABASE_URL is given) holding generated matters (bench/generate.py,
sample data). The load tool is wrk on loopback, each request for a random matter code.
Targets: ≥ 500 requests/s with p99 < 100 ms. Ceilings (bench/ceilings.py), measured right
before each figure on the same server with the same wrk settings: a static file (WhiteNoise)
beside the guide page, and /healthz (a trivial view: Django's request cycle and middleware,
no database) beside the API's detail; the ratio says how much the matter itself costs.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from eban.demo.management.commands.serve import gunicorn_argv

from .ceilings import beside
from .common import ROOT, database_kinds, eban, environ, redis_url, result, run_python, throwaway_database

WORKERS = 2
CONNECTIONS = int(os.environ.get("EBAN_BENCH_CONNECTIONS", "8"))  # concurrent clients, 4 per worker
WRK_THREADS = 1  # one wrk thread is plenty on loopback and leaves the CPUs to the server
MIN_RPS = 500
MAX_P99_MS = 100
# The ceilings: the simplest answers of the same server, under the same wrk load.
STATIC = "static file from the same server (WhiteNoise), same wrk load"
HEALTHZ = "GET /healthz (trivial view, no database) on the same server, same wrk load"

LOAD_SCRIPT = """
import django
django.setup()
from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.interchange import import_matters
ensure_reference_data()
data = generate_matters({n}, seed=7)
import_matters(data)
from eban.catalogue.models import Matter
print("\\n".join(Matter.objects.filter(live=True).values_list("code", flat=True)))
"""

LUA = """
local codes = {{{codes}}}
local prefix = "{prefix}"
local suffix = "{suffix}"
init = function(args)
  math.randomseed(os.time())
end
request = function()
  return wrk.format("GET", prefix .. codes[math.random(#codes)] .. suffix)
end
"""


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def warm_up(base: str, paths: list[str]) -> None:
    """Request every path once, so the measurement sees the steady state (caches filled)."""
    failed = 0
    for path in paths:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
        except OSError:  # HTTPError included: the measurement reports failed answers
            failed += 1
    if failed:
        log(f"api_load: warm-up: {failed} of {len(paths)} requests failed (e.g. {base}{paths[0]})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer {url} within {timeout} s")
        time.sleep(0.3)


@contextmanager
def gunicorn(env: dict[str, str]):
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="eban-bench-gunicorn-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        gunicorn_argv(port, WORKERS),  # exactly what `eban serve` runs in production
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        text = Path(log.name).read_text(errors="replace")
        if "Traceback" in text or "ERROR" in text:
            sys.stderr.write(f"gunicorn log ({log.name}):\n{text[-3000:]}\n")
        else:
            os.unlink(log.name)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, seconds: int, script: str | None = None) -> dict[str, float]:
    """Run wrk; requests/s, p50/p99 latency (ms) and the count of errors and non-2xx answers."""
    args = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    script_file = None
    if script:
        script_file = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script_file.write(script)
        script_file.close()
        args += ["-s", script_file.name]
    try:
        out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    finally:
        if script_file:
            os.unlink(script_file.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def lua_for(codes: list[str], prefix: str, suffix: str = "") -> str:
    quoted = ",".join(f'"{c}"' for c in codes)
    return LUA.format(codes=quoted, prefix=prefix, suffix=suffix)


def prepare(env: dict[str, str], n: int) -> list[str]:
    eban(["migrate", "--noinput", "-v", "0"], env)
    eban(["collectstatic", "--noinput", "-v", "0"], env)
    return run_python(LOAD_SCRIPT.format(n=n), env).split()


def run(quick: bool = False) -> list[dict]:
    if not shutil.which("wrk"):
        return [result("api_load: wrk installed", None, "", "apt-get install wrk", False)]
    seconds = 3 if quick else 10
    n = 200 if quick else 1000
    rows = []
    cache_url = redis_url()
    cache_name = "redis" if cache_url else "locmem"
    for kind in database_kinds(quick):
        with throwaway_database(kind) as db_env:
            env = environ(
                {
                    **db_env,
                    "EBAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "EBAN_SECURE_COOKIES": "0",
                    "EBAN_DEBUG": "0",
                    "EBAN_CACHE_URL": cache_url or "",
                }
            )
            started = time.monotonic()
            codes = prepare(env, n)
            log(
                f"api_load: {kind} database with {len(codes)} matters ready in {time.monotonic() - started:.0f} s"
            )
            with gunicorn(env) as base:
                warm_up(base, [f"/api/v1/matters/{code}" for code in codes])
                warm_up(base, [f"/matters/{code}/" for code in codes])
                # Each figure right after its ceiling, from the same server under the same load.
                pairs = [
                    ("guide page /matters/<code>/", lua_for(codes, "/matters/", "/"), STATIC, "/static/css/site.css"),
                    ("GET /api/v1/matters/{code}", lua_for(codes, "/api/v1/matters/"), HEALTHZ, "/healthz"),
                ]  # fmt: skip
                for label, script, ceiling_name, ceiling_path in pairs:
                    log(f"api_load: {kind}: {label}, and {ceiling_path} as its ceiling")
                    wrk(base + ceiling_path, 2)  # warm up: caches, connections, lazy imports
                    ceiling = wrk(base + ceiling_path, seconds)
                    wrk(base + "/", 2, script)
                    m = wrk(base + "/", seconds, script)
                    prefix = f"api_load [{kind}, {cache_name}, {CONNECTIONS} conn] {label}"
                    rows += [
                        beside(result(f"{prefix}: throughput", m["rps"], "req/s", f">= {MIN_RPS}",
                                      m["rps"] >= MIN_RPS and m["errors"] == 0), ceiling["rps"], ceiling_name),
                        beside(result(f"{prefix}: p99 latency", m["p99"], "ms", f"< {MAX_P99_MS}",
                                      m["p99"] < MAX_P99_MS), ceiling["p99"], ceiling_name),
                    ]  # fmt: skip
                    for what, errors in ((label, m["errors"]), (ceiling_path, ceiling["errors"])):
                        if errors:
                            rows.append(
                                result(
                                    f"{prefix}: failed responses ({what})", errors, "responses", "0", False
                                )
                            )
    return rows
