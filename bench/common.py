"""Shared pieces of the benchmarks: result rows, percentiles, timing, throwaway databases.

A benchmark is a module `bench/<name>.py` with `run(quick: bool = False) -> list[dict]`
returning rows made by `result(...)`. `python -m bench` runs each one in a fresh Python
process (so each may call `django.setup()` with its own environment), prints a table and
merges the rows into `bench-results.json`.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT / "bench-results.json"


def result(name: str, value: float | None, unit: str, target: str, ok: bool | None) -> dict[str, Any]:
    """One row of bench-results.json. `target` is human-readable (e.g. "< 20"); `ok` None = no target."""
    if isinstance(value, float) and math.isfinite(value):
        value = round(value, 3)
    return {"name": name, "value": value, "unit": unit, "target": target, "ok": ok}


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def time_calls(fn: Callable[[], Any], repeat: int, *, warmup: int = 1) -> list[float]:
    """Wall time in milliseconds of `repeat` calls of `fn` (after `warmup` untimed calls)."""
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


@contextlib.contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """`with stopwatch() as t: ...` then `t["ms"]` / `t["s"]`."""
    timing: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield timing
    finally:
        elapsed = time.perf_counter() - start
        timing["s"] = elapsed
        timing["ms"] = elapsed * 1000


def postgres_url() -> str | None:
    """The PostgreSQL server to benchmark on, from DATABASE_URL (None when not given)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextlib.contextmanager
def throwaway_database(kind: str = "sqlite") -> Iterator[dict[str, str]]:
    """An empty database that disappears afterwards, as environment variables for eban.

    kind "sqlite": a temporary EBAN_DATA_DIR (eban's own SQLite settings, WAL mode);
    kind "postgres": a new database on the server of DATABASE_URL, dropped on exit.
    The yielded dict also has EBAN_DATA_DIR (a temporary directory for files either way).
    """
    data_dir = Path(tempfile.mkdtemp(prefix=f"eban-bench-{kind}-"))
    env = {"EBAN_DATA_DIR": str(data_dir)}
    try:
        if kind == "sqlite":
            env["DATABASE_URL"] = ""
            yield env
        elif kind == "postgres":
            server = postgres_url()
            if not server:
                raise RuntimeError("DATABASE_URL must point at a PostgreSQL server")
            import psycopg

            name = f"eban_bench_{uuid.uuid4().hex[:10]}"
            admin_url = _with_database(server, "postgres")
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                env["DATABASE_URL"] = _with_database(server, name)
                yield env
            finally:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            raise ValueError(f"unknown database kind {kind!r}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def database_kinds(quick: bool = False) -> list[str]:
    """SQLite always; PostgreSQL too when DATABASE_URL points at one."""
    return ["sqlite", "postgres"] if postgres_url() else ["sqlite"]


def redis_url() -> str | None:
    """The cache of the production setup: EBAN_CACHE_URL, else the local Redis if it answers, else None."""
    if os.environ.get("EBAN_CACHE_URL"):
        return os.environ["EBAN_CACHE_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/15"
    except OSError:
        pass
    return None


def environ(extra: dict[str, str], settings: str = "eban.settings.production") -> dict[str, str]:
    """os.environ plus `extra`, for a child process running eban."""
    env = dict(os.environ)
    env.update(extra)
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.setdefault("EBAN_SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
    # Production refuses to start without a shared cache (rate limits across workers).
    env.setdefault("EBAN_CACHE_URL", redis_url() or "")
    # Production settings need the personal-data keys: throwaway ones for a throwaway database.
    from eban.core.crypto import new_blind_index_key, new_encryption_key_entry

    env.setdefault("EBAN_ENCRYPTION_KEYS", new_encryption_key_entry("bench"))
    env.setdefault("EBAN_BLIND_INDEX_KEY", new_blind_index_key())
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def run_python(code: str, env: dict[str, str], *, timeout: float = 600) -> str:
    """Run Python `code` in a child process with `env`; its stdout, or an error with its stderr."""
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child process failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc.stdout


def eban(args: Sequence[str], env: dict[str, str], *, timeout: float = 600) -> str:
    """Run an `eban` management command in a child process; its stdout."""
    proc = subprocess.run(
        [sys.executable, "-m", "eban", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"eban {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc.stdout
