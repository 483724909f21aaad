"""Finding terminals: the nearest to a position, those of a division, and a position from a
place name ("from an address", offline: there is no online geocoder).

`nearest` returns the truly nearest active terminals by great-circle distance (geo.haversine_m),
not an approximation. It reads only the terminals inside a latitude/longitude box around the
position (the (latitude, longitude) index), growing the box until the answer is certain:

    A box whose half-sides are Δlat and Δlng holds every point within g metres of its centre,
    where g = R·min(Δlat, asin(sin Δlng · cos lat)) (the distance to the nearest parallel or
    meridian that bounds it; `guaranteed_radius_m`). Once `limit` terminals are found inside the
    box and the limit-th nearest of them is at most g away, no terminal outside the box can be
    nearer, so the answer is exact.

Nothing about the position is logged or stored.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.government.divisions import code_prefix
from eban.government.models import Division, DivisionLevel

from .. import geo
from ..hours import OpenAt
from ..models import Settlement, Terminal

START_RADIUS_M = 3_000.0
MAX_LIMIT = 50
CHOICES_CACHE_SECONDS = 120


@dataclass(frozen=True)
class Found:
    terminal: Terminal
    distance_m: float  # straight line (great circle)
    walk_m: int  # estimated walking distance (geo.walking)
    minutes: int  # estimated walking minutes
    open_now: bool


def guaranteed_radius_m(lat: float, dlat: float, dlng: float) -> float:
    """The radius (metres) of the largest circle around (lat, ·) inside a box of half-sides
    dlat, dlng degrees: the nearer of its bounding parallels and meridians."""
    by_lat = math.radians(dlat)
    if dlng >= 90.0:
        by_lng = math.pi  # no meridian bound worth the name: the latitude band decides
    else:
        by_lng = math.asin(min(1.0, math.sin(math.radians(dlng)) * math.cos(math.radians(lat))))
    return geo.EARTH_RADIUS_M * min(by_lat, by_lng)


def _box(lat: float, lng: float, radius_m: float) -> tuple[tuple, float, bool]:
    """((lat_lo, lat_hi, lng_lo, lng_hi) with None for "every longitude", the radius the box
    guarantees, whether it covers everything) for a box around a circle of radius_m."""
    dlat, dlng = geo.degrees_box(lat, radius_m)
    whole_world = dlat >= 180.0
    if dlng < 180.0 and -180.0 <= lng - dlng and lng + dlng <= 180.0:
        bounds = (lat - dlat, lat + dlat, lng - dlng, lng + dlng)
        guaranteed = guaranteed_radius_m(lat, dlat, dlng)
    else:  # the box would wrap round the antimeridian: take every longitude
        bounds = (lat - dlat, lat + dlat, None, None)
        guaranteed = geo.EARTH_RADIUS_M * math.radians(dlat)
    return bounds, guaranteed, whole_world


def _raw_box_sql(with_hours: bool, with_lng: bool) -> str:
    """The box query on every active terminal, written once (the ORM would compile it anew for
    each box; this is the hot path of the finder). `active` is tested as a bare boolean, as the
    ORM writes it; the position's index (latitude, longitude) finds the box."""
    q = connection.ops.quote_name
    table = q(Terminal._meta.db_table)
    columns = ["id", "code", "latitude", "longitude"] + (["opening_hours"] if with_hours else [])
    sql = (
        f"SELECT {', '.join(q(c) for c in columns)} FROM {table} "
        f"WHERE {q('active')} AND {q('latitude')} >= %s AND {q('latitude')} <= %s"
    )
    if with_lng:
        sql += f" AND {q('longitude')} >= %s AND {q('longitude')} <= %s"
    return sql


def _rows(base: QuerySet | None, bounds: tuple, with_hours: bool):
    lat_lo, lat_hi, lng_lo, lng_hi = bounds
    if base is None:
        params: list[Any] = [lat_lo, lat_hi]
        if lng_lo is not None:
            params += [lng_lo, lng_hi]
        with connection.cursor() as cursor:
            cursor.execute(_raw_box_sql(with_hours, lng_lo is not None), params)
            return cursor.fetchall()
    q = Q(latitude__gte=lat_lo, latitude__lte=lat_hi)
    if lng_lo is not None:
        q &= Q(longitude__gte=lng_lo, longitude__lte=lng_hi)
    fields = ("id", "code", "latitude", "longitude") + (("opening_hours",) if with_hours else ())
    return list(base.filter(q).values_list(*fields))


def nearest(
    lat: float,
    lng: float,
    *,
    limit: int = 5,
    open_now: bool | None = None,
    at: datetime | None = None,
    queryset: QuerySet | None = None,
) -> list[Found]:
    """The `limit` active terminals nearest to (lat, lng) (WGS-84), nearest first (ties by code).

    open_now=True skips the terminals closed at `at` (default: now); every result says whether
    it is open then. `queryset` narrows the terminals searched (e.g. a division's)."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
        raise ValueError("latitude or longitude out of range")
    limit = max(1, min(int(limit), MAX_LIMIT))
    at = at or timezone.now()
    is_open = OpenAt(at)
    base = queryset.filter(active=True).order_by() if queryset is not None else None
    with_hours = bool(open_now)  # the hours (JSON text or decoded) are read only to filter on them

    radius = START_RADIUS_M
    best: list[tuple] = []
    while True:
        bounds, guaranteed, everything = _box(lat, lng, radius)
        candidates = []
        for row in _rows(base, bounds, with_hours):
            if with_hours and not is_open(row[4]):
                continue
            candidates.append((geo.haversine_m(lat, lng, row[2], row[3]), row[1], row[0]))
        candidates.sort()
        best = candidates[:limit]
        if everything:
            break
        if len(best) == limit:
            kth = best[-1][0]
            if kth <= guaranteed:
                break
            # One more box, just big enough to guarantee the limit-th distance found so far.
            radius = max(radius * 1.01, kth * radius / max(guaranteed, 1e-9) * 1.0001)
        elif not candidates:
            radius *= 4.0
        else:
            # Too few: grow by the area that should hold about twice what is missing.
            radius *= min(4.0, max(1.5, math.sqrt(2.0 * limit / len(candidates))))
        radius = min(radius, math.pi * geo.EARTH_RADIUS_M)  # at most: every latitude
    terminals = Terminal.objects.in_bulk([pk for _d, _c, pk in best])
    results = []
    for distance, _code, pk in best:
        terminal = terminals[pk]
        walk_m, minutes = geo.walking(distance)
        results.append(Found(terminal, distance, walk_m, minutes, is_open(terminal.opening_hours)))
    return results


# --------------------------------------------------------------------------- divisions


def division_q(code: str, field: str = "division") -> Q:
    """Rows of a division and of everything under it (codes by prefix, as permissions do)."""
    return Q(**{f"{field}__code__startswith": code_prefix(code)})


def in_division(code: str, *, queryset: QuerySet | None = None, active_only: bool = True) -> QuerySet:
    """The terminals of division `code` and of every division under it, by code."""
    qs = queryset if queryset is not None else Terminal.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    return qs.filter(division_q(code)).select_related("division").order_by("code")


def division_choices(parent_code: str | None = None) -> list[tuple[Division, int]]:
    """Divisions to choose from with their number of active terminals: the counties (under
    the city), or the townships of county `parent_code`. Only those with terminals. Cached for
    a few minutes (every finder page shows the list)."""
    key = f"kiosks:division-choices:{parent_code or ''}"
    cached = cache.get(key)
    if cached is None:
        cached = _division_choices(parent_code)
        cache.set(key, cached, CHOICES_CACHE_SECONDS)
    return cached


def _division_choices(parent_code: str | None) -> list[tuple[Division, int]]:
    if parent_code:
        divisions = Division.objects.filter(parent__code=parent_code).order_by("code")
    else:
        divisions = Division.objects.filter(level=DivisionLevel.COUNTY).order_by("code")
    divisions = list(divisions)
    counts = dict.fromkeys((d.code for d in divisions), 0)
    prefixes = [(code_prefix(d.code), d.code) for d in divisions]
    rows = (
        Terminal.objects.filter(active=True)
        .filter(division_q(parent_code) if parent_code else Q())
        .values_list("division__code", flat=True)
    )
    for division_code in rows:
        for prefix, code in prefixes:
            if division_code.startswith(prefix):
                counts[code] += 1
                break
    return [(d, counts[d.code]) for d in divisions if counts[d.code]]


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    lat: float
    lng: float
    label: str
    kind: str  # "terminal", "settlement", "division"
    code: str = ""


MAX_PLACE_TEXT = 60
# How specific each kind of match is (more is better when matches are equally long).
SPECIFICITY = {"terminal": 5, "settlement": 4, DivisionLevel.VILLAGE: 4, DivisionLevel.TOWNSHIP: 3,
               DivisionLevel.COUNTY: 2, DivisionLevel.CITY: 1, DivisionLevel.PROVINCE: 0}  # fmt: skip


def _clean(text: str) -> str:
    return "".join(str(text or "").split())[:MAX_PLACE_TEXT]


def _substrings(text: str, shortest: int = 2) -> set[str]:
    return {text[i:j] for i in range(len(text)) for j in range(i + shortest, len(text) + 1)}


def _score(name: str, text: str) -> int:
    """How much of the query a name accounts for: all of it when equal, the name's length when
    the query contains it, the query's length (less one) when the name contains the query."""
    if not name:
        return 0
    if name == text:
        return len(text) + 1
    if name in text:
        return len(name)
    if text in name:
        return len(text) - 1
    return 0


# What people leave off a division's name: "瑞安" for 瑞安市, "五马" for 五马街道 (longest first).
SUFFIXES = ("街道", "市", "县", "区", "镇", "乡")
LONGEST_STEM = 8  # longest typed stem tried with each suffix


def stem(name: str) -> str:
    """A division's name without its suffix ("瑞安市" → "瑞安"), when at least two characters remain."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _division_score(name: str, text: str) -> int:
    """_score, with the name's stem standing for the name: "瑞安" is all of 瑞安市, "瑞安塘下"
    contains 瑞安 (two characters of the query accounted for)."""
    score = _score(name, text)
    short = stem(name)
    if short != name:
        if short == text:
            score = max(score, len(text) + 1)
        elif short in text:
            score = max(score, len(short))
    return score


def _named_in(name: str, text: str) -> int:
    """How many characters of `text` name this ancestor (its name or its stem)."""
    if name in text:
        return len(name)
    short = stem(name)
    return len(short) if short != name and short in text else 0


_LEVEL_RANK = {DivisionLevel.CITY: 0, DivisionLevel.COUNTY: 1, DivisionLevel.TOWNSHIP: 2}


@functools.lru_cache(maxsize=100_000)
def _pinyin(text: str) -> str:
    from pypinyin import Style, lazy_pinyin  # a declared dependency; imported when first needed

    return "".join(lazy_pinyin(text, style=Style.NORMAL)).lower()


def _pinyin_index() -> dict[str, list[tuple[int, int]]]:
    """{pinyin of a name or of its stem: [(level rank, division id)]} for the city, county and
    township levels, read afresh (one query of names; their pinyin is kept per process)."""
    index: dict[str, list[tuple[int, int]]] = {}
    rows = Division.objects.filter(level__in=list(_LEVEL_RANK)).values_list("pk", "name", "level")
    for pk, name, level in rows:
        for spelling in {_pinyin(name), _pinyin(stem(name))}:
            index.setdefault(spelling, []).append((_LEVEL_RANK[level], pk))
    return index


def _by_pinyin(text: str) -> Place | None:
    """The division whose name (or stem) is spelt `text` in toneless pinyin ("ruian", "Yong Jia"):
    the highest level first, then the lowest code."""
    typed = "".join(text.split()).replace("'", "").lower()
    if len(typed) < 3 or not typed.isascii() or not typed.isalpha():
        return None
    ids = [pk for _rank, pk in sorted(_pinyin_index().get(typed, []))]
    divisions = Division.objects.in_bulk(ids)
    for pk in ids:
        division = divisions.get(pk)
        position = _division_position(division) if division is not None else None
        if position is not None:
            return Place(position[0], position[1], division.display_name, "division", division.code)
    return None


def _division_position(division: Division) -> tuple[float, float] | None:
    """Where a division is: its own service centre's terminal(s), else the middle of the
    terminals, else of the settlements, under it."""
    own = Terminal.objects.filter(active=True, division=division).aggregate(
        lat=Avg("latitude"), lng=Avg("longitude"), n=Count("id")
    )
    if own["n"]:
        return own["lat"], own["lng"]
    for model in (Terminal, Settlement):
        agg = model.objects.filter(division_q(division.code)).aggregate(
            lat=Avg("latitude"), lng=Avg("longitude"), n=Count("id")
        )
        if agg["n"]:
            return agg["lat"], agg["lng"]
    return None


def place_position(text: str) -> Place | None:
    """The best-known place named in `text` (settlements, divisions — by name, or without the
    suffix 市/县/区/镇/乡/街道 — terminals' names and addresses): the longest, most specific match;
    failing that, a division spelt in pinyin ("ruian"). None when nothing matches."""
    text = _clean(text)
    if len(text) < 2:
        return None
    subs = _substrings(text)
    candidates: list[tuple[tuple, Any]] = []

    # A division named in full, or by its stem ("瑞安" → 瑞安市: each short piece with each suffix).
    suffixed = {piece + suffix for piece in subs if len(piece) <= LONGEST_STEM for suffix in SUFFIXES}
    divisions = list(
        Division.objects.filter(Q(name__in=subs | suffixed) | Q(name__contains=text)).select_related(
            "parent"
        )[:50]
    )
    for division in divisions:
        score = _division_score(division.name, text)
        # The county named too ("鹿城区五马街道", "瑞安塘下") settles between townships of the same name.
        bonus = sum(_named_in(a.name, text) for a in division.ancestors())
        candidates.append(
            ((score + bonus, SPECIFICITY.get(division.level, 0), -len(division.name)), division)
        )

    for settlement in Settlement.objects.filter(Q(name__in=subs) | Q(name__contains=text)).select_related(
        "division"
    )[:50]:
        score = _score(settlement.name, text)
        bonus = 0
        if settlement.division_id:
            bonus = sum(
                len(d.name) for d in [settlement.division, *settlement.division.ancestors()] if d.name in text
            )
        candidates.append(((score + bonus, SPECIFICITY["settlement"], -len(settlement.name)), settlement))

    for terminal in Terminal.objects.filter(active=True).filter(
        Q(name__in=subs) | Q(name__contains=text) | Q(address__in=subs) | Q(address__contains=text)
    )[:50]:
        score = max(_score(terminal.name, text), _score(terminal.address, text))
        candidates.append(((score, SPECIFICITY["terminal"], -len(terminal.name)), terminal))

    candidates = [c for c in candidates if c[0][0] >= 2]
    candidates.sort(key=lambda c: c[0], reverse=True)
    for _key, found in candidates:
        if isinstance(found, Division):
            position = _division_position(found)
            if position is None:
                continue
            return Place(position[0], position[1], found.display_name, "division", found.code)
        if isinstance(found, Settlement):
            return Place(found.latitude, found.longitude, found.display_name, "settlement", found.code)
        return Place(found.latitude, found.longitude, found.display_name, "terminal", found.code)
    return _by_pinyin(text)


def no_place_message(text: str) -> str:
    return _(
        "No known place matches “%(text)s”. Try the name of a village or community, a township or "
        "street (街道), a county, or a service centre — or choose from the list of divisions."
    ) % {"text": _clean(text)}
