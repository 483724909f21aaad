import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from eban.kiosks.actions import alerts
from eban.kiosks.actions import heartbeats as heartbeat_actions
from eban.kiosks.enums import AlertKind
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
    assert alert.opened_at == now
    assert alert.facts == {"last_seen_at": (now - 16 * MINUTE).isoformat(timespec="seconds")}
    with override("en"):
        assert alert.detail_text.startswith("Last heartbeat ")


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
    alert = Alert.objects.get(terminal=never)
    assert alert.facts == {"never_seen": True}
    with override("en"):
        assert alert.detail_text == "Never seen"
    with override("zh-hans"):
        assert "never" not in alert.detail_text.lower()  # 从未上线 once the catalogue is merged


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
    heartbeat_actions.record_heartbeat(terminal, heartbeats.validate(body(now), now), now)
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


def test_the_fleet_counts_as_silent_exactly_the_terminals_the_alerts_call_silent(client):
    """One definition of silent (eban.kiosks.health): a terminal that holds a token and never
    spoke was 失联 1 on the alerts page and 失联 0 in the fleet's counts."""
    from eban.accounts.testing import staff_login

    from .fleet_factories import operator

    now = timezone.now()
    never = make_terminal(code="WZ-NEVER-1")
    with_token(never)
    never.__class__.objects.filter(pk=never.pk).update(token_issued_at=now - 20 * MINUTE)
    make_terminal(code="WZ-OLD-1", last_seen_at=now - 16 * MINUTE)
    make_terminal(code="WZ-NEW-1")  # no token: never seen, not silent
    alerts.sweep_silent(now)
    staff_login(client, operator())
    fleet = client.get(reverse("kiosks_fleet"))
    counts = {name: n for name, _label, n in fleet.context["counts"]}
    alerts_page = client.get(reverse("kiosks_alerts"))
    silent_alerts = dict((k, n) for k, _label, n in alerts_page.context["kinds"])[AlertKind.SILENT]
    assert counts["silent"] == silent_alerts == 2
    assert counts["never"] == 1
    listed = client.get(reverse("kiosks_fleet"), {"status": "silent"}).context["rows"]
    assert sorted(row[0].code for row in listed) == ["WZ-NEVER-1", "WZ-OLD-1"]
    assert all(row[1] == "bad" for row in listed)


def test_an_out_of_paper_alert_keeps_the_level_as_data_and_says_it_in_the_readers_language():
    terminal = make_terminal()
    now = timezone.now()
    heartbeat_actions.record_heartbeat(terminal, heartbeats.validate(body(now, paper_level=4), now), now)
    alert = Alert.objects.get(terminal=terminal, kind=AlertKind.OUT_OF_PAPER)
    assert alert.facts == {"paper_level": 4}
    with override("en"):
        assert alert.detail_text == "Paper left: 4%"


@pytest.mark.parametrize(
    ("ago", "said"),
    [
        (datetime.timedelta(0), "just now"),
        (datetime.timedelta(seconds=59), "just now"),
        (datetime.timedelta(minutes=1), "1 minute ago"),
        (datetime.timedelta(minutes=3, seconds=20), "3 minutes ago"),
        (datetime.timedelta(hours=2, minutes=5), "2 hours ago"),
        (datetime.timedelta(days=3, hours=1), "3 days ago"),
    ],
)
def test_how_long_ago_an_alert_opened_is_said_as_people_say_it(ago, said):
    from eban.kiosks.health import since

    now = timezone.now()
    with override("en"):
        assert since(now - ago, now).replace("\xa0", " ") == said


def test_a_new_alert_reads_just_now_on_the_alerts_page(client):
    from eban.accounts.testing import staff_login

    from .fleet_factories import operator

    terminal = make_terminal()
    now = timezone.now()
    heartbeat_actions.record_heartbeat(terminal, heartbeats.validate(body(now, paper_level=2), now), now)
    staff_login(client, operator())
    client.cookies["django_language"] = "en"
    with override("en"):
        page = client.get(reverse("kiosks_alerts"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(just now)" in page and "0 minutes" not in page
    assert "Paper left: 2%" in page and "paper_level=" not in page
