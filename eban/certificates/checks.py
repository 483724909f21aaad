"""System checks: the CJK font is installed and EBAN_SIGNING_KEYS makes sense."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured

from .fonts import FontMissing, cjk_fonts
from .signing import parse_signing_keys


def check_font(app_configs=None, **kwargs):
    try:
        cjk_fonts()
    except FontMissing as error:
        return [CheckWarning(str(error), id="certificates.W001")]
    return []


def check_signing_keys(app_configs=None, **kwargs):
    try:
        specs = parse_signing_keys(settings.EBAN_SIGNING_KEYS)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="certificates.E001")]
    problems = []
    for code, spec in specs.items():
        if spec.kind == "pkcs12" and not Path(spec.path).is_file():
            problems.append(
                Error(
                    f"EBAN_SIGNING_KEYS: the PKCS#12 file of {code} does not exist: {spec.path}",
                    id="certificates.E002",
                )
            )
    for path in settings.EBAN_SIGNATURE_TRUST_ROOTS or []:
        if not Path(path).is_file():
            problems.append(
                Error(
                    f"EBAN_SIGNATURE_TRUST_ROOTS names a file that does not exist: {path}",
                    id="certificates.E003",
                )
            )
    return problems


def check_demo_keys_in_production(app_configs=None, **kwargs):
    if settings.EBAN_DEMO_SIGNING_KEYS:
        return [
            CheckWarning(
                "EBAN_DEMO_SIGNING_KEYS is on: departments without a configured key sign with demo keys "
                "that nobody trusts.",
                hint="Configure every issuing department in EBAN_SIGNING_KEYS and unset EBAN_DEMO_SIGNING_KEYS.",
                id="certificates.W002",
            )
        ]
    return []
