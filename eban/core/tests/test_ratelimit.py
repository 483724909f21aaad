"""Rate limits: one parser of "60/minute" for every limit, shared counting across processes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from eban.core import ratelimit
from eban.core.checks import check_rates, check_shared_cache

from .conftest import INDEX_KEY_1, KEY_A
from .test_crypto import _import_production_settings


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("60/minute", (60, 60)), (" 5 / second ", (5, 1)), ("20/hour", (20, 3600)), ("1/day", (1, 86400))],
)
def test_a_rate_is_a_count_per_period(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["60", "60/week", "-1/minute", "sixty/minute", "", None])
def test_a_malformed_rate_is_refused(rate):
    with pytest.raises(ValueError):
        ratelimit.parse_rate(rate)


def test_a_limit_from_a_setting_names_the_setting_when_malformed(settings):
    settings.EBAN_IDENTITY_CHECK_RATE = "60 per minute"
    with pytest.raises(ValueError, match="EBAN_IDENTITY_CHECK_RATE"):
        ratelimit.from_setting("identity-check", "EBAN_IDENTITY_CHECK_RATE")
    settings.EBAN_IDENTITY_CHECK_RATE = "7/hour"
    assert ratelimit.from_setting("identity-check", "EBAN_IDENTITY_CHECK_RATE") == ratelimit.Limit(
        "identity-check", 7, 3600
    )


def test_the_three_limits_read_their_settings_through_the_one_parser(settings):
    from eban.accounts.api import check_limit
    from eban.certificates.queries import verify_limit
    from eban.kiosks.finder.api import nearest_limit

    settings.EBAN_IDENTITY_CHECK_RATE = "3/second"
    settings.EBAN_CERTIFICATE_VERIFY_RATE = "4/hour"
    settings.EBAN_KIOSK_NEAREST_RATE = "5/day"
    assert (check_limit().count, check_limit().seconds) == (3, 1)
    assert (verify_limit().count, verify_limit().seconds) == (4, 3600)
    assert (nearest_limit().count, nearest_limit().seconds) == (5, 86400)


def test_the_system_check_reports_a_malformed_rate(settings):
    settings.EBAN_KIOSK_NEAREST_RATE = "lots"
    errors = check_rates()
    assert [e.id for e in errors] == ["core.E002"], [e.msg for e in errors]
    assert "EBAN_KIOSK_NEAREST_RATE" in errors[0].msg


def test_the_deploy_check_refuses_a_process_local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in check_shared_cache()] == ["core.E001"]
    with pytest.raises(SystemCheckError, match="EBAN_CACHE_URL"):
        call_command("check", deploy=True, tags=["caches"])


def test_the_deploy_check_accepts_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert check_shared_cache() == []


def test_production_refuses_to_start_without_a_shared_cache():
    result = _import_production_settings(
        EBAN_SECRET_KEY="x" * 50, EBAN_ENCRYPTION_KEYS=KEY_A, EBAN_BLIND_INDEX_KEY=INDEX_KEY_1
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "EBAN_CACHE_URL" in result.stderr
