"""A double submission at the same instant (a double click, the web and a kiosk at once, a script):
one case and one certificate, every other submission refused naming that case. Real threads, each
with its own database connection, released together."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from eban.accounts import actions as accounts
from eban.accounts.models import Citizen
from eban.applications import apply
from eban.applications.duplicates import RepeatApplication
from eban.applications.enums import Status
from eban.applications.models import Application, MatterSetup
from eban.certificates import signing
from eban.certificates.models import Certificate
from eban.kiosks.tests.app_factories import SENIOR_CARD, VILLAGER, load_kiosk_sample

from .test_concurrency import _restore_migrated_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def senior_card(settings, tmp_path):
    _restore_migrated_data()
    load_kiosk_sample(settings, tmp_path, codes=(SENIOR_CARD,))
    villager = Citizen.objects.get_by_id_number(VILLAGER)
    accounts.account_for(villager)
    yield MatterSetup.objects.select_related("matter").get(matter__code=SENIOR_CARD), villager
    signing.clear_cache()


def _submit_at_once(setup, villager, count: int) -> list:
    """`count` submissions released by one barrier; each result is a case or the error raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    channels = ["online", "kiosk"]

    def worker(i: int) -> None:
        try:
            barrier.wait(30)
            results[i] = apply.apply(villager.user, setup, answers={}, uploads={}, channel=channels[i % 2])
        except Exception as error:  # reported to the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def _one_case_and_one_card(results, villager) -> None:
    made = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, RepeatApplication)]
    others = [r for r in results if not isinstance(r, Application | RepeatApplication)]
    assert not others, others
    assert len(made) == 1 and len(refused) == len(results) - 1
    (case,) = Application.objects.filter(citizen=villager)
    assert case.pk == made[0].pk and {r.application.pk for r in refused if r.application} == {case.pk}
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    (certificate,) = Certificate.objects.all()
    assert certificate.status == "valid" and certificate.idempotency_key == f"application:{case.number}"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_fifty_simultaneous_submissions_make_one_case_and_one_card_on_postgresql(senior_card):
    setup, villager = senior_card
    _one_case_and_one_card(_submit_at_once(setup, villager, 50), villager)


@contextmanager
def _sqlite_as_deployed(path):
    """The test database copied to a file, and new connections opened on it: SQLite as `make demo`
    runs it (a file in WAL mode, writers waiting on a busy timeout, immediate transactions). The
    in-memory test database's shared cache locks tables without waiting ("database table is
    locked"), which no deployment does."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings = connections.settings["default"]
    name = settings["NAME"]
    settings["NAME"] = str(path)
    try:
        yield
    finally:
        settings["NAME"] = name


def _in_a_thread(work):
    """Run `work` on a connection of its own (so on the file)."""
    outcome: list = []

    def run():
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - re-raised below
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
def test_simultaneous_submissions_make_one_case_and_one_card_on_sqlite(senior_card, tmp_path):
    setup, villager = senior_card
    with _sqlite_as_deployed(tmp_path / "eban.sqlite3"):
        results = _submit_at_once(setup, villager, 8)
        _in_a_thread(lambda: _one_case_and_one_card(results, villager))
