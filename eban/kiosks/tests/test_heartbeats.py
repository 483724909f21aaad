import datetime
import io
import json
import logging

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import override

from eban.kiosks.actions import SYSTEM
from eban.kiosks.actions import heartbeats as heartbeat_actions
from eban.kiosks.actions import tokens as token_actions
from eban.kiosks.enums import AlertKind
from eban.kiosks.health import PAPER_EMPTY_BELOW
from eban.kiosks.heartbeats import checks as heartbeats
from eban.kiosks.heartbeats import lane as heartbeat_lane
from eban.kiosks.models import Alert, Heartbeat, RefusedHeartbeat

from .fleet_factories import body, make_terminal, with_token

URL = "/api/v1/kiosks/heartbeat"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """The refusal counts per address live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


class LaneClient:
    """Sends a POST through eban.wsgi's heartbeat lane (in front of Django) as gunicorn would, so
    that every test here runs against both doors: the API route (Django's test client) and the
    lane. Anything else goes to Django's test client."""

    class Response:
        def __init__(self, status: str, headers: list, content: bytes):
            self.status_code = int(status.split()[0])
            self.headers = dict(headers)
            self.content = content

        def json(self):
            return json.loads(self.content)

    def __init__(self, django_client):
        self.django_client = django_client
        self.fallback_calls = 0

        def django_app(environ, start_response):
            self.fallback_calls += 1
            start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
            return [b"not the lane"]

        self.app = heartbeat_lane.heartbeat_lane(django_app)

    def post(self, path, data=b"", content_type="application/json", **extra):
        data = data.encode() if isinstance(data, str) else data
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(data),
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(data)), "REMOTE_ADDR": "127.0.0.1",
            **extra,
        }  # fmt: skip
        answer = {}

        def start_response(status, headers):
            answer.update(status=status, headers=headers)

        content = b"".join(self.app(environ, start_response))
        return self.Response(answer["status"], answer["headers"], content)

    def get(self, *args, **kwargs):
        return self.django_client.get(*args, **kwargs)


@pytest.fixture(params=["route", "lane"])
def client(request, client):
    if request.param == "route":
        yield client
        return
    # As Django's test client does: the request signals must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield LaneClient(client)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def post(client, token, data, **extra):
    payload = data if isinstance(data, bytes | str) else json.dumps(data)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(
        URL, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers, **extra
    )


@pytest.fixture
def terminal():
    return make_terminal(code="WZ-LC-0001")


@pytest.fixture
def token(terminal):
    return with_token(terminal)


def test_valid_heartbeat_updates_health_and_history(client, terminal, token):
    response = post(client, token, body(paper_level=57, software_version="3.0.0", camera="absent"))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["next_in_s"] == 60
    assert datetime.datetime.fromisoformat(answer["received_at"])
    terminal.refresh_from_db()
    assert terminal.last_seen_at is not None
    assert (terminal.online, terminal.paper_level, terminal.printer_state, terminal.camera_state) == (
        True, 57, "ok", "absent",
    )  # fmt: skip
    assert terminal.software_version == "3.0.0"
    beat = Heartbeat.objects.get(terminal=terminal)
    assert (
        beat.paper_level == 57 and beat.camera_state == "absent" and beat.received_at == terminal.last_seen_at
    )
    assert not RefusedHeartbeat.objects.exists()
    assert not Alert.objects.exists()


def test_the_hot_path_is_a_lookup_an_update_and_an_insert(
    client, terminal, token, django_assert_max_num_queries
):
    post(client, token, body())  # the first one may close a SILENT alert: one query more
    # PostgreSQL: SELECT the terminal, then the UPDATE and the INSERT in one statement (no
    # transaction block). Elsewhere: SELECT, then UPDATE and INSERT in a transaction.
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 5):
        assert post(client, token, body()).status_code == 200


def test_forged_token_is_refused_and_logged_without_the_secret(client, terminal, token, caplog):
    secret = token.rpartition(".")[2]
    forged = terminal.code + "." + ("y" if secret[0] == "x" else "x") + secret[1:]  # one character changed
    with caplog.at_level(logging.WARNING, logger="eban.kiosks.heartbeats"):
        response = post(client, forged, body(), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_token"
    refused = RefusedHeartbeat.objects.get()
    assert (refused.claimed_code, refused.reason, refused.client_ip) == ("WZ-LC-0001", "mismatch", "10.1.2.3")
    assert not Heartbeat.objects.exists()
    assert "mismatch" in caplog.text and "WZ-LC-0001" in caplog.text
    secret = forged.rpartition(".")[2]
    assert secret not in caplog.text and token.rpartition(".")[2] not in caplog.text


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Bearer NOPE-0001.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "unknown"),
        ("Bearer garbage", "malformed"),
        ("", "malformed"),
        ("Basic dXNlcjpwYXNz", "malformed"),
    ],
)
def test_unknown_or_missing_token_is_refused(client, terminal, header, reason):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(URL, json.dumps(body()), content_type="application/json", **extra)
    assert response.status_code == 401
    assert RefusedHeartbeat.objects.get().reason == reason
    assert not Heartbeat.objects.exists()


def test_revoked_token_is_refused(client, terminal, token):
    token_actions.revoke_token(terminal, actor=SYSTEM)
    response = post(client, token, body())
    assert response.status_code == 401
    assert RefusedHeartbeat.objects.get().reason == "revoked"
    terminal.refresh_from_db()
    assert terminal.last_seen_at is None


def test_rotated_token_replaces_the_old_one(client, terminal, token):
    new = token_actions.issue_token(terminal, actor=SYSTEM)
    assert post(client, token, body()).status_code == 401
    assert post(client, new, body()).status_code == 200


def test_inactive_terminal_is_refused(client, terminal, token):
    terminal.active = False
    terminal.save()
    assert post(client, token, body()).status_code == 401
    assert RefusedHeartbeat.objects.get().reason == "unknown"


@pytest.mark.parametrize(
    ("payload", "status", "reason"),
    [
        (b"not json", 400, "not_json"),
        (b"[1, 2]", 400, "not_object"),
        (b"\xff\xfe", 400, "not_json"),
        (json.dumps({**body(), "pad": "x" * 5000}).encode(), 400, "too_large"),
        (lambda: body(extra=1), 422, "unknown_field"),
        (lambda: {k: v for k, v in body().items() if k != "online"}, 422, "missing"),
        (lambda: body(online="yes"), 422, "invalid_field"),
        (lambda: body(online=1), 422, "invalid_field"),
        (lambda: body(paper_level=101), 422, "invalid_field"),
        (lambda: body(paper_level=-1), 422, "invalid_field"),
        (lambda: body(paper_level=50.5), 422, "invalid_field"),
        (lambda: body(paper_level=True), 422, "invalid_field"),
        (lambda: body(printer="broken"), 422, "invalid_field"),
        (lambda: body(camera=None), 422, "invalid_field"),
        (lambda: body(software_version="x" * 41), 422, "invalid_field"),
        (lambda: body(software_version="1.0\n"), 422, "invalid_field"),
        (body(sent_at="2026-05-04T09:30:00"), 422, "invalid_field"),
        (body(sent_at="yesterday"), 422, "invalid_field"),
        (body(sent_at=12345), 422, "invalid_field"),
    ],
)
def test_malformed_body_is_refused_and_nothing_is_written(client, terminal, token, payload, status, reason):
    # A body with a valid sent_at is made now, not when the tests were collected: on a busy
    # machine the test may run more than the 10 minutes of allowed clock skew later.
    payload = payload() if callable(payload) else payload
    with override("en"):
        response = post(client, token, payload)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_heartbeat" and error["message"]
    refused = RefusedHeartbeat.objects.get()
    assert (refused.reason, refused.claimed_code) == (reason, terminal.code)
    assert not Heartbeat.objects.exists()
    terminal.refresh_from_db()
    assert terminal.last_seen_at is None and terminal.paper_level is None


@pytest.mark.parametrize(
    "payload", [b"[" * 2000 + b"]" * 2000, b'{"online": ' + b"[" * 2000 + b"]" * 2000 + b"}"]
)
def test_deeply_nested_json_is_refused_with_400_not_500(client, terminal, token, payload, caplog):
    """A valid token and 4,000 bytes of nesting used to raise RecursionError (500) in both doors."""
    assert len(payload) <= heartbeats.MAX_BODY_BYTES
    with override("en"), caplog.at_level(logging.WARNING, logger="eban.kiosks.heartbeats"):
        response = post(client, token, payload)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_heartbeat"
    assert "nested" in error["message"]
    assert RefusedHeartbeat.objects.get().reason == "too_deep"
    assert "Heartbeat refused: too_deep" in caplog.text
    assert not Heartbeat.objects.exists()


def test_paper_level_may_be_null_and_version_omitted(client, terminal, token):
    data = body(paper_level=None, printer="absent")
    del data["software_version"]
    assert post(client, token, data).status_code == 200
    terminal.refresh_from_db()
    assert terminal.paper_level is None and terminal.software_version == ""


@pytest.mark.parametrize(("minutes", "accepted"), [(-11, False), (-9, True), (9, True), (11, False)])
def test_clock_skew_over_ten_minutes_is_refused(client, terminal, token, minutes, accepted):
    sent = timezone.now() + datetime.timedelta(minutes=minutes)
    response = post(
        client,
        token,
        body(sent_at=sent.astimezone(datetime.timezone(datetime.timedelta(hours=8))).isoformat()),
    )
    assert (response.status_code == 200) is accepted
    if not accepted:
        assert response.status_code == 422
        assert RefusedHeartbeat.objects.get().reason == "clock_skew"


def test_z_offset_is_accepted(client, terminal, token):
    sent = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert post(client, token, body(sent_at=sent)).status_code == 200


def _open_kinds(terminal):
    return set(Alert.objects.filter(terminal=terminal, closed_at__isnull=True).values_list("kind", flat=True))


def test_alerts_open_and_close_when_the_state_changes(client, terminal, token):
    assert post(client, token, body(paper_level=0, printer="fault")).status_code == 200
    assert _open_kinds(terminal) == {AlertKind.OUT_OF_PAPER, AlertKind.PRINTER}
    # The same state again: nothing new.
    assert post(client, token, body(paper_level=0, printer="fault")).status_code == 200
    assert Alert.objects.count() == 2
    # Below the threshold still counts as empty; the printer is fixed; the camera breaks.
    assert post(client, token, body(paper_level=PAPER_EMPTY_BELOW - 1, camera="fault")).status_code == 200
    assert _open_kinds(terminal) == {AlertKind.OUT_OF_PAPER, AlertKind.CAMERA}
    printer = Alert.objects.get(kind=AlertKind.PRINTER)
    assert printer.closed_at is not None
    # Refilled, camera fixed: everything closes.
    assert post(client, token, body(paper_level=100)).status_code == 200
    assert _open_kinds(terminal) == set()
    assert Alert.objects.count() == 3


def test_a_heartbeat_closes_an_open_silent_alert(client, terminal, token):
    now = timezone.now()
    terminal.last_seen_at = now - datetime.timedelta(minutes=30)
    terminal.save()
    Alert.objects.create(
        terminal=terminal, kind=AlertKind.SILENT, opened_at=now - datetime.timedelta(minutes=14)
    )
    assert post(client, token, body()).status_code == 200
    alert = Alert.objects.get()
    assert alert.closed_at is not None


def test_record_heartbeat_directly(terminal):
    now = timezone.now()
    payload = heartbeats.validate(body(now, paper_level=3), now)
    heartbeat_actions.record_heartbeat(terminal, payload, now)
    terminal.refresh_from_db()
    assert terminal.paper_level == 3
    assert _open_kinds(terminal) == {AlertKind.OUT_OF_PAPER}


def test_refusals_are_capped_per_client_address_and_minute(caplog):
    now = timezone.now().replace(second=1)
    with caplog.at_level(logging.WARNING, logger="eban.kiosks.heartbeats"):
        stored = [
            heartbeat_actions.refuse_heartbeat("unknown", "X-1", "10.9.9.9", now=now) for _ in range(150)
        ]
        other = heartbeat_actions.refuse_heartbeat("unknown", "X-1", "10.9.9.10", now=now)
    assert sum(stored) == heartbeat_actions.REFUSED_ROWS_PER_MINUTE
    assert other is True
    assert RefusedHeartbeat.objects.count() == heartbeat_actions.REFUSED_ROWS_PER_MINUTE + 1
    assert "not stored" in caplog.text
    # Lines logged: one per stored row, then one per 100 over the cap — not 150.
    lines = [r for r in caplog.records if "10.9.9.9" in r.getMessage()]
    assert len(lines) == heartbeat_actions.REFUSED_ROWS_PER_MINUTE + 2


def test_openapi_declares_the_heartbeat(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/kiosks/heartbeat"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "401", "422"}
    assert operation["requestBody"]["content"]["application/json"]["schema"]["additionalProperties"] is False


# --- the lane in front of Django (eban.wsgi) ---------------------------------------------------------


@pytest.fixture
def lane(client):
    if not isinstance(client, LaneClient):
        pytest.skip("the lane only")
    return client


def test_the_lane_answers_as_the_api_route_does(lane, terminal, token):
    response = post(lane, token, body())
    assert response.status_code == 200 and lane.fallback_calls == 0
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    answer = response.json()
    assert answer["next_in_s"] == 60
    terminal.refresh_from_db()
    assert datetime.datetime.fromisoformat(
        answer["received_at"].replace("Z", "+00:00")
    ) == terminal.last_seen_at.replace(microsecond=terminal.last_seen_at.microsecond // 1000 * 1000)
    assert Heartbeat.objects.filter(terminal=terminal).count() == 1


def test_the_lane_answers_in_chinese_unless_asked_otherwise(lane, terminal, token):
    chinese = lane.post(URL, b"not json", HTTP_AUTHORIZATION=f"Bearer {token}")
    english = lane.post(URL, b"not json", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 400
    assert chinese.headers["Content-Language"] == "zh-hans" and english.headers["Content-Language"] == "en"
    assert chinese.json()["error"]["message"] != english.json()["error"]["message"]
    assert english.json()["error"]["message"] == "The body is not JSON."


def test_the_lane_leaves_every_other_request_to_django(lane):
    assert lane.post("/api/v1/kiosks/heartbeat/", b"{}").status_code == 418
    assert lane.post("/api/v1/kiosks/nearest", b"{}").status_code == 418
    environ_get = {"REQUEST_METHOD": "GET", "PATH_INFO": URL}
    assert b"".join(lane.app(environ_get, lambda status, headers: None)) == b"not the lane"
    assert lane.fallback_calls == 3


def test_an_unexpected_error_in_the_lane_is_logged_and_answers_500(
    lane, terminal, token, monkeypatch, caplog
):
    def broken(request):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(heartbeat_lane, "receive", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = post(lane, token, body())
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "database on fire" in caplog.text and token.rpartition(".")[2] not in caplog.text


def test_eban_wsgi_puts_the_lane_in_front_of_django(lane, terminal, token):
    from eban import wsgi

    lane.app = wsgi.application
    assert post(lane, token, body()).status_code == 200
    assert Heartbeat.objects.filter(terminal=terminal).count() == 1
