"""The identity API at /api/v1/identity: instant feedback on an ID number or a credit code.

`POST /api/v1/identity/check` with `{"id_number": "..."}` or `{"credit_code": "..."}` answers
whether the number is well formed and, if not, which part is wrong (`idnumbers.py`,
`creditcodes.py`). Nothing is stored and nothing is logged: the number is neither written to a
log nor echoed back. Rate-limited per client address (`EBAN_IDENTITY_CHECK_RATE`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from eban.core import ratelimit
from eban.core.api_common import ApiError
from eban.core.exceptions import DomainError

from .identity.creditcodes import check_credit_code
from .identity.idnumbers import check_id_number

router = Router(tags=["identity"])

# Far longer than any number, short enough that nobody posts a book.
MAX_INPUT = 64


def check_limit() -> ratelimit.Limit:
    """The limit from EBAN_IDENTITY_CHECK_RATE, e.g. "60/minute" (also second, hour, day)."""
    return ratelimit.from_setting("identity-check", "EBAN_IDENTITY_CHECK_RATE")


class IdentityCheckIn(Schema):
    id_number: str | None = Field(
        None,
        max_length=MAX_INPUT,
        description="A resident ID number (18 characters), e.g. `11010519491231002X`.",
    )
    credit_code: str | None = Field(
        None,
        max_length=MAX_INPUT,
        description="A unified social credit code (18 characters), e.g. `91350100M000100Y43`.",
    )


class IdentityCheckOut(Schema):
    valid: bool = Field(..., description="True when the number is well formed (not that it exists).")
    code: str = Field(
        ...,
        description="Why, for machines: `ok`, `empty`, `length`, `characters`, `region`, `birth_date`, "
        "`future_birth_date`, `checksum`; for credit codes also `authority`, `entity_type`, "
        "`organisation_code`.",
    )
    reason: str = Field(..., description="Which part is wrong, in plain words and the request's language.")
    birth_date: date | None = Field(None, description="For a valid ID number: the birth date.")
    sex: Literal["male", "female"] | None = Field(None, description="For a valid ID number.")
    region_code: str | None = Field(
        None, description="For a credit code: the region code (GB/T 2260) of the registration office."
    )


@router.post(
    "/check",
    response={200: IdentityCheckOut, 400: ApiError, 422: ApiError, 429: ApiError},
    exclude_none=True,
    summary="Check an ID number or a credit code",
    description=(
        'Send `{"id_number": "..."}` or `{"credit_code": "..."}`, exactly one. The answer says '
        "whether the number is well formed and, if not, which part is wrong. Spaces, a lower-case "
        "x and full-width digits are accepted. A well-formed number may still belong to nobody: "
        "this check looks at the number only. Limited per client address; over the limit the "
        "answer is 429 with `Retry-After`."
    ),
)
def check(request, payload: IdentityCheckIn):
    ratelimit.hit(check_limit(), ratelimit.client_ip(request))
    if (payload.id_number is None) == (payload.credit_code is None):
        raise DomainError(_('Send exactly one of "id_number" and "credit_code".'), code="exactly_one_number")
    if payload.id_number is not None:
        result = check_id_number(payload.id_number)
        return {
            "valid": result.valid,
            "code": result.code,
            "reason": result.reason,
            "birth_date": result.birth_date,
            "sex": result.sex,
        }
    result = check_credit_code(payload.credit_code)
    return {
        "valid": result.valid,
        "code": result.code,
        "reason": result.reason,
        "region_code": result.region_code if result.valid else None,
    }
