"""Text messages (SMS) through one provider interface.

    send_sms("13812345678", text, reference="login-code-42")  # -> SendResult

`EBAN_SMS_PROVIDER` picks the provider:

- `console` (the default, for `make demo`): the message is written to the log with the phone
  masked, so a developer sees the code; nothing is sent.
- `file`: one JSON line per message appended to `EBAN_SMS_FILE_PATH` (under DATA_DIR), the
  phone masked; for demos and manual tests.
- `locmem` (the test settings): messages are kept in `outbox`, like `django.core.mail.outbox`.
- `http`: a gateway that speaks the contract in docs/sms-provider.md.
- a dotted path to an `SmsProvider` subclass, for a deployment's own adapter.

No provider logs a phone number in clear, and only the console provider logs the text.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError
from eban.core.masking import mask_phone

logger = logging.getLogger("eban.sms")

MAX_RESPONSE_BYTES = 64 * 1024


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str
    accepted: bool


@dataclass(frozen=True)
class SmsMessage:
    """A message kept by the in-memory provider (tests read `outbox`)."""

    to: str
    text: str
    reference: str
    provider_message_id: str
    sent_at: datetime.datetime


class SmsNotSent(DomainError):
    """The provider could not take the message (down, refused, misconfigured)."""

    status_code = 503
    code = "sms_not_sent"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or _("The text message could not be sent. Please try again in a few minutes.")
        )


class SmsProvider:
    """Sends one text message. `reference` is ours (unique per message, safe to log); the
    result carries the provider's id for the message and whether it accepted it."""

    name = ""

    def send(self, phone: str, text: str, *, reference: str) -> SendResult:
        raise NotImplementedError


# --- development and test providers ------------------------------------------------------------

outbox: list[SmsMessage] = []


class LocmemProvider(SmsProvider):
    """Keeps messages in `outbox` (clear it between tests)."""

    name = "locmem"

    def send(self, phone: str, text: str, *, reference: str) -> SendResult:
        message_id = uuid.uuid4().hex
        outbox.append(SmsMessage(phone, text, reference, message_id, timezone.now()))
        return SendResult(message_id, True)


class ConsoleProvider(SmsProvider):
    """Writes the message to the log (phone masked) instead of sending it: for development and
    the demo, where the developer reads the code off the console."""

    name = "console"

    def send(self, phone: str, text: str, *, reference: str) -> SendResult:
        message_id = uuid.uuid4().hex
        logger.info("SMS (not sent, console provider) to %s [%s]: %s", mask_phone(phone), reference, text)
        return SendResult(message_id, True)


class FileProvider(SmsProvider):
    """Appends each message as a JSON line to a file (phone masked): for demos and manual tests."""

    name = "file"
    _lock = threading.Lock()

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, phone: str, text: str, *, reference: str) -> SendResult:
        message_id = uuid.uuid4().hex
        line = json.dumps(
            {
                "id": message_id,
                "sent_at": timezone.now().isoformat(),
                "to": mask_phone(phone),
                "reference": reference,
                "text": text,
            },
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")
        logger.info("SMS [%s] written to the file outbox", reference)
        return SendResult(message_id, True)


# --- the HTTP gateway adapter ------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: the body and the token must go to the configured URL only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def signature(token: str, timestamp: str, body: bytes) -> str:
    """The X-Eban-Signature header: HMAC-SHA256 of "<timestamp>.<body>" keyed by the token."""
    digest = hmac.new(token.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class HttpProvider(SmsProvider):
    """POSTs `{"to", "text", "reference"}` as JSON to a gateway and expects `{"id"}` back
    (docs/sms-provider.md). Retries on 5xx and on network errors, never on 4xx; an
    Idempotency-Key (the reference) lets the gateway drop a repeated request."""

    name = "http"

    def __init__(
        self, url: str, token: str, *, timeout: float = 5.0, retries: int = 2, backoff: float = 0.5
    ) -> None:
        parts = urllib.parse.urlsplit(url or "")
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname))
        ):
            raise ImproperlyConfigured(
                "EBAN_SMS_HTTP_URL must be an https:// URL (http:// only for localhost)"
            )
        if not token:
            raise ImproperlyConfigured("EBAN_SMS_HTTP_TOKEN must be set for the http SMS provider")
        self.url, self.token, self.host = url, token, parts.hostname
        self.timeout, self.retries, self.backoff = timeout, max(0, retries), backoff
        self._opener = urllib.request.build_opener(_NoRedirects)

    def _post(self, body: bytes, reference: str) -> tuple[int | None, bytes]:
        """One attempt: (HTTP status, body), or (None, b"") when no answer came."""
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                "X-Eban-Signature": signature(self.token, timestamp, body),
                "Idempotency-Key": reference,
                "User-Agent": "eban-sms/1",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read(MAX_RESPONSE_BYTES)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            logger.warning(
                "SMS [%s] to gateway %s: no answer (%s)", reference, self.host, type(reason).__name__
            )
            return None, b""

    def send(self, phone: str, text: str, *, reference: str) -> SendResult:
        body = json.dumps({"to": phone, "text": text, "reference": reference}, ensure_ascii=False).encode()
        for attempt in range(1, self.retries + 2):
            started = time.monotonic()
            status, raw = self._post(body, reference)
            elapsed = (time.monotonic() - started) * 1000
            logger.info(
                "SMS [%s] to gateway %s: attempt %d, status %s, %.0f ms",
                reference,
                self.host,
                attempt,
                status,
                elapsed,
            )
            if status is not None and 200 <= status < 300:
                return self._result(raw, reference)
            if status is not None and status < 500:
                raise SmsNotSent()
            if attempt <= self.retries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise SmsNotSent()

    def _result(self, raw: bytes, reference: str) -> SendResult:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        message_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(message_id, str | int) or isinstance(message_id, bool) or not str(message_id):
            logger.error("SMS [%s]: the gateway answered 2xx without an id", reference)
            raise SmsNotSent()
        accepted = data.get("accepted", True) is not False
        if not accepted:
            logger.warning("SMS [%s]: the gateway did not accept the message", reference)
        return SendResult(str(message_id), accepted)


# --- choosing the provider ---------------------------------------------------------------------

BUILT_IN = ("console", "file", "locmem", "http")


def get_provider(name: str | None = None) -> SmsProvider:
    """The provider named by EBAN_SMS_PROVIDER (or `name`)."""
    name = name or settings.EBAN_SMS_PROVIDER
    if name == "console":
        return ConsoleProvider()
    if name == "file":
        return FileProvider(settings.EBAN_SMS_FILE_PATH)
    if name == "locmem":
        return LocmemProvider()
    if name == "http":
        return HttpProvider(
            settings.EBAN_SMS_HTTP_URL,
            settings.EBAN_SMS_HTTP_TOKEN,
            timeout=settings.EBAN_SMS_HTTP_TIMEOUT,
            retries=settings.EBAN_SMS_HTTP_RETRIES,
        )
    if "." in name:
        provider_class = import_string(name)
        if not (isinstance(provider_class, type) and issubclass(provider_class, SmsProvider)):
            raise ImproperlyConfigured(f"{name} is not an SmsProvider subclass")
        return provider_class()
    raise ImproperlyConfigured(
        f"EBAN_SMS_PROVIDER must be one of {', '.join(BUILT_IN)} or a dotted path, not {name!r}"
    )


def sends_for_real(name: str | None = None) -> bool:
    """Whether messages leave the machine (False for the console, file and in-memory providers)."""
    name = name or settings.EBAN_SMS_PROVIDER
    return name not in ("console", "file", "locmem")


def send_sms(phone: str, text: str, *, reference: str) -> SendResult:
    """Send one text message through the configured provider."""
    return get_provider().send(phone, text, reference=reference)
