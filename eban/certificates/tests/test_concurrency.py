"""Two workers issuing at the same moment (PostgreSQL: real row locks between connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from eban.certificates import actions
from eban.certificates.enums import CertificateStatus
from eban.certificates.models import Certificate

from .conftest import HOLDER_ID

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): concurrent connections")


def _run_at_once(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def _issue(key):
    return lambda: actions.issue_certificate(
        key=key, type_code="senior_card", holder_name="张三", holder_id_number=HOLDER_ID
    )


def test_the_same_job_run_twice_at_once_makes_one_certificate(senior_type):
    first, second = _run_at_once([_issue("application:race"), _issue("application:race")])
    assert first.pk == second.pk
    assert Certificate.objects.filter(idempotency_key="application:race").count() == 1
    assert Certificate.objects.get().status == CertificateStatus.VALID


def test_different_jobs_at_once_get_different_numbers(senior_type):
    results = _run_at_once([_issue(f"application:{i}") for i in range(4)])
    numbers = {certificate.number for certificate in results}
    assert len(numbers) == 4
    assert sorted(n.split("-")[2] for n in numbers) == ["000001", "000002", "000003", "000004"]
