"""`GET /api/v1/kiosks/nearest?lat=&lng=&limit=&open_now=`: the nearest terminals to a position.

Public, no sign-in. WGS-84 in (what a phone's GPS gives); each result has its distance, the
estimated walk, whether it is open now and navigation links in each map's own coordinates.
Rate-limited per client address (EBAN_KIOSK_NEAREST_RATE, default 120/minute). The position is
neither logged nor stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from eban.core import ratelimit
from eban.core.api_common import ApiError

from .. import hours
from . import locator, maplinks

router = Router(tags=["kiosks"])


def nearest_limit() -> ratelimit.Limit:
    """The limit from EBAN_KIOSK_NEAREST_RATE, e.g. "120/minute" (also second, hour, day)."""
    return ratelimit.from_setting("kiosk-nearest", "EBAN_KIOSK_NEAREST_RATE")


class NearestQuery(Schema):
    lat: float = Field(
        ..., ge=-90, le=90, allow_inf_nan=False, description="Latitude, WGS-84 (GPS), e.g. `27.9947`."
    )
    lng: float = Field(
        ..., ge=-180, le=180, allow_inf_nan=False, description="Longitude, WGS-84 (GPS), e.g. `120.7009`."
    )
    limit: int = Field(5, ge=1, le=locator.MAX_LIMIT, description="How many terminals (1 to 50).")
    open_now: bool = Field(False, description="Only terminals open now.")


class MapLinks(Schema):
    amap: str = Field(..., description="AMap (高德) walking route, GCJ-02.")
    baidu: str = Field(..., description="Baidu (百度) walking route, BD-09.")
    tencent: str = Field(..., description="Tencent (腾讯) walking route, GCJ-02.")


class NearestTerminal(Schema):
    code: str
    name: str
    name_en: str
    level: Literal["city", "county", "township", "village", "other"]
    address: str
    latitude: float = Field(..., description="WGS-84.")
    longitude: float = Field(..., description="WGS-84.")
    distance_m: int = Field(..., description="Straight-line distance in metres.")
    walk_m: int = Field(..., description="Estimated walking distance in metres.")
    minutes: int = Field(..., description="Estimated walking minutes (an unhurried pace).")
    open_now: bool
    hours: list[str] = Field(..., description="The opening hours, in the language of the request.")
    is_sample: bool = Field(..., description="True for sample data (for demonstration only).")
    url: str = Field(..., description="The terminal's page for people.")
    links: MapLinks


class NearestOut(Schema):
    at: datetime = Field(..., description="The moment `open_now` refers to.")
    results: list[NearestTerminal]


@router.get(
    "/nearest",
    operation_id="eban_kiosks_api_nearest_nearest",  # as published before the module moved
    response={200: NearestOut, 422: ApiError, 429: ApiError},
    summary="The nearest self-service terminals",
    description=(
        "The `limit` active terminals nearest to a WGS-84 position, nearest first (exact "
        "great-circle distance). `open_now=true` keeps only those open now (holidays and make-up "
        "working days included). Each has navigation links for AMap, Baidu and Tencent maps in "
        "their own coordinate systems. Rate-limited per client address (429 with Retry-After)."
    ),
)
def nearest(request, query: Query[NearestQuery]):
    ratelimit.hit(nearest_limit(), ratelimit.client_ip(request))
    at = timezone.now()
    found = locator.nearest(query.lat, query.lng, limit=query.limit, open_now=query.open_now or None, at=at)
    origin = (query.lat, query.lng)
    results = []
    for item in found:
        terminal = item.terminal
        results.append(
            {
                "code": terminal.code,
                "name": terminal.name,
                "name_en": terminal.name_en,
                "level": terminal.level,
                "address": terminal.address,
                "latitude": terminal.latitude,
                "longitude": terminal.longitude,
                "distance_m": round(item.distance_m),
                "walk_m": item.walk_m,
                "minutes": item.minutes,
                "open_now": item.open_now,
                "hours": hours.describe(terminal),
                "is_sample": terminal.is_sample,
                "url": request.build_absolute_uri(reverse("kiosks:detail", args=[terminal.code])),
                "links": maplinks.links_for(terminal, origin).as_dict(),
            }
        )
    return {"at": at, "results": results}
