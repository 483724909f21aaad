"""Reads: what the public may learn about a certificate number, and the rate limit on asking.

The public sees the type, the number, the holder's name masked (张*), the issuer, the dates and
the status — never the ID number or the printed data. A number that does not exist (or is still
being issued) is "unknown": the answer is the same whatever the reason, so it hints at nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from eban.core import ratelimit
from eban.core.masking import mask_name

from .enums import CertificateStatus, PublicStatus
from .models import Certificate
from .numbering import looks_like_number, normalize


def verify_limit() -> ratelimit.Limit:
    """Per client address: EBAN_CERTIFICATE_VERIFY_RATE, e.g. "30/minute" (page and API together)."""
    return ratelimit.from_setting("certificate-verify", "EBAN_CERTIFICATE_VERIFY_RATE")


def count_lookup(request) -> None:
    """Count one look-up for the request's address; raises RateLimited (429) past the limit."""
    ratelimit.hit(verify_limit(), ratelimit.client_ip(request))


@dataclass(frozen=True)
class PublicCertificate:
    number: str
    status: PublicStatus
    type_code: str
    type_name: str
    type_name_en: str
    holder: str  # masked
    issuer: str
    issuer_en: str
    issued_at: datetime.datetime | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    revoked_at: datetime.datetime | None
    revoked_reason: str
    is_sample: bool
    sha256: str  # of the signed PDF issued: a downloaded copy can be compared

    @property
    def known(self) -> bool:
        return self.status != PublicStatus.UNKNOWN


def unknown(number: str) -> PublicCertificate:
    return PublicCertificate(
        number=number,
        status=PublicStatus.UNKNOWN,
        type_code="",
        type_name="",
        type_name_en="",
        holder="",
        issuer="",
        issuer_en="",
        issued_at=None,
        valid_from=None,
        valid_until=None,
        revoked_at=None,
        revoked_reason="",
        is_sample=False,
        sha256="",
    )


def find_issued(number: str) -> Certificate | None:
    """The issued (valid or revoked) certificate of `number`, or None."""
    number = normalize(number)
    if not looks_like_number(number):
        return None
    return (
        Certificate.objects.select_related("type", "issuer")
        .filter(number=number, status__in=[CertificateStatus.VALID, CertificateStatus.REVOKED])
        .first()
    )


def public_certificate(number: str, *, on: datetime.date | None = None) -> PublicCertificate:
    """What the verification page shows for `number` on the day `on` (today)."""
    certificate = find_issued(number)
    if certificate is None:
        return unknown(normalize(number)[:40])
    revoked = certificate.status == CertificateStatus.REVOKED
    return PublicCertificate(
        number=certificate.number,
        status=certificate.public_status(on or timezone.localdate()),
        type_code=certificate.type.code,
        type_name=certificate.type.name,
        type_name_en=certificate.type.name_en,
        holder=mask_name(certificate.holder_name),
        issuer=certificate.issuer.name,
        issuer_en=certificate.issuer.name_en,
        issued_at=certificate.issued_at,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        revoked_at=certificate.revoked_at if revoked else None,
        revoked_reason=certificate.revoked_reason if revoked else "",
        is_sample=certificate.type.is_sample or certificate.issuer.is_sample,
        sha256=certificate.sha256,
    )
