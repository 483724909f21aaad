"""Coverage of the kiosk network: who lives within a walk of a terminal, and where new terminals
would reach the most people. Pure computation (numpy, no database, no I/O): the loading is in
eban.kiosks.coverage.runs, the pages and the command only call `compute`.

- The reach: a straight-line radius, from walking minutes by default (geo.reach_m: the walk's
  length over the detour factor) or given in metres.
- A settlement is covered when at least one terminal is within the radius (great-circle distance,
  the radius itself included). Pairs are found with a uniform grid over a local equirectangular
  projection (cells at least one radius wide, so a terminal in reach is in the settlement's cell
  or one of its 8 neighbours); every candidate pair is then tested with the exact haversine.
- The share covered is weighted by population, overall and per county (the first 6 digits of the
  settlement's division code, given by the caller as a label).
- New sites: greedy maximum coverage with lazy evaluation (CELF). The candidates are the uncovered
  settlements' own positions; a site covers the uncovered settlements within the radius. Each
  pick has the largest number of people newly covered (ties: the earlier settlement in the input);
  greedy is within (1 - 1/e) of the best possible set of K sites.

Work and memory grow with the number of candidate pairs, which the grid keeps near the number of
real neighbours; pairs are processed in chunks of at most CHUNK_PAIRS.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from .. import geo

DEFAULT_MINUTES = 15.0
CHUNK_PAIRS = (
    2_000_000  # candidate pairs tested at once (estimated, not measured: ~100 MB of float64 temporaries)
)
# A settlement exactly at the radius counts as covered; this absorbs float rounding (a micrometre).
TOLERANCE_M = 1e-6

Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


# --- input ------------------------------------------------------------------------------------


@dataclass
class Settlements:
    """Settlements as arrays (WGS-84 degrees). `county` is a label per settlement (a division
    code, "" when unknown); `codes` and `names` are only carried into the report."""

    lat: np.ndarray
    lng: np.ndarray
    population: np.ndarray
    key_village: np.ndarray
    county: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        lat: Sequence[float],
        lng: Sequence[float],
        population: Sequence[int] | None = None,
        key_village: Sequence[bool] | None = None,
        *,
        county: Sequence[str] | None = None,
        codes: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
    ) -> Settlements:
        n = len(lat)
        lat_a = np.asarray(lat, dtype=np.float64).reshape(n)
        lng_a = np.asarray(lng, dtype=np.float64).reshape(n)
        pop = np.ones(n, np.int64) if population is None else np.asarray(population, dtype=np.int64)
        key = np.zeros(n, bool) if key_village is None else np.asarray(key_village, dtype=bool)
        if len(lng_a) != n or len(pop) != n or len(key) != n:
            raise ValueError("settlement arrays differ in length")
        if n and (pop < 0).any():
            raise ValueError("a population is negative")
        return cls(
            lat=lat_a,
            lng=lng_a,
            population=pop,
            key_village=key,
            county=list(county) if county is not None else [""] * n,
            codes=list(codes) if codes is not None else [str(i) for i in range(n)],
            names=list(names) if names is not None else [""] * n,
        )

    def __len__(self) -> int:
        return len(self.lat)


@dataclass
class Terminals:
    lat: np.ndarray
    lng: np.ndarray

    @classmethod
    def of(cls, lat: Sequence[float], lng: Sequence[float]) -> Terminals:
        lat_a, lng_a = np.asarray(lat, dtype=np.float64), np.asarray(lng, dtype=np.float64)
        if lat_a.shape != lng_a.shape:
            raise ValueError("terminal arrays differ in length")
        return cls(lat=lat_a.reshape(-1), lng=lng_a.reshape(-1))

    def __len__(self) -> int:
        return len(self.lat)


def radius_for(
    *, minutes: float | None = None, speed_m_per_min: float | None = None, radius_m: float | None = None
) -> float:
    """The reach in metres: `radius_m` when given, else the walk of `minutes` (default 15)."""
    if radius_m is not None:
        if not (radius_m > 0 and math.isfinite(radius_m)):
            raise ValueError("the radius must be a positive number of metres")
        return float(radius_m)
    minutes = DEFAULT_MINUTES if minutes is None else minutes
    speed = geo.WALKING_M_PER_MIN if speed_m_per_min is None else speed_m_per_min
    if not (minutes > 0 and speed > 0 and math.isfinite(minutes) and math.isfinite(speed)):
        raise ValueError("minutes and walking speed must be positive numbers")
    return geo.reach_m(minutes, speed_m_per_min=speed)


# --- the report -------------------------------------------------------------------------------


@dataclass
class CountyShare:
    code: str
    name: str
    settlements: int
    population: int
    covered_population: int
    share: float | None  # None: nobody lives there


@dataclass
class Place:
    code: str
    name: str
    lat: float
    lng: float
    population: int
    county: str


@dataclass
class Site:
    rank: int
    code: str  # the settlement whose position is proposed
    name: str
    lat: float
    lng: float
    county: str
    people: int  # newly covered by this site
    settlements: int  # settlements newly covered
    key_villages: int  # of which key villages
    cumulative_population: int  # covered with this site and the ones before
    cumulative_share: float | None


@dataclass
class Report:
    radius_m: float
    minutes: float | None
    speed_m_per_min: float | None
    settlements: int
    terminals: int
    population: int
    covered_population: int
    covered_settlements: int
    share: float | None  # population-weighted; None when there is nobody
    counties: list[CountyShare]
    key_villages: int
    uncovered_key_villages: list[Place]
    sites: list[Site]
    share_with_sites: float | None
    # Per settlement (input order): covered now? Not in the JSON.
    covered: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)

    @property
    def uncovered_population(self) -> int:
        return self.population - self.covered_population

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("covered")
        data["uncovered_population"] = self.uncovered_population
        return data

    def to_json(self, **kwargs) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.as_dict(), **kwargs)


# --- geometry ---------------------------------------------------------------------------------


def haversine_m(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray) -> np.ndarray:
    """geo.haversine_m over arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lng2 - lng1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * geo.EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))


class Projection:
    """Equirectangular metres around the data: y = R·φ, x = R·cos(φ₀)·λ with φ₀ the latitude
    farthest from the equator, so x never stretches a distance (|Δx|, |Δy| ≤ the great-circle
    distance, up to rounding: the grid's cells get a little slack)."""

    def __init__(self, *lats: np.ndarray):
        worst = max((float(np.abs(a).max()) for a in lats if len(a)), default=0.0)
        self.kx = geo.EARTH_RADIUS_M * max(0.01, math.cos(math.radians(min(worst, 89.0))))
        self.ky = geo.EARTH_RADIUS_M

    def xy(self, lat: np.ndarray, lng: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.radians(lng) * self.kx, np.radians(lat) * self.ky


class Grid:
    """Points bucketed in square cells of side `cell` metres (sorted by cell key)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, cell: float):
        self.cell = cell
        self.n = len(x)
        if self.n == 0:
            self.x0 = self.y0 = 0
            self.nx = self.ny = 0
            self.order = np.zeros(0, np.int64)
            self.keys = self.starts = self.counts = np.zeros(0, np.int64)
            return
        cx = np.floor(x / cell).astype(np.int64)
        cy = np.floor(y / cell).astype(np.int64)
        self.x0, self.y0 = int(cx.min()) - 1, int(cy.min()) - 1
        self.nx, self.ny = int(cx.max()) - self.x0 + 2, int(cy.max()) - self.y0 + 2  # with a margin
        key = (cx - self.x0) * (self.ny + 1) + (cy - self.y0)
        self.order = np.argsort(key, kind="stable")
        self.keys, self.starts, self.counts = np.unique(
            key[self.order], return_index=True, return_counts=True
        )

    def lookup(self, x: np.ndarray, y: np.ndarray, dx: int, dy: int) -> tuple[np.ndarray, np.ndarray]:
        """(start in `order`, count) of the cell at offset (dx, dy) from each query point's."""
        if self.n == 0:
            zero = np.zeros(len(x), np.int64)
            return zero, zero
        cx = np.floor(x / self.cell).astype(np.int64) - self.x0 + dx
        cy = np.floor(y / self.cell).astype(np.int64) - self.y0 + dy
        inside = (cx >= 0) & (cx <= self.nx) & (cy >= 0) & (cy <= self.ny)
        key = np.where(inside, cx * (self.ny + 1) + cy, -1)
        pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        found = inside & (self.keys[pos] == key)
        return np.where(found, self.starts[pos], 0), np.where(found, self.counts[pos], 0)


OFFSETS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


def _cell_for(radius_m: float) -> float:
    return radius_m * (1 + 1e-6) + 1e-3


def pairs_within(
    q_lat: np.ndarray,
    q_lng: np.ndarray,
    p_lat: np.ndarray,
    p_lng: np.ndarray,
    radius_m: float,
    *,
    projection: Projection | None = None,
    progress: Progress = _no_progress,
    phase: str = "pairs",
):
    """Yield (query indices, point indices) arrays of every pair within `radius_m` of each other
    (great-circle distance ≤ radius), in chunks."""
    if len(q_lat) == 0 or len(p_lat) == 0:
        progress(phase, len(q_lat), len(q_lat))
        return
    projection = projection or Projection(q_lat, p_lat)
    grid = Grid(*projection.xy(p_lat, p_lng), _cell_for(radius_m))
    qx, qy = projection.xy(q_lat, q_lng)
    looked = [grid.lookup(qx, qy, dx, dy) for dx, dy in OFFSETS]
    starts = np.stack([s for s, _c in looked], axis=1)  # (n, 9)
    counts = np.stack([c for _s, c in looked], axis=1)
    per_query = counts.sum(axis=1)
    cumulative = np.cumsum(per_query)
    n = len(q_lat)
    begin = 0
    limit = radius_m + TOLERANCE_M
    while begin < n:
        base = cumulative[begin - 1] if begin else 0
        end = int(np.searchsorted(cumulative, base + CHUNK_PAIRS, side="right"))
        end = min(n, max(end, begin + 1))
        c = counts[begin:end].reshape(-1)
        s = starts[begin:end].reshape(-1)
        total = int(c.sum())
        if total:
            q = np.repeat(np.repeat(np.arange(begin, end, dtype=np.int64), 9), c)
            first = np.repeat(np.cumsum(c) - c, c)
            p = grid.order[np.repeat(s, c) + (np.arange(total, dtype=np.int64) - first)]
            near = haversine_m(q_lat[q], q_lng[q], p_lat[p], p_lng[p]) <= limit
            if near.any():
                yield q[near], p[near]
        progress(phase, end, n)
        begin = end


def work_estimate(
    s_lat: np.ndarray, s_lng: np.ndarray, t_lat: np.ndarray, t_lng: np.ndarray, radius_m: float
) -> int:
    """The candidate pairs a run would test (terminal × settlement, and settlement × settlement
    for the new sites, at most), counted on the grid without testing any: cheap."""
    if len(s_lat) == 0:
        return 0
    projection = Projection(s_lat, t_lat)
    sx, sy = projection.xy(s_lat, s_lng)
    work = 0
    for lat, lng in ((t_lat, t_lng), (s_lat, s_lng)):
        if len(lat):
            grid = Grid(*projection.xy(lat, lng), _cell_for(radius_m))
            work += int(sum(int(grid.lookup(sx, sy, dx, dy)[1].sum()) for dx, dy in OFFSETS))
    return work


# --- the computation --------------------------------------------------------------------------


def covered_mask(
    settlements: Settlements, terminals: Terminals, radius_m: float, *, progress: Progress = _no_progress
) -> np.ndarray:
    """Per settlement: is a terminal within `radius_m`?"""
    covered = np.zeros(len(settlements), bool)
    for q, _p in pairs_within(
        settlements.lat,
        settlements.lng,
        terminals.lat,
        terminals.lng,
        radius_m,
        progress=progress,
        phase="covering",
    ):
        covered[q] = True
    return covered


def greedy_sites(
    lat: np.ndarray,
    lng: np.ndarray,
    population: np.ndarray,
    radius_m: float,
    k: int,
    *,
    progress: Progress = _no_progress,
) -> list[tuple[int, np.ndarray]]:
    """Greedy maximum coverage (CELF) of these (uncovered) settlements by at most `k` sites at
    their own positions: [(index of the site, indices newly covered)], best first. Stops early
    when nobody is left to cover."""
    n = len(lat)
    if n == 0 or k <= 0:
        progress("choosing", 0, max(k, 0))
        return []
    sources, targets = [], []
    for q, p in pairs_within(lat, lng, lat, lng, radius_m, progress=progress, phase="candidates"):
        sources.append(q.astype(np.int32))
        targets.append(p.astype(np.int32))
    if not sources:  # no position to compare (not a number)
        return []
    src = np.concatenate(sources)
    dst = np.concatenate(targets)
    order = np.argsort(src, kind="stable")
    neighbours = dst[order]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    pop = population.astype(np.int64)
    gains = np.bincount(src, weights=pop[dst].astype(np.float64), minlength=n)
    heap = [(-round(g), i, 0) for i, g in enumerate(gains.tolist())]
    heapq.heapify(heap)
    done = np.zeros(n, bool)
    picks: list[tuple[int, np.ndarray]] = []
    progress("choosing", 0, k)
    while heap and len(picks) < k:
        neg, i, stamp = heapq.heappop(heap)
        if neg == 0:  # the best bound left is nobody: all are covered (or nobody lives there)
            break
        near = neighbours[indptr[i] : indptr[i + 1]]
        new = near[~done[near]]
        if stamp == len(picks):  # evaluated after the last pick: the best there is
            done[new] = True
            picks.append((i, new))
            progress("choosing", len(picks), k)
        else:
            heapq.heappush(heap, (-int(pop[new].sum()), i, len(picks)))
    return picks


def compute(
    settlements: Settlements,
    terminals: Terminals,
    *,
    radius_m: float | None = None,
    minutes: float | None = None,
    speed_m_per_min: float | None = None,
    sites: int = 10,
    county_names: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Coverage of `settlements` by `terminals` and `sites` proposed new sites (see the module)."""
    progress = progress or _no_progress
    radius = radius_for(minutes=minutes, speed_m_per_min=speed_m_per_min, radius_m=radius_m)
    if radius_m is None:
        minutes = DEFAULT_MINUTES if minutes is None else minutes
        speed_m_per_min = geo.WALKING_M_PER_MIN if speed_m_per_min is None else speed_m_per_min
    else:
        minutes = speed_m_per_min = None
    county_names = county_names or {}
    n = len(settlements)
    pop = settlements.population.astype(np.int64)
    covered = covered_mask(settlements, terminals, radius, progress=progress)
    total = int(pop.sum())
    covered_pop = int(pop[covered].sum())

    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    counties = []
    if n:
        labels, inverse = np.unique(
            np.asarray(settlements.county, dtype=object).astype(str), return_inverse=True
        )
        per_total = np.bincount(inverse, weights=pop, minlength=len(labels))
        per_covered = np.bincount(inverse, weights=np.where(covered, pop, 0), minlength=len(labels))
        per_count = np.bincount(inverse, minlength=len(labels))
        for j, code in enumerate(labels.tolist()):
            t, c = round(per_total[j]), round(per_covered[j])
            counties.append(
                CountyShare(code, county_names.get(code, code), int(per_count[j]), t, c, share(c, t))
            )

    def place(i: int) -> Place:
        return Place(
            code=settlements.codes[i],
            name=settlements.names[i],
            lat=float(settlements.lat[i]),
            lng=float(settlements.lng[i]),
            population=int(pop[i]),
            county=settlements.county[i],
        )

    key = settlements.key_village.astype(bool)
    gaps = np.flatnonzero(key & ~covered)
    gaps = gaps[np.lexsort((gaps, -pop[gaps]))]  # most people first
    uncovered = np.flatnonzero(~covered)
    picks = greedy_sites(
        settlements.lat[uncovered],
        settlements.lng[uncovered],
        pop[uncovered],
        radius,
        sites,
        progress=progress,
    )
    proposed, running = [], covered_pop
    for rank, (i, new) in enumerate(picks, start=1):
        where, newly = int(uncovered[i]), uncovered[new]
        people = int(pop[newly].sum())
        running += people
        at = place(where)
        proposed.append(
            Site(
                rank=rank,
                code=at.code,
                name=at.name,
                lat=at.lat,
                lng=at.lng,
                county=at.county,
                people=people,
                settlements=len(newly),
                key_villages=int(key[newly].sum()),
                cumulative_population=running,
                cumulative_share=share(running, total),
            )
        )
    progress("done", 1, 1)
    return Report(
        radius_m=radius,
        minutes=minutes,
        speed_m_per_min=speed_m_per_min,
        settlements=n,
        terminals=len(terminals),
        population=total,
        covered_population=covered_pop,
        covered_settlements=int(covered.sum()),
        share=share(covered_pop, total),
        counties=counties,
        key_villages=int(key.sum()),
        uncovered_key_villages=[place(int(i)) for i in gaps],
        sites=proposed,
        share_with_sites=share(running, total),
        covered=covered,
    )
