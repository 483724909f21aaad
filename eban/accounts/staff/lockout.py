"""The page django-axes shows when a username is locked out from an address (too many wrong
passwords): bilingual, in the back office's look, naming neither the username nor the address."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.shortcuts import render

from eban.core.ratelimit import client_ip as _client_ip


def client_ip(request) -> str | None:
    """The address axes counts failures by: eban's client_ip (EBAN_TRUSTED_PROXY_COUNT), or None
    when there is no valid one (axes stores it in an address column; PostgreSQL checks it)."""
    value = _client_ip(request)
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    response = render(
        request,
        "accounts/otp/lockout.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


LOCKED_OUT = "accounts.staff.locked_out"


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Audit a lockout on the account it concerns (neither the address nor, in data, the name)."""
    from django.contrib.auth import get_user_model

    from eban.core import audit

    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        audit.record(
            None, LOCKED_OUT, user, data={"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
        )


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(record_lockout, dispatch_uid="eban.accounts.staff.lockout")
