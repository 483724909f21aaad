"""The staff's second factor: a TOTP code (RFC 6238, any authenticator app) after the password.

An official who passed the password step but not this one is sent to the code page by
`eban.accounts.middleware.StaffSecondFactorMiddleware`. With no confirmed device yet they set one
up first: a QR code (and the secret in text) to scan, confirmed by a first code. Wrong codes are
rate-limited per account and audited; so are successes. Devices are django-otp's TOTPDevice.
"""

from __future__ import annotations

import math
import time
from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from eban.core import audit, ratelimit
from eban.core.exceptions import DomainError

# Wrong codes per account: 5 within any 15 minutes (a sliding window kept with the failures' times),
# then every attempt (even a right code) is refused until the oldest of those five is 15 minutes
# old — the Retry-After says exactly that. django-otp adds its own exponential back-off per device.
WRONG_CODES = ratelimit.Limit("staff-otp-wrong", count=5, seconds=15 * 60)
DEVICE_NAME = "authenticator"

VERIFY = "accounts.staff.otp_verify"
FAIL = "accounts.staff.otp_fail"
SETUP = "accounts.staff.otp_setup"
RESET = "accounts.staff.otp_reset"


class WrongCode(DomainError):
    code = "otp_wrong"


def enabled() -> bool:
    return bool(settings.EBAN_STAFF_2FA)


def needs_second_factor(user: Any) -> bool:
    """Whether this signed-in account must give a code to use the back office: everyone who
    may enter it (superusers and holders of Wagtail's "access admin" permission)."""
    if not enabled() or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The device being set up (not confirmed yet), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code (no image file, nothing leaves the page)."""
    return segno.make(device.config_url, error="m", micro=False).svg_inline(
        scale=4, border=2, title=_("QR code for your authenticator app")
    )


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now (for tests and the demo accounts' `eban totp-code`)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def _now() -> float:
    return time.time()


def _failures(user: Any) -> list[float]:
    """The times of the account's wrong codes within the last WRONG_CODES.seconds."""
    since = _now() - WRONG_CODES.seconds
    return [t for t in cache.get(_failures_key(user)) or [] if t > since]


def _failures_key(user: Any) -> str:
    return f"eban:otp-fail:{user.pk}"


def _ensure_not_locked(user: Any) -> None:
    failures = _failures(user)
    if len(failures) >= WRONG_CODES.count:
        oldest = failures[-WRONG_CODES.count]
        raise ratelimit.RateLimited(math.ceil(oldest + WRONG_CODES.seconds - _now()))


def _record_failure(user: Any) -> None:
    failures = [*_failures(user), _now()][-WRONG_CODES.count :]
    cache.set(_failures_key(user), failures, timeout=WRONG_CODES.seconds + 1)


def _check_code(request: Any, device: TOTPDevice, code: str) -> None:
    """Verify `code` on `device` for the signed-in user; raise WrongCode or RateLimited."""
    user = request.user
    _ensure_not_locked(user)
    code = "".join((code or "").split())
    allowed, _info = device.verify_is_allowed()
    with transaction.atomic():
        ok = allowed and code.isdigit() and len(code) == device.digits and device.verify_token(code)
    if ok:
        cache.delete(_failures_key(user))
        return
    audit.record(user, FAIL, user, data={"device": device.pk, "throttled": not allowed})
    _record_failure(user)
    if not allowed:
        raise WrongCode(_("Too many wrong codes in a row: wait a few seconds, then enter the new code."))
    raise WrongCode(_("That code is not right. Enter the 6 digits your authenticator app shows now."))


def verify(request: Any, code: str) -> TOTPDevice:
    """Second step of sign-in: check the code of the user's confirmed device, mark the session."""
    device = confirmed_device(request.user)
    if device is None:
        raise DomainError(_("Set up an authenticator app first."), code="otp_no_device")
    _check_code(request, device, code)
    django_otp.login(request, device)
    audit.record(request.user, VERIFY, request.user, data={"device": device.pk})
    return device


def confirm_setup(request: Any, code: str) -> TOTPDevice:
    """Confirm the pending device with its first code; the session counts as verified."""
    user = request.user
    if confirmed_device(user) is not None:
        raise DomainError(_("An authenticator app is already set up for this account."), code="otp_exists")
    device = pending_device(user)
    _check_code(request, device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    audit.record(user, SETUP, user, data={"device": device.pk})
    return device


def reset_devices(user: Any, *, actor: Any) -> int:
    """Forget an official's authenticator (a lost phone): they set up a new one at next sign-in."""
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor, RESET, user, data={"devices": count})
    return count
