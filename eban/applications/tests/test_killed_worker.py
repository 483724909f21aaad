"""A worker killed in the middle of issuing a certificate loses no job and duplicates none
(PostgreSQL, real `eban worker` processes, `kill -9`)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from eban.applications import actions, queries, tasks
from eban.applications.models import Application, Decision
from eban.applications.setups import save_setup
from eban.certificates import pki
from eban.certificates.actions import save_certificate_type
from eban.certificates.models import Certificate, CertificateCounter

from .conftest import submit
from .test_concurrency import _restore_migrated_data, _waiting_on_a_lock, on_postgres

ROOT = Path(__file__).resolve().parents[3]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _worker(tmp_path: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eban.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EBAN_SECRET_KEY": "test-only-not-secret",  # the same dev-only personal-data keys as the tests
        "EBAN_DATA_DIR": str(tmp_path / "data"),
        "EBAN_PKI_DIR": str(tmp_path / "pki"),
        "EBAN_DEMO_SIGNING_KEYS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "eban", "worker", "--no-startup-delay", "--no-reload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: a kill reaches the worker and any child
    )


def _kill(worker: subprocess.Popen) -> None:
    """kill -9 the worker's whole process group, and wait for it."""
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.wait(10)


def _until(condition, seconds: float = 60) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_issue_loses_no_job_and_duplicates_none(
    tmp_path, settings, department, matter, applicant, reviewer
):
    _restore_migrated_data()
    settings.TASKS = DATABASE_BACKEND  # queued in the database, run by real worker processes
    settings.EBAN_PKI_DIR = tmp_path / "pki"
    pki.ensure_demo_pki(tmp_path / "pki", [(department.code, department.name)])
    cert_type = save_certificate_type(
        code="kill-test", department=department, name="测试证明", number_prefix="KILL", template="generic"
    )
    save_setup(matter, certificate_type="kill-test", actor=None)
    application = submit(matter, applicant)
    actions.accept(application, actor=reviewer)
    actions.approve(application, actor=reviewer)  # queues the certificate job
    CertificateCounter.objects.create(type=cert_type, day=timezone.localdate(), last=0)

    # Hold the day's certificate counter, so the worker stops inside its issuing transaction.
    held, release = threading.Event(), threading.Event()

    def hold_counter():
        with transaction.atomic():
            list(CertificateCounter.objects.select_for_update().filter(type=cert_type))
            held.set()
            release.wait(60)
        connections.close_all()

    holder = threading.Thread(target=hold_counter)
    holder.start()
    held.wait(10)
    worker = _worker(tmp_path)
    try:
        assert _until(_waiting_on_a_lock), "the worker never reached the issuing step"
        _kill(worker)  # killed mid-issue
    finally:
        release.set()
        holder.join(10)
        _kill(worker)

    assert not Certificate.objects.exists()
    assert Application.objects.get(pk=application.pk).status == "approved"  # nothing half-done

    # The periodic sweep finds the approved case without its certificate and queues the job again.
    Decision.objects.filter(application=application).update(
        decided_at=timezone.now() - queries.CERTIFICATE_RETRY_AFTER - datetime.timedelta(minutes=1)
    )
    assert tasks.retry_pending_certificates() == 1
    worker = _worker(tmp_path)
    try:
        assert _until(lambda: Application.objects.get(pk=application.pk).status == "completed", 90)
    finally:
        _kill(worker)
        _end_other_sessions()
    assert Certificate.objects.filter(idempotency_key=actions.certificate_key(application)).count() == 1
    assert Certificate.objects.get().status == "valid"


def _end_other_sessions() -> None:
    """Close what the killed workers left on the server, so the test database can be dropped."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
