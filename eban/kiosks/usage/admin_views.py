"""Kiosks → Usage in the back office: how much the terminals are used, for a period (last 30
days, last 6 months or a custom range) and a division. Charts (ECharts, fed by json_script)
of transactions per month, top matters, busiest and idle terminals and by county, each followed
by its table (the charts are an extra: the tables carry the same figures); an .xlsx export of the
same selection (audited).

Thin: the figures come from usage.queries (scoped to the official: division_q, terminals_for).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.core.exceptions import DomainError

from ..admin_pages import OperatorPage
from ..enums import TransactionKind
from ..permissions import divisions_for
from . import export as usage_export
from . import queries as q

TOP = 10
PERIODS = {
    "30d": gettext_lazy("Last 30 days"),
    "6m": gettext_lazy("Last 6 months"),
    "custom": gettext_lazy("Custom range"),
}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def division_choices(user):
    """The city and the county-level divisions the official may see."""
    return divisions_for(user).filter(level__in=["city", "county"]).order_by("code")


def selection_of(request) -> tuple[q.Selection, dict]:
    """The selection the GET parameters ask for (bad input: the default, with a message)."""
    get, user = request.GET, request.user
    period_key = get.get("period", "30d") if get.get("period") in PERIODS else "30d"
    error = ""
    if period_key == "custom":
        try:
            period = q.custom_period(_date(get.get("start", "")), _date(get.get("end", "")))
        except DomainError as exc:
            error, period_key, period = exc.message, "30d", q.last_days(30)
    elif period_key == "6m":
        period = q.last_months(6)
    else:
        period = q.last_days(30)
    code = get.get("division", "").strip()[:12]
    division = division_choices(user).filter(code=code).first() if code else None
    query = {"period": period_key, "division": division.code if division else ""}
    if period_key == "custom":
        query.update(start=period.start.isoformat(), end=period.end.isoformat())
    return q.Selection(user, period, division), {"period_key": period_key, "error": error, "query": query}


class UsageView(OperatorPage):
    template_name = "kiosks/admin/usage.html"
    page_title = gettext_lazy("Kiosk usage")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selection, form = selection_of(self.request)
        months = q.by_month(selection)
        matters = q.by_matter(selection, TOP)
        table = q.all_terminals(selection)
        busiest = q.busiest_terminals(selection, TOP, table=table)
        idle = q.idle_terminals(selection, TOP, table=table)
        counties = q.by_county(selection)
        kinds = q.by_kind(selection)
        charts = {
            "months": {
                "title": _("Transactions per month"),
                "labels": [m.strftime("%Y-%m") for m, _n in months],
                "values": [n for _m, n in months],
            },
            "matters": {
                "title": _("Top matters"),
                "labels": [m.display_name for m in matters],
                "values": [m.count for m in matters],
            },
            "busiest": {
                "title": _("Busiest terminals"),
                "labels": [t.code for t in busiest],
                "values": [t.count for t in busiest],
            },
            "idle": {
                "title": _("Idle terminals"),
                "labels": [t.code for t in idle],
                "values": [t.count for t in idle],
            },
            "counties": {
                "title": _("Transactions by county"),
                "labels": [d.display_name for d in counties],
                "values": [d.count for d in counties],
            },
        }
        export_query = "&".join(f"{k}={v}" for k, v in form["query"].items() if v)
        context.update(
            periods=list(PERIODS.items()),
            period=selection.period,
            divisions=division_choices(self.request.user),
            division=selection.division,
            total=sum(kinds.values()),
            kinds=[(label, kinds.get(value, 0)) for value, label in TransactionKind.choices],
            terminal_total=len(table),
            months=months,
            matters=matters,
            busiest=busiest,
            idle=idle,
            counties=counties,
            charts=charts,
            has_sample=any(t.is_sample for t in table),
            export_url=f"{reverse('kiosks_usage_export')}?{export_query}",
            top=TOP,
            **form,
        )
        return context


class UsageExportView(OperatorPage):
    """The .xlsx of the same selection (audited by usage.export)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        selection, _form = selection_of(request)
        data = usage_export.export(selection, actor=request.user)
        name = f"kiosk-usage-{selection.period.start:%Y%m%d}-{selection.period.end:%Y%m%d}"
        if selection.division is not None:
            name += f"-{selection.division.code}"
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


urlpatterns = [
    path("kiosks/usage/", UsageView.as_view(), name="kiosks_usage"),
    path("kiosks/usage/export.xlsx", UsageExportView.as_view(), name="kiosks_usage_export"),
]

MENU_ITEMS = [
    (gettext_lazy("Usage"), "kiosks_usage", "list-ul", 60),
]
