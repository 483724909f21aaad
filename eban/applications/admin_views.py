"""Back-office pages of applications (办件): the reviewer's queue, one case (applicant masked, the
answers, the materials, the rule check, the timeline) with its decision forms, a material's
download (in scope only, audited), and the follow-ups of low ratings.

Thin: reads through `queries`, every write through `actions` (which check the official's role
and scope again). Each decision form carries the case's `version`: a form from a stale page is
refused (409) instead of overwriting what a colleague did meanwhile.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from eban.catalogue.models import Matter
from eban.core import audit, exceptions
from eban.core.admin_views import StaffPage
from eban.core.masking import mask_id_number, mask_phone

from . import actions, dashboard, deadlines, formschema, permissions, queries
from .enums import Status
from .models import Material, MatterSetup

PER_PAGE = 50

# The decision forms: what each needs and which action it calls.
STEPS = {
    "accept": gettext_lazy("Accept (受理)"),
    "decline": gettext_lazy("Decline (不予受理)"),
    "start_review": gettext_lazy("Take for review"),
    "request_supplement": gettext_lazy("Request a supplement (补正)"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "complete": gettext_lazy("Complete (办结)"),
}
LEVEL_LABELS = {
    deadlines.GREEN: gettext_lazy("On time"),
    deadlines.YELLOW: gettext_lazy("Due soon"),
    deadlines.RED: gettext_lazy("Overdue"),
    deadlines.PAUSED: gettext_lazy("Clock stopped"),
    deadlines.NONE: gettext_lazy("No deadline"),
}
DEADLINE_LABELS = {
    "promised": gettext_lazy("promised deadline"),
    "statutory": gettext_lazy("statutory deadline"),
    "acceptance": gettext_lazy("acceptance deadline"),
}


class CaseAdminView(StaffPage):
    header_icon = "tasks"

    def allowed(self, user) -> bool:
        return permissions.can_view_cases(user)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class QueueView(CaseAdminView):
    template_name = "applications/admin/queue.html"
    page_title = gettext_lazy("Case queue")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in queries.OPEN:
            status = ""
        matter_id = _int(self.request.GET.get("matter"))
        rows = queries.queue_rows(self.request.user, status=status or None, matter_id=matter_id)
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        items = queries.queue_items(list(page.object_list))
        matters = Matter.objects.filter(
            pk__in=queries.for_staff(self.request.user).filter(status__in=queries.OPEN).values("matter_id")
        ).order_by("name")
        query = "&".join(f"{k}={v}" for k, v in (("status", status), ("matter", matter_id or "")) if v)
        context.update(
            page=page,
            items=[_row(item) for item in items],
            statuses=[(s.value, s.label) for s in Status if s in queries.OPEN],
            status=status,
            matters=matters,
            matter_id=matter_id,
            query=query,
            counts={level: sum(1 for r in rows if r.warning.level == level) for level in LEVEL_LABELS},
            level_labels=LEVEL_LABELS,
        )
        return context


def _row(item: queries.QueueItem) -> dict:
    application = item.application
    return {
        "application": application,
        "applicant": _applicant_name(application),
        "level": item.warning.level,
        "level_label": LEVEL_LABELS[item.warning.level],
        "due": item.warning.due,
        "days_left": item.warning.days_left,
        **_time_left(item.warning),
        "deadline": DEADLINE_LABELS.get(item.deadline, ""),
        "escalated": application.escalated_at is not None,
    }


def _time_left(warning: deadlines.Warning) -> dict:
    """{"left": working days left, "late": working days late} (None when not applicable)."""
    days = warning.days_left
    if days is None:
        return {"left": None, "late": None}
    return {"left": days if days >= 0 else None, "late": -days if days < 0 else None}


def _applicant_name(application) -> str:
    if application.enterprise_id:
        return application.enterprise.name
    return application.citizen.masked_name if application.citizen_id else ""


def _answers(application) -> list[tuple[str, str]]:
    """(label, shown value) of each answer, in the form's order; ID and phone numbers masked."""
    setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
    properties = (setup.form_schema.get("properties") or {}) if setup else {}
    rows, data = [], dict(application.form_data or {})
    for name, spec in properties.items():
        if name not in data:
            continue
        rows.append((formschema.text(spec.get("title")) or name, _shown(spec, data.pop(name))))
    rows.extend((name, str(value)) for name, value in data.items())  # answers to fields removed since
    return rows


def _shown(spec: dict, value) -> str:
    if spec.get("format") == "id_number":
        return mask_id_number(str(value))
    if spec.get("format") == "phone":
        return mask_phone(str(value))
    if spec.get("type") == "boolean":
        return _("yes") if value else _("no")
    if "enum" in spec:
        choices = dict(formschema.fields({"properties": {"answer": spec}})[0].choices)
        return str(choices.get(str(value), value))
    return str(value)


class CaseView(CaseAdminView):
    template_name = "applications/admin/case.html"

    def load(self, number, **kwargs):
        try:
            self.application = queries.case_for_staff(self.request.user, number)
        except exceptions.NotFound:
            raise Http404 from None

    parent_crumb = ("applications_queue", gettext_lazy("Case queue"))

    def get_page_title(self):
        return _("Case %(number)s") % {"number": self.application.number}

    def get_context_data(self, form_values=None, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        can_handle = permissions.can_handle(self.request.user, application)
        decision = getattr(application, "decision", None)
        check = None
        if decision is not None and decision.explanation:
            check = _stored_check(decision)
        elif application.status not in (Status.DECLINED, Status.WITHDRAWN):
            check = _live_check(application)
        row = queries.case_warning(application)
        steps = [s for s in STEPS if application.status in actions.FROM[s]] if can_handle else []
        values = {"appeal_route": actions.default_appeal_route(application), **(form_values or {})}
        context.update(
            application=application,
            applicant=_applicant(application),
            answers=_answers(application),
            materials=application.materials.order_by("pk"),
            events=queries.timeline(application, staff=True),
            supplement=application.supplements.filter(answered_at__isnull=True)
            .order_by("-requested_at")
            .first(),
            decision=decision,
            rating=getattr(application, "rating", None),
            check=check,
            warning=row.warning if row else None,
            time_left=_time_left(row.warning) if row else {},
            deadline_label=DEADLINE_LABELS.get(row.deadline, "") if row else "",
            level_label=LEVEL_LABELS[row.warning.level] if row else "",
            steps=[(s, STEPS[s]) for s in steps],
            can_handle=can_handle,
            values=values,
            certificate=queries.certificate_of(application),
            needs_certificate=actions.needs_certificate(application),
        )
        return context

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "")
        if step not in STEPS:
            messages.error(request, _("Unknown step."))
            return self.render_to_response(self.get_context_data(), status=400)
        version = _int(request.POST.get("version"))
        if version is None:
            messages.error(request, _("The form is missing the case's version; reload the page."))
            return self.render_to_response(self.get_context_data(), status=400)
        text = {k: request.POST.get(k, "") for k in ("reasons", "items", "appeal_route", "note")}
        application, user = self.application, request.user
        try:
            if step == "accept":
                actions.accept(application, actor=user, note=text["note"], version=version)
            elif step == "decline":
                actions.decline(
                    application,
                    actor=user,
                    reasons=text["reasons"],
                    appeal_route=text["appeal_route"],
                    version=version,
                )
            elif step == "start_review":
                actions.start_review(application, actor=user, version=version)
            elif step == "request_supplement":
                actions.request_supplement(application, actor=user, items=text["items"], version=version)
            elif step == "approve":
                actions.approve(
                    application,
                    actor=user,
                    reasons=text["reasons"],
                    appeal_route=text["appeal_route"],
                    version=version,
                )
            elif step == "reject":
                actions.reject(
                    application,
                    actor=user,
                    reasons=text["reasons"],
                    appeal_route=text["appeal_route"],
                    version=version,
                )
            else:
                actions.complete(application, actor=user, note=text["note"], version=version)
        except exceptions.DomainError as error:
            messages.error(request, error.message)
            self.application = queries.case_for_staff(user, application.number)
            return self.render_to_response(
                self.get_context_data(form_values={**text, "step": step}), status=error.status_code
            )
        messages.success(
            request,
            _("Case %(number)s: %(step)s — done.") % {"number": application.number, "step": STEPS[step]},
        )
        return redirect("applications_case", number=application.number)


def _applicant(application) -> dict:
    """The applicant as the back office shows them: masked."""
    out = {"enterprise": application.enterprise, "citizen": None, "submitted_by": None}
    if application.citizen_id:
        citizen = application.citizen
        out["citizen"] = {
            "name": citizen.masked_name,
            "id_number": citizen.masked_id_number,
            "phone": citizen.masked_phone if citizen.phone else "",
            "household": citizen.household_division,
        }
    if application.submitted_by_id and application.submitted_by_id != application.citizen_id:
        out["submitted_by"] = {
            "name": application.submitted_by.masked_name,
            "via": _("proxy")
            if application.via_proxy_id
            else _("enterprise agent")
            if application.via_agent_id
            else "",
        }
    return out


def _live_check(application):
    try:
        check = actions.rule_check(application)
    except Exception:  # a broken rule must not hide the case
        return {"error": True}
    if check is None:
        return None
    return {
        "code": check["code"],
        "version": check["version"],
        "evaluation": check["evaluation"],
        "stored": False,
    }


def _stored_check(decision):
    from eban.rules.evaluate import Evaluation

    return {
        "code": decision.rule_code,
        "version": decision.rule_version,
        "evaluation": Evaluation.from_json(decision.explanation),
        "stored": True,
    }


class MaterialDownloadView(CaseAdminView):
    """A material's file, for an official whose scope holds the case; each download is audited."""

    def load(self, number, pk, **kwargs):
        try:
            self.application = queries.case_for_staff(self.request.user, number)
        except exceptions.NotFound:
            raise Http404 from None
        self.material = Material.objects.filter(application=self.application, pk=pk).exclude(file="").first()
        if self.material is None:
            raise Http404

    def get(self, request, *args, **kwargs):
        application, material = self.application, self.material
        audit.record(
            request.user, "applications.material.download", application, data={"material": material.pk}
        )
        extension = material.file.name.rsplit(".", 1)[-1] if "." in material.file.name else "bin"
        return FileResponse(
            material.file.open("rb"),
            as_attachment=True,
            filename=f"{application.number}-{material.pk}.{extension}",
            content_type=material.content_type or "application/octet-stream",
        )


class RatingsView(CaseAdminView):
    template_name = "applications/admin/ratings.html"
    page_title = gettext_lazy("Low ratings to follow up")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "open")
        answered = {"open": False, "answered": True}.get(show)
        ratings = queries.low_ratings(self.request.user, answered=answered)
        context.update(page=Paginator(ratings, PER_PAGE).get_page(self.request.GET.get("p")), show=show)
        return context


class RatingView(CaseAdminView):
    template_name = "applications/admin/rating.html"
    header_icon = "warning"

    def load(self, pk, **kwargs):
        try:
            self.rating = queries.rating_for_staff(self.request.user, pk)
        except exceptions.NotFound:
            raise Http404 from None

    parent_crumb = ("applications_ratings", gettext_lazy("Low ratings to follow up"))

    def get_page_title(self):
        return _("Rating of case %(number)s") % {"number": self.rating.application.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rating=self.rating,
            application=self.rating.application,
            can_reply=permissions.can_handle(self.request.user, self.rating.application),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            actions.reply_to_rating(self.rating, actor=request.user, text=request.POST.get("reply", ""))
        except exceptions.DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(
                self.get_context_data(reply=request.POST.get("reply", "")), status=error.status_code
            )
        messages.success(request, _("Your reply was sent to the applicant."))
        return redirect("applications_rating", pk=self.rating.pk)


class ReviewerQueuePanel(Component):
    """Home page panel: the official's pressing cases (overdue, due soon) with their working-day
    deadlines and links, and how many wait for a supplement (eban.applications.dashboard)."""

    template_name = "applications/admin/dashboard_panel.html"
    order = 10  # first: before Wagtail's own panels

    def __init__(self, board: dashboard.ReviewerDashboard) -> None:
        self.board = board

    def get_context_data(self, parent_context=None):
        board = self.board
        return {
            "board": board,
            "overdue": [_row(item) for item in board.overdue],
            "due_soon": [_row(item) for item in board.due_soon],
            "queue_url": reverse("applications_queue"),
        }


def reviewer_queue_panel(user) -> ReviewerQueuePanel | None:
    board = dashboard.reviewer_dashboard(user)
    return ReviewerQueuePanel(board) if board is not None else None
