"""Coverage in the back office (Kiosks → Coverage): the share of people within a walk of a
terminal, per county, the uncovered key villages and the best new sites, on a map and in tables.

The parameters are a GET form; submitting it (or opening the page) starts a run
(coverage.runs.start_run: audited, scoped to the operator's divisions) and redirects to the run's
own address, so paging through the tables does not compute again. A small run (Wenzhou's scale)
is computed during the request; a large one runs in the background and the page shows its
progress until it is done. An operator sees only their own runs (platform administrators: all).
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.core import exceptions
from eban.core.admin_views import progress_answer

from .. import maps
from ..admin_pages import OperatorPage
from ..models import CoverageRun
from . import compute as coverage
from . import runs as coverage_runs

PER_PAGE = 50
RECENT_RUNS = 10
PHASES = {
    "": gettext_lazy("Waiting to start"),
    "loading": gettext_lazy("Loading settlements and terminals"),
    "covering": gettext_lazy("Finding the settlements within reach"),
    "candidates": gettext_lazy("Finding what each new site would reach"),
    "choosing": gettext_lazy("Choosing the new sites"),
    "done": gettext_lazy("Finished"),
}
FORM_FIELDS = ("minutes", "sites", "division")


class CoverageForm(forms.Form):
    minutes = forms.FloatField(
        label=gettext_lazy("Walking minutes"),
        min_value=1,
        max_value=120,
        initial=coverage.DEFAULT_MINUTES,
        required=False,
        help_text=gettext_lazy("A settlement is covered when a terminal is within this walk."),
    )
    sites = forms.IntegerField(
        label=gettext_lazy("New sites to propose"), min_value=0, max_value=coverage_runs.MAX_SITES, initial=10,
        required=False,
    )  # fmt: skip
    division = forms.ChoiceField(label=gettext_lazy("Division"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", _("All my divisions")), *coverage_runs.division_choices(user)]

    def parameters(self) -> coverage_runs.Parameters:
        data = self.cleaned_data
        minutes = data.get("minutes")
        sites = data.get("sites")
        return coverage_runs.Parameters(
            minutes=coverage.DEFAULT_MINUTES if minutes is None else minutes,
            sites=10 if sites is None else sites,
            division=data.get("division") or "",
        )


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal ("—" when there is nobody to share)."""
    return "—" if share is None else f"{100 * share:.1f} %"


def _run_for(request, run_id: int) -> CoverageRun:
    run = coverage_runs.runs_for(request.user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


class CoverageView(OperatorPage):
    template_name = "kiosks/admin/coverage.html"
    page_title = gettext_lazy("Coverage")
    header_icon = "site"

    def get(self, request, *args, **kwargs):
        self.run = None
        run_id = request.GET.get("run", "")
        if run_id:
            if not run_id.isdigit():
                raise Http404
            self.run = _run_for(request, int(run_id))
            self.form = CoverageForm(user=request.user, initial=self.initial_of(self.run))
            return super().get(request, *args, **kwargs)
        self.form = CoverageForm(request.GET or None, user=request.user)
        if request.GET and not self.form.is_valid():
            return super().get(request, *args, **kwargs)
        params = self.form.parameters() if request.GET else coverage_runs.Parameters()
        try:
            run = coverage_runs.start_run(request.user, params)
        except exceptions.DomainError as error:
            self.form.add_error(None, error.message)
            return super().get(request, *args, **kwargs)
        return redirect(f"{reverse('kiosks_coverage')}?{urlencode({'run': run.pk})}")

    @staticmethod
    def initial_of(run: CoverageRun) -> dict:
        return {"minutes": run.minutes, "sites": run.sites, "division": run.division}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get, run = self.request.GET, self.run
        context.update(
            form=self.form,
            run=run,
            runs=coverage_runs.runs_for(self.request.user)
            .filter(created_by=self.request.user)
            .only("pk", "created_at", "radius_m", "division", "status", "share")[:RECENT_RUNS],
        )
        if run is None:
            return context
        base = {"run": run.pk}
        context.update(
            phase_label=PHASES.get(run.phase, run.phase),
            status_url=reverse("kiosks_coverage_status", args=[run.pk]),
        )
        if run.status != CoverageRun.Status.DONE:
            return context
        report = run.report
        county_rows = [{**c, "share_pct": percent(c["share"])} for c in report.get("counties", [])]
        counties = Paginator(county_rows, PER_PAGE).get_page(get.get("cp"))
        county_names = {c["code"]: c["name"] for c in county_rows}
        village_rows = [
            {**v, "county_name": county_names.get(v["county"], v["county"])}
            for v in report.get("uncovered_key_villages", [])
        ]
        villages = Paginator(village_rows, PER_PAGE).get_page(get.get("vp"))
        points = [
            maps.MapPoint(p["lat"], p["lng"], p["label"], p["kind"], p.get("url", ""), p.get("radius_m", 0))
            for p in run.map_points
        ]
        settlements, terminals = coverage_runs.querysets(self.request.user, run.division)
        context.update(
            report=report,
            counties=counties,
            counties_query=urlencode({**base, "vp": villages.number}),
            villages=villages,
            villages_query=urlencode({**base, "cp": counties.number}),
            share_pct=percent(report.get("share")),
            share_with_sites_pct=percent(report.get("share_with_sites")),
            sites=[
                {**s, "county_name": county_names.get(s["county"], s["county"]),
                 "cumulative_pct": percent(s["cumulative_share"])}
                for s in report.get("sites", [])
            ],
            map_capped=len(points) >= coverage_runs.MAP_POINTS,
            map_points_max=coverage_runs.MAP_POINTS,
            has_sample=settlements.filter(is_sample=True).exists() or terminals.filter(is_sample=True).exists(),
            **maps.map_context(points, label=_("Map of coverage: terminals with their reach, uncovered key "
                                               "villages and proposed new sites")),
        )  # fmt: skip
        return context


class RunStatusView(OperatorPage):
    """The progress of one run, polled by the page's progress bar (JSON)."""

    http_method_names = ["get"]

    def load(self, run_id: int, **kwargs) -> None:
        self.run = _run_for(self.request, run_id)

    def get(self, request, *args, **kwargs):
        return progress_answer(self.run, PHASES)


urlpatterns = [
    path("kiosks/coverage/", CoverageView.as_view(), name="kiosks_coverage"),
    path("kiosks/coverage/runs/<int:run_id>/status/", RunStatusView.as_view(), name="kiosks_coverage_status"),
]

MENU_ITEMS = [
    (gettext_lazy("Coverage"), "kiosks_coverage", "site", 50),
]
