"""Rate limits: how often one key (a phone, an IP address, a username) may do one thing.

Fixed windows counted in Django's cache, so every app server shares them when the cache is
Redis (`EBAN_CACHE_URL`); with the default local-memory cache each process counts alone, which
suits `make demo` and tests. Keys are hashed before they reach the cache: no phone number or
address is stored in clear.

    limit = Limit("sms-code-phone", count=5, seconds=3600)
    hit(limit, phone)        # raises RateLimited when the window is full
    limit = from_setting("identity-check", "EBAN_IDENTITY_CHECK_RATE")   # a rate such as "60/minute"

Per-process counting in production would multiply every limit by the number of processes:
production.py refuses to start without EBAN_CACHE_URL, and `eban check --deploy` reports a
process-local cache (core.E001, eban/core/checks.py).

A view or an API handler catches nothing: `RateLimited` is a DomainError (HTTP 429) and is
turned into a response with a Retry-After in one place.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .exceptions import DomainError


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            _("Too many requests. Please try again in %(seconds)d seconds.") % {"seconds": self.retry_after},
            details={"retry_after": self.retry_after},
        )


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one key, under the name `name`."""

    name: str
    count: int
    seconds: int


PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/minute" -> (60, 60): a count per second, minute, hour or day. ValueError otherwise."""
    match = _RATE_RE.match(str(rate))
    if not match:
        raise ValueError(f"a rate looks like '60/minute' (per second, minute, hour or day), not {rate!r}")
    return int(match[1]), PERIODS[match[2]]


def from_setting(name: str, setting: str) -> Limit:
    """The limit `name` at the rate the setting `setting` gives (e.g. EBAN_IDENTITY_CHECK_RATE)."""
    try:
        count, seconds = parse_rate(getattr(settings, setting))
    except ValueError as error:
        raise ValueError(f"{setting}: {error}") from None
    return Limit(name, count, seconds)


def _cache_key(limit: Limit, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{limit.name}|{key}".encode()).hexdigest()[:32]
    return f"eban:rl:{limit.name}:{window}:{digest}"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    window = int(now // limit.seconds)
    return window, int((window + 1) * limit.seconds - now) + 1


def hit(limit: Limit, key: str) -> int:
    """Count one hit for `key`; raise RateLimited if it goes over the limit. Returns hits so far."""
    window, left = _window(limit, time.time())
    cache_key = _cache_key(limit, str(key), window)
    cache.add(cache_key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=limit.seconds + 1)
        count = 1
    if count > limit.count:
        raise RateLimited(left)
    return count


def check(limit: Limit, key: str) -> None:
    """Raise RateLimited if `key` has used up `limit`, without counting a hit."""
    window, left = _window(limit, time.time())
    if (cache.get(_cache_key(limit, str(key), window)) or 0) >= limit.count:
        raise RateLimited(left)


def reset(limit: Limit, key: str) -> None:
    """Forget the hits of `key` in the current window (after a success, say)."""
    window, _left = _window(limit, time.time())
    cache.delete(_cache_key(limit, str(key), window))


def client_ip(request) -> str:
    """The client's address. Behind a proxy, set EBAN_TRUSTED_PROXY_COUNT so that the address
    the last trusted proxy saw (X-Forwarded-For) is used, never one the client can forge."""
    trusted = settings.EBAN_TRUSTED_PROXY_COUNT
    if trusted:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
