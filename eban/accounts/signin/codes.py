"""One-time sign-in codes sent by SMS.

    request_code("13812345678", ip="203.0.113.9")   # sends a 6-digit code
    verify_code("13812345678", "123456")              # True, or a DomainError in plain words

A code is 6 random digits (`secrets`), stored only as an HMAC-SHA256 keyed from SECRET_KEY
and salted with the row's id and the phone's blind index; it is valid 5 minutes, allows 5
wrong entries, and a new code for a phone ends the older one. Sending is rate-limited per
phone and per IP address (settings `EBAN_LOGIN_CODE_*`, eban/settings/base.py). Neither the
code nor the phone is ever logged; the database holds the phone's blind index only.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import re
import secrets
import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eban.core import ratelimit
from eban.core.exceptions import DomainError
from eban.notifications.sms import SmsNotSent, send_sms

from ..actions import clean_phone
from ..models import LoginCode, phone_index

logger = logging.getLogger("eban.accounts.signin.codes")

CODE_DIGITS = 6
_HASH_SALT = "eban.accounts.signin.codes.login-code"
_CODE_RE = re.compile(rf"^\d{{{CODE_DIGITS}}}$")


def ttl_seconds() -> int:
    return settings.EBAN_LOGIN_CODE_TTL


def max_attempts() -> int:
    return settings.EBAN_LOGIN_CODE_ATTEMPTS


def resend_interval() -> int:
    """Seconds before the same phone may get another code (the countdown on the page)."""
    return settings.EBAN_LOGIN_CODE_INTERVAL


def limits() -> tuple[ratelimit.Limit, ratelimit.Limit, ratelimit.Limit]:
    """Per IP address per hour, per phone per interval, per phone per hour."""
    return (
        ratelimit.Limit("login-code-ip", settings.EBAN_LOGIN_CODES_PER_IP_HOUR, 3600),
        ratelimit.Limit("login-code-phone-interval", 1, resend_interval()),
        ratelimit.Limit("login-code-phone-hour", settings.EBAN_LOGIN_CODES_PER_PHONE_HOUR, 3600),
    )


def code_hash(code_id: int, index: str, code: str) -> str:
    """HMAC-SHA256 of the code under a key derived from SECRET_KEY, salted with the row's id and
    the phone's blind index (the same code for two rows hashes differently)."""
    return salted_hmac(_HASH_SALT, f"{code_id}|{index}|{code}", algorithm="sha256").hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def message_text(code: str) -> str:
    minutes = max(1, ttl_seconds() // 60)
    return _(
        "[eban] Your sign-in code is %(code)s. It is valid for %(minutes)d minutes. "
        "Do not tell it to anyone, including staff."
    ) % {"code": code, "minutes": minutes}


def request_code(phone: str, *, ip: str, now: datetime.datetime | None = None) -> None:
    """Send a new sign-in code to `phone` (older codes for it stop working).

    Raises DomainError for a malformed number, RateLimited (429) when the phone or the address
    asked too often, SmsNotSent (503) when the provider did not take the message."""
    phone = clean_phone(phone)
    index = phone_index(phone)
    ip_limit, interval_limit, hour_limit = limits()
    ratelimit.hit(ip_limit, ip or "unknown")
    ratelimit.hit(interval_limit, index)
    ratelimit.hit(hour_limit, index)
    now = now or timezone.now()
    purge_codes(now=now)
    code = new_code()
    with transaction.atomic():
        LoginCode.objects.filter(phone_index=index).delete()  # one live code per phone
        login_code = LoginCode.objects.create(
            phone_index=index, code_hash="", expires_at=now + datetime.timedelta(seconds=ttl_seconds())
        )
        login_code.code_hash = code_hash(login_code.pk, index, code)
        login_code.save(update_fields=["code_hash"])
    reference = f"login-code-{login_code.pk}"
    try:
        result = send_sms(phone, message_text(code), reference=reference)
    except SmsNotSent:
        LoginCode.objects.filter(pk=login_code.pk).delete()
        raise
    if not result.accepted:
        LoginCode.objects.filter(pk=login_code.pk).delete()
        raise SmsNotSent(
            _(
                "The text message could not be delivered to this number. Check the number, or ask at a service window."
            )
        )
    logger.info("Sign-in code %s sent (provider id %s)", reference, result.provider_message_id)


def _normalize(code: str) -> str:
    """Full-width digits and spaces, as phones and input methods type them, become plain digits."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", code or ""))


def verify_code(phone: str, code: str, *, now: datetime.datetime | None = None) -> bool:
    """True when `code` is the live code of `phone` (it is then used up); otherwise a
    DomainError that says why: wrong (with the attempts left), expired, too many attempts,
    or no code requested."""
    phone = clean_phone(phone)
    code = _normalize(code)
    if not _CODE_RE.match(code):
        raise DomainError(_("Enter the 6-digit code from the text message."), code="code_format")
    index = phone_index(phone)
    now = now or timezone.now()
    allowed = max_attempts()
    left = 0
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update()
            .filter(phone_index=index, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if login_code is None:
            outcome = "missing"
        elif login_code.expires_at <= now:
            outcome = "expired"
        elif login_code.attempts >= allowed:
            outcome = "exhausted"
        else:
            login_code.attempts += 1
            if hmac.compare_digest(code_hash(login_code.pk, index, code), login_code.code_hash):
                login_code.used_at = now
                outcome = "ok"
            else:
                left = allowed - login_code.attempts
                outcome = "wrong" if left else "exhausted"
            login_code.save(update_fields=["attempts", "used_at"])
    if outcome == "ok":
        return True
    if outcome == "missing":
        raise DomainError(
            _("There is no code waiting for this number. Ask for a new code."), code="code_missing"
        )
    if outcome == "expired":
        raise DomainError(_("This code has expired. Ask for a new code."), code="code_expired")
    if outcome == "exhausted":
        raise DomainError(
            _("The code was entered wrongly too many times. Ask for a new code."), code="code_exhausted"
        )
    raise DomainError(
        ngettext(
            "The code is not right. You can try %(left)d more time.",
            "The code is not right. You can try %(left)d more times.",
            left,
        )
        % {"left": left},
        code="code_wrong",
        details={"attempts_left": left},
    )


def purge_codes(*, now: datetime.datetime | None = None) -> int:
    """Delete the codes that can no longer be used (expired or used). Called on every request
    for a code; cheap (indexed on expiry). Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _rows = LoginCode.objects.filter(Q(expires_at__lte=now) | Q(used_at__isnull=False)).delete()
    return deleted
