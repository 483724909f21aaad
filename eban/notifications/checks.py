"""Deployment checks: real sign-in codes and notifications need providers that really send them."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured

from .sms import get_provider, sends_for_real


def check_sms_provider(app_configs=None, **kwargs):
    """`manage.py check --deploy`: warn when SMS go nowhere, fail when the provider is misconfigured."""
    name = settings.EBAN_SMS_PROVIDER
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


def check_email_backend(app_configs=None, **kwargs):
    """`manage.py check --deploy`: warn when e-mails only go to the log."""
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend.endswith(
        (".ConsoleBackend", "console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")
    ):
        return [
            CheckWarning(
                f"EMAIL_BACKEND is {backend}: e-mail notifications are not sent.",
                hint="Set EBAN_EMAIL_BACKEND=smtp with EBAN_EMAIL_HOST and its credentials (docs/notifications.md).",
                id="notifications.W003",
            )
        ]
    return []
