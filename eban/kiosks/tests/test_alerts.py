import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from eban.kiosks.enums import AlertKind
from eban.kiosks.fleet import alerts
from eban.kiosks.heartbeats import checks as heartbeats
from eban.kiosks.models import Alert

from .fleet_factories import body, make_terminal, with_token

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def silent_open(terminal):
    return Alert.objects.filter(terminal=terminal, kind=AlertKind.SILENT, closed_at__isnull=True).exists()


def test_a_silent_terminal_raises_an_alert():
    now = timezone.now()
    silent = make_terminal(last_seen_at=now - 16 * MINUTE)
    talking = make_terminal(last_seen_at=now - 14 * MINUTE)
    result = alerts.sweep_silent(now)
    assert result == {"opened": 1, "closed": 0}
    assert silent_open(silent) and not silent_open(talking)
    alert = Alert.objects.get(terminal=silent)
    assert alert.opened_at == now and "last heartbeat" in alert.detail


def test_a_terminal_with_a_token_that_never_spoke_raises_an_alert():
    now = timezone.now()
    never = make_terminal()
    with_token(never)
    never.refresh_from_db()
    fresh = make_terminal()
    with_token(fresh)
    no_token = make_terminal()  # not installed yet: no alert
    never.__class__.objects.filter(pk=never.pk).update(token_issued_at=now - 20 * MINUTE)
    alerts.sweep_silent(now)
    assert silent_open(never)
    assert not silent_open(fresh) and not silent_open(no_token)
    assert Alert.objects.get(terminal=never).detail == "never seen"


def test_out_of_service_terminals_are_not_silent():
    now = timezone.now()
    retired = make_terminal(last_seen_at=now - 60 * MINUTE, active=False)
    assert alerts.sweep_silent(now)["opened"] == 0
    assert not silent_open(retired)


def test_the_sweep_is_idempotent():
    now = timezone.now()
    terminal = make_terminal(last_seen_at=now - 20 * MINUTE)
    assert alerts.sweep_silent(now)["opened"] == 1
    assert alerts.sweep_silent(now + MINUTE)["opened"] == 0
    assert alerts.sweep_silent(now + 2 * MINUTE) == {"opened": 0, "closed": 0}
    assert Alert.objects.filter(terminal=terminal).count() == 1


def test_the_next_heartbeat_closes_the_alert_and_a_later_silence_opens_a_new_one():
    now = timezone.now()
    terminal = make_terminal(last_seen_at=now - 20 * MINUTE)
    alerts.sweep_silent(now)
    heartbeats.record_heartbeat(terminal, heartbeats.validate(body(now), now), now)
    assert not silent_open(terminal)
    later = now + 16 * MINUTE
    alerts.sweep_silent(later)
    assert silent_open(terminal)
    assert Alert.objects.filter(terminal=terminal, kind=AlertKind.SILENT).count() == 2


def test_the_sweep_closes_a_silent_alert_raced_by_a_heartbeat():
    now = timezone.now()
    terminal = make_terminal(last_seen_at=now - MINUTE)
    Alert.objects.create(terminal=terminal, kind=AlertKind.SILENT, opened_at=now - 2 * MINUTE)
    assert alerts.sweep_silent(now) == {"opened": 0, "closed": 1}


@override_settings(EBAN_KIOSK_SILENT_MINUTES=5)
def test_the_silence_is_a_setting():
    now = timezone.now()
    terminal = make_terminal(last_seen_at=now - 6 * MINUTE)
    alerts.sweep_silent(now)
    assert silent_open(terminal)


def test_the_command_runs_the_sweep():
    make_terminal(last_seen_at=timezone.now() - 30 * MINUTE)
    out = io.StringIO()
    call_command("kiosk_alerts", stdout=out)
    assert "1 silent alerts opened" in out.getvalue()
    out = io.StringIO()
    call_command("kiosk_alerts", stdout=out)
    assert "0 silent alerts opened" in out.getvalue()


def test_the_command_can_enqueue_the_task():
    make_terminal(last_seen_at=timezone.now() - 30 * MINUTE)
    out = io.StringIO()
    call_command("kiosk_alerts", "--enqueue", stdout=out)
    assert "enqueued" in out.getvalue()


def test_open_alerts_of_a_selection():
    now = timezone.now()
    a = make_terminal(last_seen_at=now - 30 * MINUTE)
    make_terminal(last_seen_at=now - 30 * MINUTE)
    alerts.sweep_silent(now)
    assert alerts.open_alerts().count() == 2
    assert alerts.open_alerts(a.__class__.objects.filter(pk=a.pk)).count() == 1
