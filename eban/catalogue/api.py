"""The matters API: search and browse the catalogue, read a whole guide.

`GET /api/v1/matters` lists live matters (filters, paginated);
`GET /api/v1/matters/{code}` returns one guide in the interchange format (`guide.matter_to_dict`).
Handlers are thin: the search is `queries.find_matters`, the guide is `guide.matter_to_dict`.
"""

from __future__ import annotations

import json
import re
from typing import Literal
from urllib.parse import quote

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from eban.core.api_common import ApiError, InvalidInput, PageInfo, PageParams, paginate
from eban.core.exceptions import NotFound
from eban.government.models import Department, Division

from .guide import matter_to_dict
from .models import LifeEvent, Matter, Theme
from .queries import find_matters

router = Router(tags=["catalogue"])

GUIDE_CACHE_SECONDS = 24 * 3600
MATTER_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
CONTROL_CHARS_RE = re.compile(r"[\x00-\x1f\x7f]")

CategoryCode = Literal["approval", "certificate", "self_payment", "public_payment"]
AudienceCode = Literal["person", "enterprise", "both"]
ChannelCode = Literal["kiosk", "online", "window", "overseas"]

# The literals above are what the OpenAPI shows; a test keeps them equal to the enums' values.

SLUG = r"^[a-z0-9_-]{1,40}$"


# Filters default to None without `| None`: a query string cannot carry null, and the OpenAPI says so.
class MatterFilters(PageParams):
    q: str = Field(
        "", max_length=200, description="Words as people ask them: `社保卡丢了`, `gongjijin`, `yjz`."
    )
    category: CategoryCode = Field(None, description="Only matters of this category.")
    theme: str = Field(None, pattern=SLUG, description="A theme code, e.g. `social_security`.")
    audience: AudienceCode = Field(None, description="Only matters for this audience.")
    life_event: str = Field(None, pattern=SLUG, description="A life event code, e.g. `retirement`.")
    department: str = Field(
        None, pattern=r"^[A-Za-z0-9_.-]{1,40}$", description="A department code, e.g. `330300-GA`."
    )
    division: str = Field(
        None, pattern=r"^[0-9]{2,12}$", description="A division code (GB/T 2260), e.g. `330302`."
    )
    channel: ChannelCode = Field(None, description="Only matters offered through this channel.")


class MatterSummary(Schema):
    code: str
    name: str
    name_en: str
    short_name: str
    category: CategoryCode
    audience: AudienceCode
    department: str = Field(..., description="The department's code.")
    department_name: str
    channels: list[ChannelCode]
    trips: int
    on_the_spot: bool
    promised_days: int | None
    is_sample: bool = Field(..., description="True for sample data (for demonstration only).")
    url: str = Field(..., description="The guide page for people.")
    api_url: str = Field(..., description="The whole guide in this API.")


class MatterPage(PageInfo):
    items: list[MatterSummary]
    suggestions: list[str] = Field(
        default_factory=list, description="Other queries to try when nothing matched."
    )


class Fee(Schema):
    free: bool
    amount: str | None = Field(None, description="Yuan with two decimals, e.g. `20.00`; null when free.")
    basis: str = ""


class LegalBasis(Schema):
    title: str
    article: str = ""


class Material(Schema):
    name: str
    form: Literal["original", "copy", "electronic"] = "original"
    copies: int = 1
    required: bool = True
    source: Literal["applicant", "shared"] = "applicant"
    note: str = ""


class Step(Schema):
    title: str
    description: str = ""


class Faq(Schema):
    question: str
    answer: str


class Guide(Schema):
    """A matter's whole guide, in the interchange format `eban.matters/1` (docs/matter-format.md)."""

    code: str
    name: str
    name_en: str
    short_name: str
    aliases: list[str]
    keywords: list[str]
    summary: str
    category: CategoryCode
    themes: list[str]
    audience: AudienceCode
    life_events: list[str]
    department: str
    divisions: list[str] = Field(..., description="Where it is offered; empty means everywhere.")
    channels: list[ChannelCode]
    trips: int
    on_the_spot: bool
    statutory_days: int | None
    promised_days: int | None
    fee: Fee
    legal_basis: list[LegalBasis]
    conditions: list[str]
    materials: list[Material]
    process: list[Step]
    place: str
    hours: str
    consult_phone: str
    complaint_phone: str
    faq: list[Faq]
    is_sample: bool


def guide_path(code: str) -> str:
    """The guide page for people (`/matters/<code>/`)."""
    return f"/matters/{quote(code)}/"


def _unknown(field: str, value: str, what: str) -> InvalidInput:
    message = _("“%(value)s” is not a known %(what)s.") % {"value": value, "what": what}
    return InvalidInput(
        _("The request is not valid: %(problems)s") % {"problems": message},
        details=[{"field": field, "message": message, "type": "unknown_code"}],
    )


def _check_codes(filters: MatterFilters) -> None:
    """Reference codes are data (editable in the back office), so they are checked here."""
    checks = [
        ("theme", Theme, _("theme")),
        ("life_event", LifeEvent, _("life event")),
        ("department", Department, _("department")),
        ("division", Division, _("division")),
    ]
    for field, model, what in checks:
        value = getattr(filters, field)
        if value and not model.objects.filter(code=value).exists():
            raise _unknown(field, value, what)


def _summary(request: HttpRequest, matter: Matter) -> dict:
    return {
        "code": matter.code,
        "name": matter.name,
        "name_en": matter.name_en,
        "short_name": matter.short_name,
        "category": matter.category,
        "audience": matter.audience,
        "department": matter.department.code,
        "department_name": matter.department.name,
        "channels": matter.channels,
        "trips": matter.trips,
        "on_the_spot": matter.on_the_spot,
        "promised_days": matter.promised_days,
        "is_sample": matter.is_sample,
        "url": request.build_absolute_uri(guide_path(matter.code)),
        "api_url": request.build_absolute_uri(f"{request.path.rstrip('/')}/{quote(matter.code)}"),
    }


@router.get(
    "",
    response={200: MatterPage, 422: ApiError},
    summary="Search and browse the matters",
    operation_id="list_matters",
)
def list_matters(request: HttpRequest, filters: Query[MatterFilters]):
    """Live matters, best match first when `q` is given; every filter narrows the list."""
    _check_codes(filters)
    q = CONTROL_CHARS_RE.sub(" ", filters.q).strip()
    result = find_matters(
        q,
        category=filters.category,
        theme=filters.theme,
        audience=filters.audience,
        department=filters.department,
        division=filters.division,
        channel=filters.channel,
        life_event=filters.life_event,
    )
    matters = result.matters
    if hasattr(matters, "select_related"):
        matters = matters.select_related("department")
    page = paginate(request, matters, result.total, filters)
    page["items"] = [_summary(request, m) for m in page["items"]]
    page["suggestions"] = list(result.suggestions or [])
    return page


def _live_version(code: str) -> tuple[int, str] | None:
    """(pk, updated_at) of the live matter with this code: one indexed lookup, no ORM compiling.

    The guide API's hot path; measured by `make bench` (bench/api_load.py).
    """
    table = connection.ops.quote_name(Matter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, updated_at FROM {table} WHERE code = %s AND live = %s", [code, True])
        row = cursor.fetchone()
    return None if row is None else (row[0], str(row[1]))


def guide_json(code: str) -> bytes | None:
    """The whole guide of a live matter as JSON bytes, cached until the matter changes.

    Every save of a matter (publishing included) moves `updated_at`, hence the cache key.
    """
    version = _live_version(code)
    if version is None:
        return None
    pk, updated_at = version
    key = f"eban:guide:1:{pk}:{re.sub(r'[^0-9]', '', updated_at)}"  # digits only: safe for any cache
    data = cache.get(key)
    if data is None:
        matter = (
            Matter.objects.select_related("department")
            .prefetch_related("themes", "life_events", "divisions")
            .get(pk=pk)
        )
        data = json.dumps(matter_to_dict(matter), ensure_ascii=False, cls=DjangoJSONEncoder).encode()
        cache.set(key, data, GUIDE_CACHE_SECONDS)
    return data


@router.get(
    "/{code}",
    response={200: Guide, 404: ApiError},
    summary="The whole guide of one matter",
    operation_id="get_matter",
)
def get_matter(request: HttpRequest, code: str):
    """The published guide, in the interchange format `eban.matters/1` (docs/matter-format.md)."""
    data = guide_json(code) if MATTER_CODE_RE.match(code) else None
    if data is None:
        raise NotFound(
            _("No published matter has the code “%(code)s”.") % {"code": code[:80]},
            details={"code": code[:80]},
        )
    return HttpResponse(data, content_type="application/json; charset=utf-8")
