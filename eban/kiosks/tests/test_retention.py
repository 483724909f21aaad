import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from eban.kiosks.actions import retention
from eban.kiosks.models import Heartbeat, RefusedHeartbeat

from .fleet_factories import make_terminal

pytestmark = pytest.mark.django_db


def _beat(terminal, received_at):
    return Heartbeat.objects.create(
        terminal=terminal, received_at=received_at, sent_at=received_at, online=True, paper_level=50,
        printer_state="ok", camera_state="ok",
    )  # fmt: skip


def test_prune_forgets_heartbeats_past_their_keeping_time_in_batches(settings):
    settings.EBAN_KIOSK_HEARTBEAT_DAYS = 2
    settings.EBAN_KIOSK_REFUSED_DAYS = 90
    now = timezone.now()
    terminal = make_terminal()
    old = [_beat(terminal, now - datetime.timedelta(days=2, minutes=i + 1)) for i in range(5)]
    kept = [_beat(terminal, now - datetime.timedelta(days=1, hours=23)), _beat(terminal, now)]
    RefusedHeartbeat.objects.create(
        received_at=now - datetime.timedelta(days=91), claimed_code="X", reason="unknown"
    )
    recent_refusal = RefusedHeartbeat.objects.create(
        received_at=now - datetime.timedelta(days=89), claimed_code="X", reason="unknown"
    )
    assert retention.prune(now, batch=2) == {"heartbeats": len(old), "refused": 1}
    assert set(Heartbeat.objects.values_list("pk", flat=True)) == {beat.pk for beat in kept}
    assert list(RefusedHeartbeat.objects.values_list("pk", flat=True)) == [recent_refusal.pk]
    assert retention.prune(now) == {"heartbeats": 0, "refused": 0}


def test_the_worker_prunes_every_ten_minutes():
    path, every = settings.EBAN_PERIODIC_TASKS["kiosks.prune_heartbeats"]
    assert path == "eban.kiosks.tasks.prune_kiosk_heartbeats" and every == 600
