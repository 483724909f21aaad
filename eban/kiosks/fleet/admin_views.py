"""The fleet in the back office (Kiosks → Fleet, Alerts, Refused heartbeats, Add a terminal):
the list and map of terminals with their health, one terminal (data, health, heartbeats,
alerts, its token and a pairing link for its screen), adding and changing terminals.

Every query of terminals goes through permissions.terminals_for (alerts and heartbeats through
their terminal): an operator sees and changes only the terminals of their divisions, whatever id
is put in the URL (404 otherwise). Writes go through eban.kiosks.actions (terminals, tokens: checked and audited). A new
token is shown once, in the answer to the POST that issued it; it is never stored or logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.accounts.permissions import staff_scope
from eban.catalogue.models import Matter
from eban.core import exceptions
from eban.government.divisions import code_prefix

from .. import hours, maps
from ..actions import terminals
from ..actions import tokens as token_actions
from ..admin_pages import OperatorPage
from ..enums import AlertKind, Hardware, Level
from ..health import STATUSES, silent_minutes, status_of, status_q
from ..models import Alert, Heartbeat, RefusedHeartbeat, Terminal
from ..permissions import divisions_for, terminals_for

PER_PAGE = 50
MAP_POINTS = 3000  # more points than this and the map shows the first ones (the list has all)
HEARTBEATS_SHOWN = 20


class FleetAdminView(OperatorPage):
    header_icon = "desktop"
    parent_crumb = ("kiosks_fleet", gettext_lazy("Fleet"))


class FleetView(FleetAdminView):
    template_name = "kiosks/admin/fleet.html"
    page_title = gettext_lazy("Fleet")
    parent_crumb = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get, now, user = self.request.GET, timezone.now(), self.request.user
        mine = terminals_for(user)
        division = get.get("division", "").strip()[:12]
        level = get.get("level", "") if get.get("level", "") in Level.values else ""
        status = get.get("status", "") if get.get("status", "") in STATUSES else ""
        search = get.get("q", "").strip()[:100]
        selection = mine
        if division:
            selection = selection.filter(division__code__startswith=code_prefix(division))
        if level:
            selection = selection.filter(level=level)
        if search:
            selection = selection.filter(
                Q(code__icontains=search) | Q(name__icontains=search) | Q(name_en__icontains=search)
            )
        counts = selection.aggregate(
            total=Count("pk"),
            **{name: Count("pk", filter=status_q(name, now)) for name in STATUSES},
        )
        if status:
            selection = selection.filter(status_q(status, now))
        selection = selection.select_related("division").order_by("code")
        page = Paginator(selection, PER_PAGE).get_page(get.get("p"))
        rows = [(t, *status_of(t, now)) for t in page.object_list]
        points = [
            maps.MapPoint(t.latitude, t.longitude, f"{t.code} {t.name}", status_of(t, now)[0],
                          reverse("kiosks_terminal", args=[t.pk]))
            for t in selection.select_related(None).only(
                "pk", "code", "name", "latitude", "longitude", "active", "last_seen_at", "paper_level",
                "printer_state", "camera_state", "online",
            )[:MAP_POINTS]
        ]  # fmt: skip
        query = "&".join(
            f"{k}={v}" for k, v in (("division", division), ("level", level), ("status", status), ("q", search)) if v
        )  # fmt: skip
        context.update(
            page=page,
            rows=rows,
            counts=[(name, label, counts[name]) for name, label in STATUSES.items()],
            total=counts["total"],
            open_alerts=Alert.objects.filter(closed_at__isnull=True, terminal__in=mine).count(),
            divisions=divisions_for(user)
            .filter(level__in=["city", "county", "township"])
            .order_by("code")[:500],
            levels=Level.choices,
            statuses=list(STATUSES.items()),
            division=division,
            level=level,
            status=status,
            search=search,
            query=query,
            map_capped=counts["total"] > MAP_POINTS if not status else len(points) >= MAP_POINTS,
            map_points_max=MAP_POINTS,
            has_sample=selection.filter(is_sample=True).exists(),
            silent_minutes=silent_minutes(),
            **maps.map_context(points, label=_("Map of the terminals listed")),
        )
        return context


class TerminalView(FleetAdminView):
    template_name = "kiosks/admin/terminal.html"

    def load(self, pk, **kwargs):
        self.terminal = terminals_for(self.request.user).select_related("division").filter(pk=pk).first()
        if self.terminal is None:
            raise Http404

    def get_page_title(self):
        return _("Terminal %(code)s") % {"code": self.terminal.code}

    def get_context_data(self, token: str = "", pairing_url: str = "", **kwargs):
        context = super().get_context_data(**kwargs)
        terminal, now = self.terminal, timezone.now()
        kind, label = status_of(terminal, now)
        alerts = terminal.alerts.all()
        context.update(
            terminal=terminal,
            status_kind=kind,
            status_label=label,
            hardware=[label for value, label in Hardware.choices if terminal.has(value)],
            hours_lines=hours.describe(terminal),
            matters=terminal.matters.order_by("name")[:200],
            heartbeats=Heartbeat.objects.filter(terminal=terminal).order_by("-received_at")[
                :HEARTBEATS_SHOWN
            ],
            open_alerts=alerts.filter(closed_at__isnull=True).order_by("-opened_at"),
            past_alerts=alerts.filter(closed_at__isnull=False).order_by("-opened_at")[:20],
            token=token,
            pairing_url=pairing_url,
            pairing_qr=mark_safe(_qr(pairing_url)) if pairing_url else "",  # segno's SVG of our own URL
            **maps.map_context(
                [maps.MapPoint(terminal.latitude, terminal.longitude, terminal.code, kind)],
                label=_("Where the terminal stands"),
                height_px=260,
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        terminal = self.terminal
        try:
            if action in ("issue", "rotate"):
                token = token_actions.issue_token(terminal, actor=request.user)
                messages.success(
                    request,
                    _("A new token was issued. Copy it now: it is shown only once.")
                    if action == "issue"
                    else _("The token was rotated: the old one no longer works. Copy the new one now."),
                )
                response = self.render_to_response(self.get_context_data(token=token))
                response["Cache-Control"] = "no-store"
                return response
            if action == "revoke":
                token_actions.revoke_token(terminal, actor=request.user)
                messages.success(request, _("The token was revoked: the terminal can no longer report."))
                return redirect("kiosks_terminal", pk=terminal.pk)
            if action == "pair":
                link = request.build_absolute_uri(
                    token_actions.make_pairing_link(terminal, actor=request.user)
                )
                response = self.render_to_response(self.get_context_data(pairing_url=link))
                response["Cache-Control"] = "no-store"
                return response
        except exceptions.DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(), status=error.status_code)
        messages.error(request, _("Unknown action."))
        return self.render_to_response(self.get_context_data(), status=400)


def _qr(text: str) -> str:
    import segno

    return segno.make(text, error="m", micro=False).svg_inline(scale=4, border=2, dark="#000")


def _form_data(post) -> dict:
    data = {name: post.get(name, "") for name in (
        "code", "name", "name_en", "level", "division", "address", "latitude", "longitude",
    )}  # fmt: skip
    data["hardware"] = post.getlist("hardware")
    data["matters"] = post.getlist("matters")
    data["active"] = post.get("active") == "on"
    data["opening_hours"] = _hours_of(post)
    return data


WEEKDAYS = (
    ("mon", gettext_lazy("Monday")),
    ("tue", gettext_lazy("Tuesday")),
    ("wed", gettext_lazy("Wednesday")),
    ("thu", gettext_lazy("Thursday")),
    ("fri", gettext_lazy("Friday")),
    ("sat", gettext_lazy("Saturday")),
    ("sun", gettext_lazy("Sunday")),
)


def _spans(text: str) -> list[list[str]] | str:
    """ "08:30-12:00, 13:30-17:30" → [["08:30", "12:00"], ["13:30", "17:30"]]; "" → [] (closed).
    Text that is not of that shape is passed on as it is, for check_hours to refuse."""
    spans = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        start, dash, end = part.replace("–", "-").partition("-")
        if not dash:
            return text
        spans.append([start.strip(), end.strip()])
    return spans


def _hours_of(post) -> dict:
    if post.get("always") == "on":
        return {"always": True}
    hours: dict = {"weekly": {day: _spans(post.get(f"hours_{day}", "")) for day, _label in WEEKDAYS}}
    if post.get("holiday_mode") == "own":
        hours["holidays"] = _spans(post.get("hours_holidays", ""))
    return hours


def _text_of_spans(spans) -> str:
    if not isinstance(spans, list):
        return str(spans or "")
    return ", ".join(f"{s[0]}-{s[1]}" for s in spans if isinstance(s, list | tuple) and len(s) == 2)


def _form_values(terminal: Terminal | None, data: dict | None = None) -> dict:
    """The form's values: what was posted (after a refusal), else the terminal's."""
    if data is not None:
        values = dict(data)
    elif terminal is not None:
        values = {
            "code": terminal.code, "name": terminal.name, "name_en": terminal.name_en,
            "level": terminal.level, "division": terminal.division.code, "address": terminal.address,
            "latitude": terminal.latitude, "longitude": terminal.longitude,
            "hardware": terminal.hardware or [], "matters": [m.pk for m in terminal.matters.all()],
            "active": terminal.active, "opening_hours": terminal.opening_hours or {},
        }  # fmt: skip
    else:
        values = {
            "hardware": [Hardware.ID_READER, Hardware.CAMERA, Hardware.PRINTER],
            "active": True,
            "opening_hours": {"always": True},
            "matters": [],
        }
    hours = values.get("opening_hours") or {}
    weekly = hours.get("weekly") or {}
    values["always"] = bool(hours.get("always"))
    values["days"] = [(day, label, _text_of_spans(weekly.get(day, []))) for day, label in WEEKDAYS]
    values["holiday_own"] = "holidays" in hours
    values["holidays_text"] = _text_of_spans(hours.get("holidays", []))
    values["matters"] = [str(m) for m in values.get("matters", [])]
    return values


class TerminalFormView(FleetAdminView):
    template_name = "kiosks/admin/terminal_form.html"
    terminal: Terminal | None = None

    def get_context_data(self, values=None, errors=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            terminal=self.terminal,
            values=values or _form_values(self.terminal),
            errors=errors or {},
            levels=Level.choices,
            hardware_choices=Hardware.choices,
            divisions=divisions_for(self.request.user).order_by("code")[:2000],
            matters_choices=Matter.objects.filter(live=True)
            .order_by("name")
            .only("pk", "name", "name_en")[:500],
        )
        return context

    def submit(self, data):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        data = _form_data(request.POST)
        try:
            terminal = self.submit(data)
        except terminals.TerminalInvalid as error:
            messages.error(request, _("The terminal was not saved: see the problems below."))
            return self.render_to_response(
                self.get_context_data(values=_form_values(None, data), errors=error.errors), status=422
            )
        except exceptions.DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(
                self.get_context_data(values=_form_values(None, data)), status=error.status_code
            )
        messages.success(request, _("Terminal %(code)s saved.") % {"code": terminal.code})
        return redirect("kiosks_terminal", pk=terminal.pk)


class TerminalAddView(TerminalFormView):
    page_title = gettext_lazy("Add a terminal")

    def submit(self, data):
        return terminals.create_terminal(data, actor=self.request.user)


class TerminalEditView(TerminalFormView):
    def load(self, pk, **kwargs):
        self.terminal = terminals_for(self.request.user).select_related("division").filter(pk=pk).first()
        if self.terminal is None:
            raise Http404

    def get_page_title(self):
        return _("Change terminal %(code)s") % {"code": self.terminal.code}

    def submit(self, data):
        return terminals.update_terminal(self.terminal, data, actor=self.request.user)


class AlertsView(FleetAdminView):
    template_name = "kiosks/admin/alerts.html"
    page_title = gettext_lazy("Alerts")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in AlertKind.values else ""
        alerts = (
            Alert.objects.filter(closed_at__isnull=True, terminal__in=terminals_for(self.request.user))
            .select_related("terminal", "terminal__division")
            .order_by("-opened_at", "-pk")
        )
        counts = dict(alerts.order_by().values_list("kind").annotate(n=Count("pk")))
        if kind:
            alerts = alerts.filter(kind=kind)
        context.update(
            page=Paginator(alerts, PER_PAGE).get_page(self.request.GET.get("p")),
            kinds=[(value, label, counts.get(value, 0)) for value, label in AlertKind.choices],
            kind=kind,
            query=f"kind={kind}" if kind else "",
            now=timezone.now(),
        )
        return context


class RefusedView(FleetAdminView):
    template_name = "kiosks/admin/alerts_refused.html"
    page_title = gettext_lazy("Refused heartbeats")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = terminals_for(self.request.user)
        rows = RefusedHeartbeat.objects.order_by("-received_at", "-pk")
        if not staff_scope(self.request.user).everything:  # an operator: refusals naming their terminals
            rows = rows.filter(claimed_code__in=mine.values("code"))
        context.update(page=Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p")), query="")
        return context


urlpatterns = [
    path("kiosks/fleet/", FleetView.as_view(), name="kiosks_fleet"),
    path("kiosks/terminals/add/", TerminalAddView.as_view(), name="kiosks_terminal_add"),
    path("kiosks/terminals/<int:pk>/", TerminalView.as_view(), name="kiosks_terminal"),
    path("kiosks/terminals/<int:pk>/edit/", TerminalEditView.as_view(), name="kiosks_terminal_edit"),
    path("kiosks/alerts/", AlertsView.as_view(), name="kiosks_alerts"),
    path("kiosks/refused-heartbeats/", RefusedView.as_view(), name="kiosks_refused"),
]

MENU_ITEMS = [
    (gettext_lazy("Fleet"), "kiosks_fleet", "desktop", 10),
    (gettext_lazy("Alerts"), "kiosks_alerts", "warning", 20),
    (gettext_lazy("Refused heartbeats"), "kiosks_refused", "warning", 30),
    (gettext_lazy("Add a terminal"), "kiosks_terminal_add", "plus", 40),
]
