"""Maps on eban's pages: Leaflet (eban/static/vendor/leaflet) over the configured tiles
(settings.EBAN_MAP_TILES), with points converted from the stored WGS-84 to the tiles' system.

A page shows a map with `{% include "kiosks/_map.html" %}` and a context made by `map_context`;
every map page shows the same places in a table too, so nothing depends on the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import geo

# What a point is drawn as (eban-map.js): a colour and a size per kind.
POINT_KINDS = ("ok", "warn", "bad", "off", "site", "me", "settlement")


@dataclass(frozen=True)
class MapPoint:
    lat: float  # WGS-84
    lng: float
    label: str
    kind: str = "ok"
    url: str = ""
    radius_m: float = 0.0  # a circle around the point (e.g. the 15-minute walk), 0 for none


def to_tiles(lat: float, lng: float) -> tuple[float, float]:
    crs = settings.EBAN_MAP_TILES.get("crs", "wgs84")
    if crs == "gcj02":
        return geo.wgs84_to_gcj02(lat, lng)
    if crs == "bd09":
        return geo.wgs84_to_bd09(lat, lng)
    return lat, lng


def map_context(points: list[MapPoint], *, label: str, height_px: int = 420) -> dict:
    """The context of `kiosks/_map.html`: tiles, points in the tiles' system, an accessible label."""
    rows = []
    for point in points:
        lat, lng = to_tiles(point.lat, point.lng)
        kind = point.kind if point.kind in POINT_KINDS else "ok"
        rows.append(
            {"lat": round(lat, 6), "lng": round(lng, 6), "label": point.label, "kind": kind, "url": point.url,
             "r": round(point.radius_m)}
        )  # fmt: skip
    tiles = settings.EBAN_MAP_TILES
    return {
        "map_points": rows,
        "map_tiles": {
            "url": tiles["url"],
            "subdomains": tiles.get("subdomains", ""),
            "attribution": tiles.get("attribution", ""),
        },  # fmt: skip
        "map_label": label,
        "map_height": height_px,
    }
