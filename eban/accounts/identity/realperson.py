"""An external real-person verification service (the national CTID / 网证 kind).

Such a service answers one question: is the live person in this image the holder of this name
and ID number, by the state's own photo? eban talks to it through `RealPersonVerifier`; a
deployment names its adapter in `EBAN_REAL_PERSON_VERIFIER` (a dotted path to a class taking no
arguments). With none configured, `verifier()` returns `NotConfigured`, which says so — never
a "yes". The contract an adapter must keep is in docs/identity.md ("Real-person verification").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError


@dataclass(frozen=True)
class RealPersonResult:
    verified: bool
    reference: str = ""  # the service's transaction id, kept with the sign-in record
    reason: str = ""  # why not, in plain words


class RealPersonVerifier(Protocol):
    def verify(self, *, name: str, id_number: str, live_image: bytes) -> RealPersonResult:
        """Compare the live image with the state's record for this name and number. Must not
        keep the image; must answer within 10 s or raise `ServiceUnavailable`."""


class ServiceUnavailable(DomainError):
    status_code = 503
    code = "verifier_unavailable"


class NotConfigured:
    def verify(self, *, name: str, id_number: str, live_image: bytes) -> RealPersonResult:
        raise ServiceUnavailable(_("No real-person verification service is configured."))


def verifier() -> RealPersonVerifier:
    path = settings.EBAN_REAL_PERSON_VERIFIER
    return import_string(path)() if path else NotConfigured()


def is_configured() -> bool:
    return bool(settings.EBAN_REAL_PERSON_VERIFIER)
