"""Walking-navigation links to a terminal in the three Chinese map apps, each in its own
coordinate system (the stored position is WGS-84; eban.kiosks.geo converts it).

The URI formats, from each service's own documentation of its web "URI API" (no key needed; the
links open the mobile web map, or the app when installed):

  AMap (高德), GCJ-02 — https://lbs.amap.com/api/uri-api/guide/travel/route
      https://uri.amap.com/navigation?from=lon,lat,name&to=lon,lat,name&mode=walk&src=…
      (`from` may be left out: on a phone the map starts from the user's position;
       `coordinate=gaode` says the points are GCJ-02, https://lbs.amap.com/api/uri-api/gettingstarted)
  Baidu (百度), BD-09 — https://lbsyun.baidu.com/docs/webapi?title=mapadjustment%2Furi%2Fweb
      https://api.map.baidu.com/direction?origin=latlng:lat,lng|name:…&destination=latlng:lat,lng|name:…
          &mode=walking&region=…&coord_type=bd09ll&output=html&src=webapp.companyName.appName
      The web direction service needs an origin; without one the link is the marker URI
      https://api.map.baidu.com/marker?location=lat,lng&title=…&content=…&coord_type=bd09ll&output=html&src=…
  Tencent (腾讯), GCJ-02 — https://lbs.qq.com/webApi/uriV1/uriGuide/uriWebRoute
      https://apis.map.qq.com/uri/v1/routeplan?type=walk&from=…&fromcoord=lat,lng&to=…&tocoord=lat,lng
          &coord_type=2&referer=…   (coord_type 2 = Tencent's own, i.e. GCJ-02; without `from`
          and `fromcoord` the mobile map starts from the user's position)

Coordinates are rounded to 6 decimals (well under a metre), as the services ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from .. import geo

AMAP = "https://uri.amap.com/navigation"
BAIDU_DIRECTION = "https://api.map.baidu.com/direction"
BAIDU_MARKER = "https://api.map.baidu.com/marker"
TENCENT = "https://apis.map.qq.com/uri/v1/routeplan"
DEFAULT_SOURCE = "eban"
DEFAULT_REGION = "温州"


def source() -> str:
    """Who is calling, as the services ask (`src` / `referer`)."""
    return str(settings.EBAN_MAP_LINK_SOURCE or DEFAULT_SOURCE)


def _c(value: float) -> str:
    return f"{value:.6f}"


def _name(value: str) -> str:
    # "," and "|" separate the parts of a point in these URIs: keep them out of names.
    return " ".join(str(value or "").replace(",", " ").replace("，", " ").replace("|", " ").split())[:40]


@dataclass(frozen=True)
class Links:
    amap: str
    baidu: str
    tencent: str

    def as_dict(self) -> dict[str, str]:
        return {"amap": self.amap, "baidu": self.baidu, "tencent": self.tencent}


def amap_link(lat: float, lng: float, name: str, origin: tuple[float, float] | None = None,
              origin_name: str = "") -> str:  # fmt: skip
    to_lat, to_lng = geo.wgs84_to_gcj02(lat, lng)
    params = {}
    if origin is not None:
        o_lat, o_lng = geo.wgs84_to_gcj02(*origin)
        params["from"] = f"{_c(o_lng)},{_c(o_lat)},{_name(origin_name)}"
    params.update(
        {
            "to": f"{_c(to_lng)},{_c(to_lat)},{_name(name)}",
            "mode": "walk",
            "coordinate": "gaode",
            "callnative": "1",
            "src": source(),
        }
    )
    return f"{AMAP}?{urlencode(params)}"


def baidu_link(lat: float, lng: float, name: str, origin: tuple[float, float] | None = None,
               origin_name: str = "", region: str = DEFAULT_REGION) -> str:  # fmt: skip
    to_lat, to_lng = geo.wgs84_to_bd09(lat, lng)
    src = f"webapp.{source()}.finder"
    if origin is None:
        params = {
            "location": f"{_c(to_lat)},{_c(to_lng)}",
            "title": _name(name),
            "content": _name(name),
            "coord_type": "bd09ll",
            "output": "html",
            "src": src,
        }
        return f"{BAIDU_MARKER}?{urlencode(params)}"
    o_lat, o_lng = geo.wgs84_to_bd09(*origin)
    params = {
        "origin": f"latlng:{_c(o_lat)},{_c(o_lng)}|name:{_name(origin_name)}",
        "destination": f"latlng:{_c(to_lat)},{_c(to_lng)}|name:{_name(name)}",
        "mode": "walking",
        "region": region,
        "coord_type": "bd09ll",
        "output": "html",
        "src": src,
    }
    return f"{BAIDU_DIRECTION}?{urlencode(params)}"


def tencent_link(lat: float, lng: float, name: str, origin: tuple[float, float] | None = None,
                 origin_name: str = "") -> str:  # fmt: skip
    to_lat, to_lng = geo.wgs84_to_gcj02(lat, lng)
    params = {"type": "walk"}
    if origin is not None:
        o_lat, o_lng = geo.wgs84_to_gcj02(*origin)
        params["from"] = _name(origin_name)
        params["fromcoord"] = f"{_c(o_lat)},{_c(o_lng)}"
    params.update(
        {"to": _name(name), "tocoord": f"{_c(to_lat)},{_c(to_lng)}", "coord_type": "2", "referer": source()}
    )
    return f"{TENCENT}?{urlencode(params)}"


def links_for(terminal, origin: tuple[float, float] | None = None, origin_name: str = "") -> Links:
    """The three walking-navigation links to `terminal` (from `origin`, WGS-84, when known)."""
    name = terminal.name
    origin_name = origin_name or _("My position")
    lat, lng = terminal.latitude, terminal.longitude
    return Links(
        amap=amap_link(lat, lng, name, origin, origin_name),
        baidu=baidu_link(lat, lng, name, origin, origin_name),
        tencent=tencent_link(lat, lng, name, origin, origin_name),
    )
