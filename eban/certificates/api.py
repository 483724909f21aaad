"""The certificates API at /api/v1/certificates: the public verification of a number.

`GET /api/v1/certificates/{number}` answers what the page `/verify/<number>` shows: the type,
the number, the holder's name masked, the issuer, the dates and the status. An unknown number
answers 404. Rate-limited per client address with the page (`EBAN_CERTIFICATE_VERIFY_RATE`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from eban.core.api_common import ApiError
from eban.core.exceptions import NotFound

from . import queries
from .enums import PublicStatus

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    number: str = Field(..., description="The certificate number, e.g. `LNYD-20250612-000001-K7QX`.")
    status: PublicStatus = Field(
        ..., description="`valid`, `revoked`, `expired` or `not_yet_valid` (today, in China Standard Time)."
    )
    type_code: str = Field(..., description="The certificate type, e.g. `senior_card`.")
    type_name: str = Field(..., description="The type's name in Chinese, e.g. 老年人优待证.")
    type_name_en: str = Field(..., description="The type's English name ('' when none).")
    holder: str = Field(..., description="The holder's name, masked: the first character, then stars (张*).")
    issuer: str = Field(..., description="The issuing department's name in Chinese.")
    issuer_en: str = Field(..., description="The issuing department's English name ('' when none).")
    issued_at: datetime = Field(..., description="When the certificate was issued.")
    valid_from: date
    valid_until: date | None = Field(..., description="The last day of validity; null: no expiry.")
    revoked_at: datetime | None = Field(..., description="When it was revoked (null unless revoked).")
    revoked_reason: str = Field(..., description="Why it was revoked ('' unless revoked).")
    is_sample: bool = Field(..., description="True for sample (demonstration) certificates.")
    sha256: str = Field(..., description="The SHA-256 of the signed PDF issued: compare a copy you hold.")


@router.get(
    "/{number}",
    response={200: CertificateOut, 404: ApiError, 422: ApiError, 429: ApiError},
    summary="Verify a certificate number",
)
def verify_certificate(request, number: str):
    """The public facts of the certificate `number` (404 when no certificate has that number)."""
    queries.count_lookup(request)
    info = queries.public_certificate(number)
    if not info.known:
        raise NotFound(_("No certificate has this number."), code="unknown_certificate")
    return info
