"""The periodic scheduler of `eban worker`: each due round is enqueued once, whoever asks."""

import datetime
import threading

import pytest
from django.utils import timezone

from eban.core import schedule
from eban.core.models import PeriodicRun

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


class FakeTask:
    """Stands in for a django-task: records each enqueue."""

    def __init__(self, name: str) -> None:
        self.name = name

    def enqueue(self) -> None:
        CALLS.append(self.name)


sweep_a = FakeTask("a")
sweep_b = FakeTask("b")


@pytest.fixture(autouse=True)
def periodic(settings):
    CALLS.clear()
    settings.EBAN_PERIODIC_TASKS = {
        "test.a": (f"{__name__}.sweep_a", 60),
        "test.b": (f"{__name__}.sweep_b", 600),
    }


def test_a_round_is_claimed_once_and_again_when_due():
    now = timezone.now()
    assert schedule.claim("x", 60, now) is True
    assert schedule.claim("x", 60, now) is False
    assert schedule.claim("x", 60, now + datetime.timedelta(seconds=59)) is False
    assert schedule.claim("x", 60, now + datetime.timedelta(seconds=60)) is True
    assert PeriodicRun.objects.get(name="x").last_enqueued_at == now + datetime.timedelta(seconds=60)


def test_enqueue_due_enqueues_each_task_at_its_own_interval():
    now = timezone.now()
    assert schedule.enqueue_due(now) == ["test.a", "test.b"]
    assert schedule.enqueue_due(now + datetime.timedelta(seconds=30)) == []
    assert schedule.enqueue_due(now + datetime.timedelta(seconds=61)) == ["test.a"]
    assert schedule.enqueue_due(now + datetime.timedelta(seconds=601)) == ["test.a", "test.b"]
    assert CALLS == ["a", "b", "a", "a", "b"]


@pytest.mark.django_db(transaction=True)
def test_the_thread_enqueues_and_stops():
    stop = threading.Event()
    thread = threading.Thread(target=schedule.run_forever, args=(stop,), kwargs={"tick": 0.01})
    thread.start()
    for _ in range(200):
        if len(CALLS) >= 2:
            break
        stop.wait(0.01)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert sorted(CALLS) == ["a", "b"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_enqueue_once():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    now = timezone.now()
    schedule.claim("race", 60, now - datetime.timedelta(hours=1))
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def worker():
        from django.db import connection as own

        barrier.wait()
        results.append(schedule.claim("race", 60, now))
        own.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
