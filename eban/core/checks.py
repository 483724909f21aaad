"""System checks of the platform's settings (`eban check`, `eban check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from . import ratelimit

# Caches that each process keeps for itself: a rate limit counted there is multiplied by the
# number of processes (two gunicorn workers, two sign-in attempts for every one allowed).
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def check_shared_cache(app_configs=None, **kwargs):
    """Deploy: the rate limits' cache (the default cache) is shared by every process."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            Error(
                f"The default cache ({backend.rsplit('.', 1)[-1]}) is kept by each process apart: rate "
                "limits (sign-in codes, look-ups) are counted per process, so every worker adds a "
                "full allowance.",
                hint="Set EBAN_CACHE_URL to a Redis server that every process shares "
                "(e.g. redis://127.0.0.1:6379/1).",
                id="core.E001",
            )
        ]
    return []


def check_rates(app_configs=None, **kwargs):
    """Every EBAN_…_RATE setting reads like "60/minute"."""
    problems = []
    for name in sorted({n for n in dir(settings) if n.startswith("EBAN_") and n.endswith("_RATE")}):
        try:
            ratelimit.parse_rate(getattr(settings, name))
        except ValueError as error:
            problems.append(Error(f"{name}: {error}", id="core.E002"))
    return problems
