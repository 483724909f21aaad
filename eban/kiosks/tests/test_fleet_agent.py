"""The simulated terminal (`eban kiosk-agent`), its HTTP calls routed to the test client."""

import io
import json
import urllib.error

import pytest
from django.core.management import CommandError, call_command

from eban.kiosks.management.commands import kiosk_agent
from eban.kiosks.models import Heartbeat

from .fleet_factories import make_terminal, with_token

pytestmark = pytest.mark.django_db


class _Answer(io.BytesIO):
    def __init__(self, status, content):
        super().__init__(content)
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def wired(client, monkeypatch):
    """urlopen → the Django test client."""

    def urlopen(request, timeout=None):
        assert request.full_url == "http://testserver/api/v1/kiosks/heartbeat"
        response = client.post(
            "/api/v1/kiosks/heartbeat",
            request.data,
            content_type="application/json",
            HTTP_AUTHORIZATION=request.get_header("Authorization"),
        )
        if response.status_code != 200:
            raise urllib.error.HTTPError(
                request.full_url, response.status_code, "", {}, io.BytesIO(response.content)
            )
        return _Answer(response.status_code, response.content)

    monkeypatch.setattr(kiosk_agent.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(kiosk_agent.time, "sleep", lambda s: None)


def test_the_agent_sends_heartbeats_with_the_paper_running_down(wired):
    terminal = make_terminal(code="AGENT-1")
    token = with_token(terminal)
    out = io.StringIO()
    call_command(
        "kiosk_agent", "--url", "http://testserver", "--token", token, "--count", "3", "--paper", "10",
        "--paper-step", "5", stdout=out,
    )  # fmt: skip
    assert out.getvalue().count("accepted") == 3
    assert token.rpartition(".")[2] not in out.getvalue()
    levels = list(
        Heartbeat.objects.filter(terminal=terminal).order_by("pk").values_list("paper_level", flat=True)
    )
    assert levels == [10, 5, 0]
    terminal.refresh_from_db()
    assert terminal.alerts.filter(kind="out_of_paper", closed_at__isnull=True).exists()


def test_the_agent_stops_on_a_refused_token(wired):
    make_terminal(code="AGENT-2")
    with pytest.raises(CommandError, match="refused"):
        call_command("kiosk_agent", "--url", "http://testserver", "--token", "AGENT-2." + "x" * 40, "--count", "1",
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip


def test_the_agent_needs_a_token():
    with pytest.raises(CommandError):
        call_command("kiosk_agent", "--token", "", stdout=io.StringIO())


def test_heartbeat_body_is_valid():
    from django.utils import timezone

    from eban.kiosks.heartbeats import checks as heartbeats

    body = kiosk_agent.heartbeat_body(paper=None, printer="absent", camera="ok", version="x")
    assert heartbeats.parse(body, timezone.now())["paper_level"] is None
    assert json.loads(body)["printer"] == "absent"
