"""The signed-in citizen's own records at /api/v1/me: the profile (masked) and the proxy
authorisations given and held. Session-authenticated (the web sign-in by SMS code); 401 when
not signed in, 403 for an account that is not a citizen's (staff)."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Router, Schema
from ninja.security import django_auth

from eban.core.api_common import ApiError

from . import queries
from .grants.acting import person_of
from .models import Citizen, ProxyAuthorisation

router = Router(auth=django_auth, tags=["me"])


class DivisionOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    name: str = Field(..., description="Masked: the first character kept, e.g. `张*`.")
    id_number: str = Field(..., description="Masked: `330302********123X`.")
    phone: str = Field(..., description="Masked: `138****5678` ('' when none is recorded).")
    birth_date: datetime.date
    sex: Literal["male", "female"]
    household_division: DivisionOut | None = Field(None, description="Household registration (户籍).")
    abroad_country: str | None = Field(
        None, description="ISO 3166-1 code of the country of residence abroad."
    )
    verification_method: str | None = Field(
        None, description="How the identity was verified: `sms`, `id_card`, `face`, `ctid` or `counter`."
    )
    verified_at: datetime.datetime | None = None


class MatterRef(Schema):
    code: str
    name: str


class ProxyOut(Schema):
    id: int
    principal: str = Field(..., description="Who authorised (masked name).")
    proxy: str = Field(..., description="Who is authorised (masked name).")
    relationship: str = Field(
        ..., description="`spouse`, `parent`, `child`, `sibling`, `relative` or `helper`."
    )
    all_matters: bool
    matters: list[MatterRef] = Field(..., description="The matters covered (empty when all_matters).")
    valid_from: datetime.date
    valid_until: datetime.date
    in_force: bool = Field(..., description="Not revoked and today is within the span.")
    revoked_at: datetime.datetime | None = None
    revoked_reason: str = ""


class ProxiesOut(Schema):
    given: list[ProxyOut] = Field(..., description="Authorisations I gave, newest first.")
    held: list[ProxyOut] = Field(..., description="Authorisations I hold, newest first.")


def _me(citizen: Citizen) -> dict:
    division = citizen.household_division
    return {
        "name": citizen.masked_name,
        "id_number": citizen.masked_id_number,
        "phone": citizen.masked_phone,
        "birth_date": citizen.birth_date,
        "sex": citizen.sex,
        "household_division": {"code": division.code, "name": division.display_name} if division else None,
        "abroad_country": citizen.abroad_country or None,
        "verification_method": citizen.verification_method or None,
        "verified_at": citizen.verified_at,
    }


def _proxy(grant: ProxyAuthorisation) -> dict:
    return {
        "id": grant.pk,
        "principal": grant.principal.masked_name,
        "proxy": grant.proxy.masked_name,
        "relationship": grant.relationship,
        "all_matters": grant.all_matters,
        "matters": []
        if grant.all_matters
        else [{"code": m.code, "name": m.display_name} for m in grant.matters.all()],
        "valid_from": grant.valid_from,
        "valid_until": grant.valid_until,
        "in_force": grant.in_force(),
        "revoked_at": grant.revoked_at,
        "revoked_reason": grant.revoked_reason,
    }


@router.get(
    "",
    response={200: MeOut, 401: ApiError, 403: ApiError},
    summary="My profile",
    description="The signed-in citizen's details, personal numbers masked.",
)
def me(request):
    return _me(person_of(request.auth))


@router.get(
    "/proxies",
    response={200: ProxiesOut, 401: ApiError, 403: ApiError},
    summary="My proxy authorisations",
    description="The authorisations (代办) the signed-in citizen gave and holds, names masked.",
)
def my_proxies(request):
    person = person_of(request.auth)
    given = queries.proxies_given(person).select_related("principal")
    held = queries.proxies_held(person).select_related("proxy")
    return {"given": [_proxy(g) for g in given], "held": [_proxy(g) for g in held]}
