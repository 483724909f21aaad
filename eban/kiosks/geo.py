"""Distances and China's map coordinate systems.

Positions are stored in WGS-84. Chinese map services draw in shifted systems: GCJ-02 (AMap,
Tencent; the published "Mars" transform) and BD-09 (Baidu, a further shift of GCJ-02). Outside
mainland China GCJ-02 equals WGS-84. The transforms are the widely published approximations
(error under a few metres), which is what the map services themselves document for links.
"""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
# Walking: straight-line distance times a detour factor, at an unhurried pace (older walkers).
DETOUR_FACTOR = 1.25
WALKING_M_PER_MIN = 70.0

_A = 6378245.0  # Krasovsky 1940, as the GCJ-02 transform uses
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def walking(distance_m: float) -> tuple[int, int]:
    """(estimated walking distance in metres, minutes) for a straight-line distance."""
    walk = distance_m * DETOUR_FACTOR
    return round(walk), max(1, math.ceil(walk / WALKING_M_PER_MIN))


def reach_m(minutes: float, *, speed_m_per_min: float = WALKING_M_PER_MIN) -> float:
    """The straight-line radius reachable on foot in `minutes` (the inverse of `walking`)."""
    return minutes * speed_m_per_min / DETOUR_FACTOR


def degrees_box(lat: float, radius_m: float) -> tuple[float, float]:
    """(Δlatitude, Δlongitude) in degrees that hold a circle of radius_m around latitude lat."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(0.01, math.cos(math.radians(lat)))
    return dlat, min(180.0, dlat / cos_lat)


def in_mainland_china(lat: float, lng: float) -> bool:
    """The rough box where GCJ-02 applies (the published transform's own test)."""
    return 0.8293 <= lat <= 55.8271 and 72.004 <= lng <= 137.8347


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if not in_mainland_china(lat, lng):
        return lat, lng
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = math.radians(lat)
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """The inverse, by fixed-point iteration (to well under a metre)."""
    wlat, wlng = lat, lng
    for _ in range(10):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        wlat, wlng = wlat - (glat - lat), wlng - (glng - lng)
    return wlat, wlng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))
