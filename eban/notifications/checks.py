"""A deployment check: real sign-in codes need a provider that really sends them."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured

from .sms import get_provider, sends_for_real


def check_sms_provider(app_configs=None, **kwargs):
    """`manage.py check --deploy`: warn when SMS go nowhere, fail when the provider is misconfigured."""
    name = getattr(settings, "EBAN_SMS_PROVIDER", "console")
    try:
        get_provider(name)
    except (ImproperlyConfigured, ImportError) as error:
        return [CheckWarning(f"The SMS provider cannot be built: {error}", id="notifications.W002")]
    if not sends_for_real(name):
        return [
            CheckWarning(
                f"EBAN_SMS_PROVIDER is {name!r}: sign-in codes are not sent to phones.",
                hint="Set EBAN_SMS_PROVIDER=http with EBAN_SMS_HTTP_URL and EBAN_SMS_HTTP_TOKEN (docs/sms-provider.md).",
                id="notifications.W001",
            )
        ]
    return []
