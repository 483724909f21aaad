"""Heartbeats of the whole kiosk network: 30,000 terminals × one heartbeat a minute = 500/s.

Setup: PostgreSQL (skipped, with a row saying so, when DATABASE_URL does not name one), a
throwaway database with 30,000 terminals each holding its own token and in a steady state (seen
a moment ago, healthy: a heartbeat then changes no alert, as nearly every one does in a running
network; a terminal's first heartbeat, or one that opens or closes an alert, takes the slower
path through the ORM, measured by the tests' query counts, not here), the app under gunicorn
with 2 sync workers and `eban.settings.production` (as bench/api_load.py), the Redis cache when
one answers. The load generator is an open-loop asyncio client in this process: request i is
due at start + i/rate whatever happened to the earlier ones (so a slow server shows as latency,
not as a lower rate), each a POST /api/v1/kiosks/heartbeat with the next terminal's token (the
30,000 tokens in turn), on its own connection (gunicorn's sync workers close each one).
Latency is measured from when the request was due, so queueing in the generator counts.

Afterwards the Heartbeat rows in the database are compared with the answers: "lost" = answered
200 but not stored, plus the requests that failed (non-200, refused connection, timeout).

When 500/s is not sustained (p99 ≥ 200 ms, errors, or the rate achieved under 97 % of the
target), shorter runs at lower rates find the highest one that is; the CPU time of the gunicorn
workers, of the generator itself and of the rest of the machine (PostgreSQL, mostly), per second
of wall time (2.0 = both cores), says what saturates first.

Ceiling (bench/ceilings.py): right before the heartbeats, the same generator sends GET requests
for a static file (WhiteNoise) to the same server at the same rate (for at most 60 s): its
achieved rate, p50 and p99 and the workers' CPU per request stand beside the heartbeats' own.

Where the time goes (measured while building it, on this 2-core machine): a sync worker is busy
for the whole of a request, waiting on PostgreSQL included, so at 250 requests/s each it is busy
most of the time and a few seconds of contention (the generator, PostgreSQL and both workers
share two cores) build a queue that takes seconds to drain: that is what sets p99. Threads per
worker (gthread) cut p99 at 500/s to ~60–95 ms but halved the guide page's throughput on SQLite
(bench/api_load.py), so `eban serve` keeps sync workers.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

from .api_load import gunicorn, log, redis_url
from .ceilings import beside
from .common import eban, environ, percentile, postgres_url, result, run_python, throwaway_database

TERMINALS = 30_000
TARGET_RATE = 500
MAX_P99_MS = 200
TIMEOUT_S = 10.0
MAX_IN_FLIGHT = 3000
FALLBACK_RATES = (50, 100, 150, 200, 250, 300, 350, 400, 450)  # climbed until one is not sustained
STATIC_PATH = "/static/css/site.css"
CEILING_SECONDS = 60  # the static file's run is capped: it is the ceiling, not the figure
BODY = b'{"sent_at":"@SENT@","online":true,"paper_level":80,"printer":"ok","camera":"ok","software_version":"bench"}'

SETUP_SCRIPT = """
import django, hashlib, secrets, sys
django.setup()
from django.db import transaction
from django.utils import timezone
from eban.government.models import Division
from eban.kiosks.models import Terminal
n = {n}
city, _ = Division.objects.get_or_create(code="330300", defaults={{"name": "温州市", "level": "city"}})
county, _ = Division.objects.get_or_create(code="330302", defaults={{"name": "鹿城区", "level": "county", "parent": city}})
now = timezone.now()
tokens = []
rows = []
for i in range(n):
    code = f"B-{{i:06d}}"
    secret = secrets.token_urlsafe(32)
    tokens.append(f"{{code}}.{{secret}}")
    rows.append(Terminal(code=code, name=f"bench {{i}}", level="village", division=county, address="bench",
        latitude=27.5 + (i % 300) / 300, longitude=120.0 + (i // 300) / 100, opening_hours={{"always": True}},
        hardware=["printer", "camera"], is_sample=True, token_hash=hashlib.sha256(secret.encode()).hexdigest(),
        token_issued_at=now, last_seen_at=now, online=True, paper_level=80, printer_state="ok", camera_state="ok"))
with transaction.atomic():
    Terminal.objects.bulk_create(rows, batch_size=2000)
sys.stdout.write("\\n".join(tokens))
"""


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (from /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _processes() -> list[tuple[int, int, str]]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.append((int(entry.name), ppid, comm))
    return out


def gunicorn_pids(master: int) -> list[int]:
    return [master] + [pid for pid, ppid, _comm in _processes() if ppid == master]


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores, from /proc/stat), in seconds."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Load:
    """One open-loop run: `rate` requests/s for `seconds`, tokens in turn."""

    def __init__(self, host: str, port: int, tokens: list[str], rate: float, seconds: float, offset: int = 0):
        self.host, self.port, self.tokens = host, port, tokens
        self.rate, self.seconds, self.offset = rate, seconds, offset
        self.latencies: list[float] = []
        self.ok = 0
        self.non_200: dict[int, int] = {}
        self.timeouts = 0
        self.failed_connections = 0
        self.skipped = 0  # not sent: too many in flight
        self.in_flight = 0
        self.sent = 0

    def _request(self, token: str) -> bytes:
        sent_at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        body = BODY.replace(b"@SENT@", sent_at.encode())
        return (
            f"POST /api/v1/kiosks/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body

    async def _one(self, token: str, due: float) -> None:
        self.in_flight += 1
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), timeout=TIMEOUT_S
            )
        except TimeoutError:
            self.timeouts += 1
            self.in_flight -= 1
            return
        except OSError:
            self.failed_connections += 1
            self.in_flight -= 1
            return
        try:
            writer.write(self._request(token))
            remaining = TIMEOUT_S - (time.perf_counter() - due)
            data = await asyncio.wait_for(reader.read(), timeout=max(0.1, remaining))
            done = time.perf_counter()
            status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
            if status == 200:
                self.ok += 1
                self.latencies.append((done - due) * 1000)
            else:
                self.non_200[status] = self.non_200.get(status, 0) + 1
        except TimeoutError:
            self.timeouts += 1
        except OSError:
            self.failed_connections += 1
        finally:
            writer.close()
            self.in_flight -= 1

    async def run(self) -> None:
        tasks = set()
        start = time.perf_counter() + 0.05
        total = int(self.rate * self.seconds)
        for i in range(total):
            due = start + i / self.rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.in_flight >= MAX_IN_FLIGHT:
                self.skipped += 1
                continue
            token = self.tokens[(self.offset + i) % len(self.tokens)]
            task = asyncio.create_task(self._one(token, due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            self.sent += 1
        self.send_end = time.perf_counter()
        self.send_seconds = self.send_end - start
        if tasks:
            await asyncio.wait(tasks)
        self.elapsed = time.perf_counter() - start

    @property
    def errors(self) -> int:
        return sum(self.non_200.values()) + self.timeouts + self.failed_connections + self.skipped


class StaticLoad(Load):
    """The ceiling: the same open-loop load, a static file (WhiteNoise) in place of the heartbeat."""

    def _request(self, token: str) -> bytes:
        return (f"GET {STATIC_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").encode()


def measure(
    base: str, master_pid: int, tokens: list[str], rate: float, seconds: float, offset: int, kind: type = Load
) -> dict:
    host, port = base.removeprefix("http://").split(":")
    load = kind(host, int(port), tokens, rate, seconds, offset)
    workers = gunicorn_pids(master_pid)
    cpu0 = {"workers": _cpu_seconds(workers), "generator": _own_cpu(), "machine": machine_busy_seconds()}
    wall0 = time.perf_counter()
    asyncio.run(load.run())
    wall = time.perf_counter() - wall0
    load_average = os.getloadavg()[0]
    cpu1 = {
        "workers": _cpu_seconds(workers),
        "generator": _own_cpu(),
        "machine": machine_busy_seconds(),
    }
    cpu = {k: (cpu1[k] - cpu0[k]) / wall for k in cpu0}
    # PostgreSQL's backends come and go (connections are renewed every minute), so it is counted
    # as the rest of the machine: busy time less the workers and the generator.
    cpu["postgres and the rest"] = max(0.0, cpu.pop("machine") - cpu["workers"] - cpu["generator"])
    lat = load.latencies
    return {
        "rate": rate,
        "seconds": seconds,
        "sent": load.sent,
        "ok": load.ok,
        "achieved": load.ok / load.elapsed if load.elapsed else 0.0,
        "send_rate": load.sent / load.send_seconds if load.send_seconds else 0.0,
        "p50": percentile(lat, 50) if lat else None,
        "p99": percentile(lat, 99) if lat else None,
        "max": max(lat) if lat else None,
        "errors": load.errors,
        "non_200": load.non_200,
        "timeouts": load.timeouts,
        "failed_connections": load.failed_connections,
        "skipped": load.skipped,
        "cpu": cpu,
        # CPU time of the app workers per answered request (ms): what one heartbeat costs the app.
        "app_ms": cpu["workers"] * wall * 1000 / load.ok if load.ok else None,
        "load_average": load_average,
    }


def drain(base: str, token: str, limit_s: float = 90) -> None:
    """Wait until the server has worked off the requests an overload left queued (a heartbeat
    answers within half a second again)."""
    import urllib.request

    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        body = BODY.replace(b"@SENT@", time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()).encode())
        request = urllib.request.Request(
            base + "/api/v1/kiosks/heartbeat", data=body, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except OSError:
            pass
        if time.monotonic() - started < 0.5:
            time.sleep(2)
            return
        time.sleep(1)


def sustained(m: dict) -> bool:
    return (
        m["errors"] == 0
        and m["p99"] is not None
        and m["p99"] < MAX_P99_MS
        and m["achieved"] >= 0.97 * m["rate"]
    )


def stored_heartbeats(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT count(*) FROM kiosks_heartbeat").fetchone()[0]


def describe(m: dict) -> str:
    cpu = ", ".join(f"{k} {v:.2f}" for k, v in m["cpu"].items())
    return (
        f"load {m['load_average']:.1f}, app CPU {m['app_ms'] or 0:.1f} ms/request; "
        f"{m['rate']}/s × {m['seconds']} s: {m['ok']} ok of {m['sent']} sent ({m['achieved']:.0f}/s), "
        f"p50 {m['p50'] or 0:.1f} ms, p99 {m['p99'] or 0:.1f} ms, max {m['max'] or 0:.0f} ms, "
        f"errors {m['errors']} (non-200 {m['non_200']}, timeouts {m['timeouts']}, "
        f"refused {m['failed_connections']}, skipped {m['skipped']}); CPU cores used: {cpu}"
    )


def run(quick: bool = False) -> list[dict]:
    prefix = "kiosk_heartbeats [postgres, 2 workers]"
    if not postgres_url():
        return [
            result(f"{prefix}: skipped (DATABASE_URL does not name a PostgreSQL server)", None, "", "", None)
        ]
    seconds = 20 if quick else 300
    n = int(os.environ.get("EBAN_BENCH_TERMINALS", 3_000 if quick else TERMINALS))
    rows: list[dict] = []
    cache_url = redis_url()
    with throwaway_database("postgres") as db_env:
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
        eban(["migrate", "--noinput", "-v", "0"], env)
        eban(["collectstatic", "--noinput", "-v", "0"], env)  # for the ceiling's static file
        tokens = run_python(SETUP_SCRIPT.format(n=n), env, timeout=900).split()
        log(
            f"kiosk_heartbeats: {len(tokens)} terminals with tokens ready in {time.monotonic() - started:.0f} s"
        )
        with gunicorn(env) as base:
            master = _gunicorn_master(base)
            # Warm up both workers (imports, connections), then count from here.
            measure(base, master, tokens, 50, 4, offset=0)
            measure(base, master, tokens, 50, 4, offset=0, kind=StaticLoad)
            # The ceiling, right before: the static file at the same rate, same generator, same server.
            ceiling_s = min(seconds, CEILING_SECONDS)
            log(f"kiosk_heartbeats: ceiling: {STATIC_PATH} at {TARGET_RATE}/s for {ceiling_s} s")
            static = measure(base, master, tokens, TARGET_RATE, ceiling_s, offset=0, kind=StaticLoad)
            log("kiosk_heartbeats: ceiling: " + describe(static))
            what = f"static file at {TARGET_RATE}/s for {ceiling_s} s, same generator and server"
            drain(base, tokens[0])  # what the ceiling's run left queued is worked off first
            before = stored_heartbeats(env["DATABASE_URL"])
            log(f"kiosk_heartbeats: {TARGET_RATE}/s for {seconds} s")
            main = measure(base, master, tokens, TARGET_RATE, seconds, offset=200)
            time.sleep(1)
            stored = stored_heartbeats(env["DATABASE_URL"]) - before
            log("kiosk_heartbeats: " + describe(main))
            lost = max(0, main["ok"] - stored) + main["errors"]
            label = f"{prefix} {TARGET_RATE}/s × {seconds} s, {len(tokens)} terminals"
            ok_rate = sustained(main)
            rows += [
                beside(result(f"{label}: sustained rate", main["achieved"], "req/s", f">= {TARGET_RATE * 0.97:.0f}",
                              main["achieved"] >= TARGET_RATE * 0.97), static["achieved"], what),
                beside(result(f"{label}: p50 latency", main["p50"], "ms", "", None), static["p50"], what),
                beside(result(f"{label}: p99 latency", main["p99"], "ms", f"< {MAX_P99_MS}",
                              main["p99"] is not None and main["p99"] < MAX_P99_MS), static["p99"], what),
                result(f"{label}: errors (non-200, timeouts, refused)", main["errors"], "requests", "0",
                       main["errors"] == 0),
                result(f"{label}: lost (200 not stored + failed)", lost, "heartbeats", "0", lost == 0),
                result(f"{label}: stored vs answered 200", stored - main["ok"], "rows", "0", stored == main["ok"]),
            ]  # fmt: skip
            if static["errors"]:
                rows.append(result(f"{label}: ceiling's errors ({STATIC_PATH})", static["errors"], "requests", "0",
                                   False))  # fmt: skip
            for name, value in main["cpu"].items():
                rows.append(result(f"{label}: CPU of the {name} (cores of 2)", value, "cores", "", None))
            rows.append(
                beside(
                    result(
                        f"{label}: app workers' CPU per answered heartbeat", main["app_ms"], "ms", "", None
                    ),
                    static["app_ms"],
                    f"workers' CPU per answered request: {what}",
                )
            )
            rows.append(
                result(
                    f"{label}: machine load average (1 min) at the end", main["load_average"], "", "", None
                )
            )
            if not ok_rate:
                best = None
                for rate in FALLBACK_RATES:
                    drain(base, tokens[0])
                    m = measure(base, master, tokens, rate, 20, offset=rate * 7)
                    log("kiosk_heartbeats: " + describe(m))
                    if not sustained(m):
                        break
                    best = m
                if best is not None:
                    rows.append(
                        beside(result(f"{prefix}: highest sustained rate (20 s steps, p99 < {MAX_P99_MS} ms, no errors)",
                                      best["rate"], "req/s", f">= {TARGET_RATE}", best["rate"] >= TARGET_RATE),
                               static["achieved"], f"achieved by the {what}")
                    )  # fmt: skip
                    rows.append(result(f"{prefix}: p99 at {best['rate']}/s", best["p99"], "ms", "", None))
                    rows.append(
                        result(
                            f"{prefix}: app workers' CPU per heartbeat at {best['rate']}/s",
                            best["app_ms"],
                            "ms",
                            "",
                            None,
                        )
                    )
                    for name, value in best["cpu"].items():
                        rows.append(
                            result(
                                f"{prefix}: CPU of the {name} at {best['rate']}/s", value, "cores", "", None
                            )
                        )
                else:
                    rows.append(
                        result(f"{prefix}: highest sustained rate", 0, "req/s", f">= {TARGET_RATE}", False)
                    )
    return rows


def _gunicorn_master(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for pid, _ppid, _comm in _processes():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"gunicorn" in b" ".join(cmdline) and any(port.encode() in part for part in cmdline):
            return pid
    raise RuntimeError("gunicorn's master process was not found")


if __name__ == "__main__":  # python -m bench.kiosk_heartbeats [--quick]
    sys.stdout.write(json.dumps(run(quick="--quick" in sys.argv), indent=1, ensure_ascii=False) + "\n")
