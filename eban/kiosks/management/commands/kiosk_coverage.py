"""`eban kiosk-coverage [--minutes 15] [--speed 70] [--radius-m N] [--sites 10] [--division CODE]
[--json FILE]`: the share of people within a walk of an active terminal, the uncovered key
villages and the best new sites (eban.kiosks.coverage.compute), over all the settlements or one
division's. A progress bar on stderr, a summary on stdout, the whole report as JSON on request.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError
from eban.kiosks.coverage import compute as coverage
from eban.kiosks.coverage import runs as coverage_runs

NAMES_SHOWN = 10
PHASES = {"covering": "covering", "candidates": "candidates", "choosing": "new sites", "done": "done"}


def percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"


class ProgressBar:
    """`phase [#####.....]  42%` on one line of a terminal (redrawn), at most ~10 times a second;
    one line per phase when the stream is not a terminal."""

    WIDTH = 30

    def __init__(self, stream, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = 0.0
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        new_phase = phase != self.phase
        finished = total > 0 and done >= total
        if not new_phase and not finished and now - self.last < 0.1:
            return
        if not self.tty and not new_phase and not finished:
            return
        self.last = now
        fraction = min(1.0, done / total) if total else 1.0
        filled = round(self.WIDTH * fraction)
        label = PHASES.get(phase, phase)
        line = f"{label:<11} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction * 100:3.0f}%"
        if self.tty:
            self.stream.write(("\n" if new_phase and self.phase else "\r") + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.phase = phase

    def close(self) -> None:
        if self.enabled and self.tty and self.phase:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Coverage of the kiosk network: share of people within a walk of a terminal, uncovered key "
        "villages, best new sites (greedy)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=float,
            default=None,
            help=f"walking minutes (default {coverage.DEFAULT_MINUTES:g})",
        )
        parser.add_argument(
            "--speed", type=float, default=None, help="walking speed in metres a minute (default 70)"
        )
        parser.add_argument(
            "--radius-m", type=float, default=None, help="a straight radius in metres instead"
        )
        parser.add_argument("--sites", type=int, default=10, help="new sites to propose (default 10)")
        parser.add_argument("--division", default="", help="only this division's settlements and terminals")
        parser.add_argument(
            "--json", dest="json_file", default=None, help="write the whole report to this file"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["sites"] < 0:
            raise CommandError("--sites must be 0 or more")
        try:
            radius = coverage.radius_for(
                minutes=options["minutes"], speed_m_per_min=options["speed"], radius_m=options["radius_m"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        bar = ProgressBar(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr,
                          enabled=not options["no_progress"])  # fmt: skip
        bar("loading", 0, 1)
        start = time.perf_counter()
        try:
            data = coverage_runs.load(None, division=options["division"])
        except DomainError as error:
            raise CommandError(error.message) from None
        bar("loading", 1, 1)
        loaded = time.perf_counter()
        report = coverage.compute(
            data.settlements,
            data.terminals,
            radius_m=options["radius_m"],
            minutes=options["minutes"],
            speed_m_per_min=options["speed"],
            sites=options["sites"],
            county_names=data.county_names,
            progress=bar,
        )
        bar.close()
        computed = time.perf_counter()
        if options["json_file"]:
            Path(options["json_file"]).write_text(report.to_json(indent=2) + "\n", encoding="utf-8")
        self.summary(report, radius, options)
        self.stdout.write(
            _("Loaded in %(load).2f s, computed in %(compute).2f s.")
            % {"load": loaded - start, "compute": computed - loaded}
        )

    def summary(self, report: coverage.Report, radius: float, options: dict) -> None:
        out = self.stdout.write
        if report.minutes is not None:
            out(
                _("Reach: a %(minutes)g-minute walk (%(radius).0f m in a straight line).")
                % {"minutes": report.minutes, "radius": radius}
            )
        else:
            out(_("Reach: %(radius).0f m in a straight line.") % {"radius": radius})
        if options["division"]:
            out(_("Division: %(code)s") % {"code": options["division"]})
        out(
            _("%(terminals)d terminals in service, %(settlements)d settlements, %(people)d people.")
            % {"terminals": report.terminals, "settlements": report.settlements, "people": report.population}
        )
        out(
            _("Share of people covered: %(share)s (%(covered)d people; %(places)d of %(total)d settlements).")
            % {
                "share": percent(report.share),
                "covered": report.covered_population,
                "places": report.covered_settlements,
                "total": report.settlements,
            }
        )
        out(_("People not covered: %(n)d") % {"n": report.uncovered_population})
        gaps = report.uncovered_key_villages
        out(
            _("Key villages not covered: %(n)d of %(total)d") % {"n": len(gaps), "total": report.key_villages}
        )
        for place in gaps[:NAMES_SHOWN]:
            out(f"  - {place.name} ({place.code}, {place.population})")
        if len(gaps) > NAMES_SHOWN:
            out("  " + _("… and %(n)d more") % {"n": len(gaps) - NAMES_SHOWN})
        if report.counties:
            out(_("Per county:"))
            for county in report.counties:
                name = county.name if county.code else _("no division")
                out(
                    f"  {name:<12} {percent(county.share):>7}  ({county.covered_population}/{county.population})"
                )
        if options["sites"]:
            out(_("Proposed new sites (greedy, each adds the most people not yet covered):"))
            for site in report.sites:
                out(
                    "  "
                    + _(
                        "%(rank)d. %(name)s (%(code)s, %(lat).5f, %(lng).5f): +%(people)d people, %(share)s in all"
                    )
                    % {
                        "rank": site.rank,
                        "name": site.name,
                        "code": site.code,
                        "lat": site.lat,
                        "lng": site.lng,
                        "people": site.people,
                        "share": percent(site.cumulative_share),
                    }
                )
            if not report.sites:
                out("  " + _("none: nobody is left to cover"))
