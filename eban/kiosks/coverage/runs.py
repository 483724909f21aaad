"""Coverage with the database: loading settlements and terminals into eban.kiosks.coverage.compute's
arrays (scoped to the official, optionally within one division), and the runs that officials start
from the back office (CoverageRun rows, audited; a large one runs as a background task with its
progress kept in the row for the page's progress bar).

Within a division, both the settlements and the terminals are the division's: a terminal just
across the border does not count (the page answers "how well does this division's network serve
its people").
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from eban.accounts.permissions import staff_scope
from eban.core import audit
from eban.core.exceptions import DomainError, NotFound
from eban.government.divisions import code_prefix
from eban.government.models import Division, DivisionLevel

from ..models import CoverageRun, Settlement, Terminal
from ..permissions import division_q, may_operate, terminals_for
from . import compute as coverage

logger = logging.getLogger(__name__)

RUN = "kiosks.coverage.run"
# Above either, a run from the back office goes to the background (`eban worker`).
INLINE_MAX_SETTLEMENTS = 20_000
INLINE_MAX_WORK = 200_000  # candidate pairs (coverage.work_estimate)
MAX_SITES = 50
MAP_POINTS = 4000  # more than this and the map shows the most telling ones first (tables have all)


@dataclass
class CoverageData:
    settlements: coverage.Settlements
    terminals: coverage.Terminals
    terminal_ids: list[int]
    terminal_codes: list[str]
    terminal_names: list[str]
    county_names: dict[str, str]


def county_of(division_code: str | None) -> str:
    """The county-level code of a division code (GB/T 2260: the first 6 digits)."""
    return (division_code or "")[:6]


def division_filter(division: str, field: str = "division") -> Q:
    if not division:
        return Q()
    return Q(**{f"{field}__code__startswith": code_prefix(division)})


def check_division(division: str) -> str:
    division = (division or "").strip()
    if division and not Division.objects.filter(code=division).exists():
        raise NotFound(_("There is no division %(code)s.") % {"code": division}, code="division")
    return division


def querysets(user: Any | None, division: str = ""):
    """(settlements, active terminals) in the official's scope (everything when `user` is None:
    the command line) and within `division` when given."""
    settlements = Settlement.objects.filter(division_filter(division))
    terminals = Terminal.objects.filter(division_filter(division), active=True)
    if user is not None:
        settlements = settlements.filter(division_q(user))
        terminals = terminals_for(user, terminals)
    return settlements, terminals


def load(user: Any | None = None, *, division: str = "") -> CoverageData:
    """The arrays for coverage.compute (see `querysets`)."""
    settlements, terminals = querysets(user, check_division(division))
    rows = list(
        settlements.order_by("pk").values_list(
            "latitude", "longitude", "population", "key_village", "division__code", "code", "name"
        )
    )
    counties = [county_of(r[4]) for r in rows]
    s = coverage.Settlements(
        lat=np.fromiter((r[0] for r in rows), np.float64, len(rows)),
        lng=np.fromiter((r[1] for r in rows), np.float64, len(rows)),
        population=np.fromiter((r[2] for r in rows), np.int64, len(rows)),
        key_village=np.fromiter((r[3] for r in rows), bool, len(rows)),
        county=counties,
        codes=[r[5] for r in rows],
        names=[r[6] for r in rows],
    )
    trows = list(terminals.order_by("pk").values_list("latitude", "longitude", "code", "name", "pk"))
    t = coverage.Terminals(
        lat=np.fromiter((r[0] for r in trows), np.float64, len(trows)),
        lng=np.fromiter((r[1] for r in trows), np.float64, len(trows)),
    )
    names = dict(Division.objects.filter(code__in=set(counties) - {""}).values_list("code", "name"))
    return CoverageData(
        settlements=s,
        terminals=t,
        terminal_ids=[r[4] for r in trows],
        terminal_codes=[r[2] for r in trows],
        terminal_names=[r[3] for r in trows],
        county_names=names,
    )


def division_choices(user: Any) -> list[tuple[str, str]]:
    """The divisions an official may narrow a run to: the city and county levels in their scope
    and their own divisions."""
    scope = staff_scope(user)
    if not may_operate(user) or scope.nothing:
        return []
    levels = [DivisionLevel.CITY, DivisionLevel.COUNTY]
    if scope.everything:
        rows = Division.objects.filter(level__in=levels)
    else:
        under = Q(pk__in=[])
        for code in scope.division_codes:
            under |= Q(code__startswith=code_prefix(code), level__in=levels) | Q(code=code)
        rows = Division.objects.filter(under)
    return [(d.code, f"{d.display_name} ({d.code})") for d in rows.order_by("code")]


# --- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameters:
    minutes: float | None = coverage.DEFAULT_MINUTES
    speed_m_per_min: float | None = None
    radius_m: float | None = None
    sites: int = 10
    division: str = ""

    def radius(self) -> float:
        try:
            return coverage.radius_for(
                minutes=self.minutes, speed_m_per_min=self.speed_m_per_min, radius_m=self.radius_m
            )
        except ValueError:
            raise DomainError(
                _("The walking minutes, speed and radius must be positive numbers."), code="radius"
            ) from None


def runs_for(user: Any):
    """The stored runs an official may see: their own; platform administrators see all."""
    if not may_operate(user):
        return CoverageRun.objects.none()
    runs = CoverageRun.objects.all()
    if not staff_scope(user).everything:
        runs = runs.filter(created_by=user)
    return runs


def start_run(user: Any, params: Parameters) -> CoverageRun:
    """Start a run for an official: computed now when small (Wenzhou's scale), else enqueued for
    `eban worker` (the page follows its progress). Audited. An identical run of the same official
    still waiting or running is returned instead of starting another."""
    if not may_operate(user):
        raise DomainError(_("Only kiosk operators may compute coverage."), code="forbidden")
    if not 0 <= params.sites <= MAX_SITES:
        raise DomainError(_("Propose between 0 and %(n)d new sites.") % {"n": MAX_SITES}, code="sites")
    radius = params.radius()
    division = check_division(params.division)
    scope = staff_scope(user)
    if division and not scope.everything:
        if not any(division.startswith(code_prefix(code)) for code in scope.division_codes):
            raise NotFound(_("There is no division %(code)s.") % {"code": division}, code="division")
    minutes = None if params.radius_m is not None else (params.minutes or coverage.DEFAULT_MINUTES)
    speed = None if params.radius_m is not None else params.speed_m_per_min
    same = runs_for(user).filter(
        created_by=user,
        status__in=[CoverageRun.Status.PENDING, CoverageRun.Status.RUNNING],
        radius_m=radius,
        sites=params.sites,
        division=division,
    )
    if same.exists():
        return same.first()
    settlements, _terminals = querysets(user, division)
    background = settlements.count() > INLINE_MAX_SETTLEMENTS
    data = None
    if not background:
        data = load(user, division=division)
        work = coverage.work_estimate(
            data.settlements.lat, data.settlements.lng, data.terminals.lat, data.terminals.lng, radius
        )
        background = work > INLINE_MAX_WORK
    with transaction.atomic():
        run = CoverageRun.objects.create(
            created_by=user,
            minutes=minutes,
            speed_m_per_min=speed,
            radius_m=radius,
            sites=params.sites,
            division=division,
            background=background,
        )
        audit.record(
            user,
            RUN,
            run,
            data={
                "radius_m": round(radius, 1),
                "minutes": minutes,
                "speed_m_per_min": speed,
                "sites": params.sites,
                "division": division,
                "background": background,
            },
        )
        if background:
            transaction.on_commit(lambda: run_coverage.enqueue(run.pk))
    if not background:
        execute(run.pk, data=data)
        run.refresh_from_db()
    return run


class ProgressWriter:
    """Saves a run's progress to its row at most a few times a second (runs are not in a
    transaction: the page polling the row sees it)."""

    def __init__(self, run: CoverageRun, interval: float = 0.3):
        self.run_id = run.pk
        self.interval = interval
        self.last = 0.0
        self.last_phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.last_phase and now - self.last < self.interval and done < total:
            return
        self.last, self.last_phase = now, phase
        CoverageRun.objects.filter(pk=self.run_id).update(phase=phase[:20], done=done, total=total)


def execute(run_id: int, *, data: CoverageData | None = None) -> str:
    """Compute one run; safe to call again for a run already finished or running (does nothing)."""
    claimed = CoverageRun.objects.filter(pk=run_id, status=CoverageRun.Status.PENDING).update(
        status=CoverageRun.Status.RUNNING, phase="loading"
    )
    run = CoverageRun.objects.select_related("created_by").get(pk=run_id)
    if not claimed:
        return run.status
    start = time.perf_counter()
    try:
        if data is None:
            data = load(run.created_by, division=run.division)
        report = coverage.compute(
            data.settlements,
            data.terminals,
            radius_m=run.radius_m if run.minutes is None else None,
            minutes=run.minutes,
            speed_m_per_min=run.speed_m_per_min,
            sites=run.sites,
            county_names=data.county_names,
            progress=ProgressWriter(run),
        )
        run.report = report.as_dict()
        run.share = report.share
        run.map_points = map_points(data, report)
        run.status = CoverageRun.Status.DONE
    except Exception:
        logger.exception("coverage run %s failed", run_id)
        run.status = CoverageRun.Status.FAILED
        run.error = "internal error (see the server log)"
    run.seconds = time.perf_counter() - start
    run.phase = "done"
    run.finished_at = timezone.now()
    run.save()
    return run.status


@task()
def run_coverage(run_id: int) -> str:
    """Compute one stored coverage run (idempotent: a run already taken is left alone)."""
    return execute(run_id)


def _terminal_url(pk: int) -> str:
    try:
        return reverse("kiosks_terminal", args=[pk])
    except NoReverseMatch:
        return ""


def map_points(data: CoverageData, report: coverage.Report, limit: int = MAP_POINTS) -> list[dict]:
    """What the page's map draws: at most `limit` points, the most telling kept first (proposed
    sites, uncovered key villages, terminals with their reach, covered settlements), listed in the
    opposite order so that they are drawn on top."""
    points: list[dict] = []

    def add(lat: float, lng: float, label: str, kind: str, radius_m: float = 0.0, url: str = "") -> None:
        points.append({"lat": round(float(lat), 6), "lng": round(float(lng), 6), "label": label, "kind": kind,
                       "radius_m": round(radius_m), "url": url})  # fmt: skip

    for site in report.sites:
        add(site.lat, site.lng, f"#{site.rank} {site.name} (+{site.people})", "site", report.radius_m)
    for place in report.uncovered_key_villages[:limit]:
        add(place.lat, place.lng, f"{place.name} ({place.population})", "bad")
    t = data.terminals
    for i in range(min(len(t), max(0, limit - len(points)))):
        code = data.terminal_codes[i]
        add(
            t.lat[i],
            t.lng[i],
            f"{data.terminal_names[i]} ({code})",
            "ok",
            report.radius_m,
            _terminal_url(data.terminal_ids[i]),
        )
    s = data.settlements
    for i in np.flatnonzero(report.covered)[: max(0, limit - len(points))].tolist():
        add(s.lat[i], s.lng[i], s.names[i], "settlement")
    return points[:limit][::-1]
