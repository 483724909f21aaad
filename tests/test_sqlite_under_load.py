"""The embedded default holds a small office's load: 20 people checking their sign-in codes at
the same instant, each on their own connection, against a file-based SQLite configured as
`make demo` configures it (eban.settings.dev), answer with no server error (issue 11: three 500s,
"database is locked"). Runs in a child process on a copy of the test database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

import eban

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 20

CHILD = textwrap.dedent(
    """
    import json, re, sys, threading
    import django
    django.setup()
    from django.db import connection, connections
    from django.test import Client
    from eban.notifications import sms

    with connection.cursor() as cursor:
        pragmas = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "busy_timeout")}
    pragmas["transaction_mode"] = connection.transaction_mode
    connection.close()

    people = int(sys.argv[1])
    clients = [Client(REMOTE_ADDR=f"198.51.100.{i + 1}") for i in range(people)]
    phones = [f"1590000{i:04d}" for i in range(people)]
    statuses, errors = [], []

    def at_once(step):
        barrier = threading.Barrier(people)
        def run(i):
            barrier.wait()
            try:
                statuses.append((step.__name__, step(i).status_code))
            except Exception as exc:
                errors.append(f"{step.__name__}: {exc!r}")
            finally:
                connections.close_all()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(people)]
        [t.start() for t in threads]
        [t.join() for t in threads]

    def ask_code(i):
        return clients[i].post("/account/sign-in/", {"phone": phones[i]})

    def check_code(i):
        text = next(m.text for m in sms.outbox if m.to == phones[i])
        return clients[i].post("/account/sign-in/code/", {"code": re.search(r"\\d{6}", text)[0]})

    at_once(ask_code)
    at_once(check_code)
    print(json.dumps({"pragmas": pragmas, "statuses": statuses, "errors": errors}))
    """
)


def test_twenty_code_checks_at_the_same_instant_answer_without_a_server_error(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default is SQLite")
    connection.ensure_connection()
    with sqlite3.connect(tmp_path / "eban.sqlite3") as copy:
        connection.connection.backup(copy)  # the migrated test database, as a file
    env = {k: v for k, v in os.environ.items() if not k.startswith("EBAN_") and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="eban.settings.dev",
        EBAN_DATA_DIR=str(tmp_path),
        EBAN_SMS_PROVIDER="locmem",
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(PEOPLE)],
        cwd=Path(eban.__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["pragmas"] == {
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "transaction_mode": "IMMEDIATE",
    }
    assert report["errors"] == []
    assert (
        sorted(map(tuple, report["statuses"]))
        == [("ask_code", 302)] * PEOPLE + [("check_code", 302)] * PEOPLE
    )
