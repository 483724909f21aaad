"""The SMS providers: console, file, in-memory outbox, and the HTTP gateway adapter (against a
small local http.server in a thread, not a mock)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from eban.notifications import sms
from eban.notifications.checks import check_sms_provider

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


# --- a scripted gateway ------------------------------------------------------------------------


class Gateway:
    """A local HTTP server that answers with the scripted (status, body) replies in turn and
    records every request it got."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, reply = gateway.replies.pop(0) if gateway.replies else (500, b"{}")
                if isinstance(reply, dict):
                    reply = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def provider(url: str, **kwargs) -> sms.HttpProvider:
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("backoff", 0.01)
    return sms.HttpProvider(url, "gateway-token", **kwargs)


# --- the HTTP provider -------------------------------------------------------------------------


def test_http_provider_posts_json_with_bearer_token_signature_and_idempotency_key():
    with Gateway([(200, {"id": "msg-1"})]) as gateway:
        result = provider(gateway.url).send(PHONE, "【e办】验证码 123456", reference="login-code-7")
    assert result == sms.SendResult("msg-1", True)
    (request,) = gateway.requests
    assert json.loads(request["body"]) == {
        "to": PHONE,
        "text": "【e办】验证码 123456",
        "reference": "login-code-7",
    }
    headers = request["headers"]
    assert headers["Authorization"] == "Bearer gateway-token"
    assert headers["Idempotency-Key"] == "login-code-7"
    assert headers["Content-Type"].startswith("application/json")
    timestamp, digest = (part.split("=", 1)[1] for part in headers["X-Eban-Signature"].split(","))
    expected = hmac.new(
        b"gateway-token", timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(digest, expected)


def test_http_provider_retries_after_a_5xx_and_then_succeeds():
    with Gateway([(503, {"error": "busy"}), (502, b"bad gateway"), (200, {"id": "msg-2"})]) as gateway:
        result = provider(gateway.url, retries=2).send(PHONE, "text", reference="r-2")
    assert result.provider_message_id == "msg-2"
    assert len(gateway.requests) == 3
    assert {r["headers"]["Idempotency-Key"] for r in gateway.requests} == {"r-2"}


def test_http_provider_gives_up_after_the_retries():
    with Gateway([(500, {}), (500, {}), (500, {})]) as gateway:
        with pytest.raises(sms.SmsNotSent):
            provider(gateway.url, retries=1).send(PHONE, "text", reference="r-3")
    assert len(gateway.requests) == 2


def test_http_provider_does_not_retry_a_4xx():
    with Gateway([(400, {"error": "bad number"}), (200, {"id": "never"})]) as gateway:
        with pytest.raises(sms.SmsNotSent):
            provider(gateway.url, retries=2).send(PHONE, "text", reference="r-4")
    assert len(gateway.requests) == 1


def test_http_provider_refuses_a_2xx_without_an_id():
    with Gateway([(200, {"ok": True})]) as gateway, pytest.raises(sms.SmsNotSent):
        provider(gateway.url).send(PHONE, "text", reference="r-5")


def test_http_provider_reports_a_message_the_gateway_did_not_accept():
    with Gateway([(200, {"id": "msg-6", "accepted": False})]) as gateway:
        result = provider(gateway.url).send(PHONE, "text", reference="r-6")
    assert result == sms.SendResult("msg-6", False)


def test_http_provider_does_not_follow_a_redirect():
    with Gateway([(302, b"")]) as gateway, pytest.raises(sms.SmsNotSent):
        provider(gateway.url).send(PHONE, "text", reference="r-7")
    assert len(gateway.requests) == 1


def test_http_provider_retries_when_nobody_answers_then_gives_up():
    with Gateway([]) as gateway:
        url = gateway.url
    with pytest.raises(sms.SmsNotSent):  # the server is closed: connection refused
        provider(url, retries=1).send(PHONE, "text", reference="r-8")


def test_http_provider_never_logs_the_phone_the_text_or_the_token(caplog):
    caplog.set_level(logging.DEBUG, logger="eban.sms")
    with Gateway([(503, {}), (200, {"id": "msg-9"})]) as gateway:
        provider(gateway.url).send(PHONE, "secret text 654321", reference="r-9")
    logged = caplog.text
    assert "r-9" in logged
    for secret in (PHONE, "5678", "654321", "gateway-token"):
        assert secret not in logged


@pytest.mark.parametrize("url", ["http://sms.example.com/send", "ftp://127.0.0.1/x", "", "not a url"])
def test_http_provider_needs_https_except_on_localhost(url):
    with pytest.raises(ImproperlyConfigured):
        sms.HttpProvider(url, "token")


def test_http_provider_needs_a_token():
    with pytest.raises(ImproperlyConfigured):
        sms.HttpProvider("https://sms.example.com/send", "")


# --- console, file, in-memory ------------------------------------------------------------------


def test_console_provider_logs_the_text_with_the_phone_masked(caplog):
    caplog.set_level(logging.INFO, logger="eban.sms")
    result = sms.ConsoleProvider().send(PHONE, "Your code is 123456", reference="login-code-1")
    assert result.accepted and result.provider_message_id
    assert "Your code is 123456" in caplog.text
    assert "138****5678" in caplog.text
    assert PHONE not in caplog.text


def test_file_provider_appends_one_json_line_per_message_with_the_phone_masked(tmp_path):
    path = tmp_path / "sms" / "outbox.jsonl"
    provider_ = sms.FileProvider(path)
    first = provider_.send(PHONE, "Code 111111", reference="a")
    provider_.send("13900001111", "Code 222222", reference="b")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["reference"] for line in lines] == ["a", "b"]
    assert lines[0] == {
        "id": first.provider_message_id,
        "sent_at": lines[0]["sent_at"],
        "to": "138****5678",
        "reference": "a",
        "text": "Code 111111",
    }
    assert PHONE not in path.read_text(encoding="utf-8")


def test_test_settings_send_to_the_in_memory_outbox():
    result = sms.send_sms(PHONE, "hello", reference="x-1")
    (message,) = sms.outbox
    assert (message.to, message.text, message.reference) == (PHONE, "hello", "x-1")
    assert message.provider_message_id == result.provider_message_id


@pytest.mark.parametrize(
    ("name", "kind"),
    [("console", sms.ConsoleProvider), ("file", sms.FileProvider), ("locmem", sms.LocmemProvider)],
)
def test_provider_is_chosen_by_setting(name, kind):
    with override_settings(EBAN_SMS_PROVIDER=name):
        assert isinstance(sms.get_provider(), kind)


def test_http_provider_is_built_from_settings():
    with override_settings(
        EBAN_SMS_PROVIDER="http", EBAN_SMS_HTTP_URL="https://sms.example.com/v1/send", EBAN_SMS_HTTP_TOKEN="t"
    ):
        provider_ = sms.get_provider()
    assert isinstance(provider_, sms.HttpProvider)
    assert provider_.host == "sms.example.com"


def test_a_dotted_path_names_a_deployments_own_provider():
    with override_settings(EBAN_SMS_PROVIDER="eban.notifications.sms.LocmemProvider"):
        assert isinstance(sms.get_provider(), sms.LocmemProvider)
    with (
        override_settings(EBAN_SMS_PROVIDER="eban.notifications.sms.SendResult"),
        pytest.raises(ImproperlyConfigured),
    ):
        sms.get_provider()


def test_unknown_provider_is_a_configuration_error():
    with override_settings(EBAN_SMS_PROVIDER="pigeon"), pytest.raises(ImproperlyConfigured):
        sms.get_provider()


def test_deploy_check_warns_when_codes_are_not_really_sent():
    with override_settings(EBAN_SMS_PROVIDER="console"):
        assert [w.id for w in check_sms_provider()] == ["notifications.W001"]
    with override_settings(EBAN_SMS_PROVIDER="http", EBAN_SMS_HTTP_URL="", EBAN_SMS_HTTP_TOKEN=""):
        assert [w.id for w in check_sms_provider()] == ["notifications.W002"]
    with override_settings(
        EBAN_SMS_PROVIDER="http", EBAN_SMS_HTTP_URL="https://sms.example.com/send", EBAN_SMS_HTTP_TOKEN="t"
    ):
        assert check_sms_provider() == []
