"""The workflow of an application (办件): every write, as a named transition.

Each transition checks who acts (staff: a reviewer or department administrator whose scope holds
the case; applicant side: the applicant or whoever acts for them), locks the application row
(`select_for_update`), checks the state (InvalidTransition, 409, naming the current state) and,
when the caller says which version it saw, the version (StalePage, 409), then makes the change,
adds an Event to the timeline, bumps `version`, records an audit entry and creates the
notifications — all in one transaction (the notifications app sends them after commit).

    submitted ──accept──▶ accepted ──start_review──▶ under_review ──approve──▶ approved ──complete──▶ completed
        │                    │  └───────────approve / reject──────────┘  └──reject──▶ rejected ──complete──┘
        ├──decline──▶ declined
        └─(submitted, accepted, under_review)──request_supplement──▶ supplement ──resubmit──▶ back
    withdraw: by the applicant from submitted, accepted, under_review or supplement.

Deadlines and clock stops are worked out in eban.applications.deadlines (see there).
Two officials deciding at once: the second waits for the first's row lock, then finds the case
decided and gets "already decided" (a Conflict); a form from a stale page carries the version it
showed and is refused when the case has moved on since.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.accounts.enums import StaffRole
from eban.accounts.grants.acting import Acting
from eban.accounts.models import Citizen
from eban.accounts.permissions import code_prefix
from eban.catalogue.models import Matter
from eban.core import audit
from eban.core.exceptions import Conflict, DomainError, PermissionDenied
from eban.government.models import Division
from eban.workdays.calendar import CalendarYearMissing
from eban.workdays.queries import working_days_between

from . import deadlines, forms, materials, permissions
from .enums import FINAL, Channel, MaterialSource, Outcome, Status
from .models import (
    Application,
    CaseCounter,
    Decision,
    Event,
    Material,
    MatterSetup,
    Rating,
    SupplementRequest,
)

logger = logging.getLogger(__name__)

MAX_TEXT = 2000  # reasons, supplement items, notes, comments, replies

# The label of each transition, for messages ("… cannot be <label> now").
ACTIONS = {
    "accept": gettext_lazy("accepted"),
    "decline": gettext_lazy("declined"),
    "start_review": gettext_lazy("taken for review"),
    "request_supplement": gettext_lazy("sent back for a supplement"),
    "resubmit": gettext_lazy("resubmitted"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "complete": gettext_lazy("completed"),
    "withdraw": gettext_lazy("withdrawn"),
}
# The states each transition starts from.
FROM = {
    "accept": {Status.SUBMITTED},
    "decline": {Status.SUBMITTED},
    "start_review": {Status.ACCEPTED},
    "request_supplement": {Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW},
    "resubmit": {Status.SUPPLEMENT},
    "approve": {Status.ACCEPTED, Status.UNDER_REVIEW},
    "reject": {Status.ACCEPTED, Status.UNDER_REVIEW},
    "complete": {Status.APPROVED, Status.REJECTED},
    "withdraw": {Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.SUPPLEMENT},
}
DECISIONS = {"accept", "decline", "approve", "reject"}
DECIDED = {Status.DECLINED, Status.APPROVED, Status.REJECTED, Status.COMPLETED}


class InvalidTransition(Conflict):
    """The case is not in a state this step can start from (someone else moved it first)."""

    code = "invalid_transition"

    def __init__(self, application: Application, action: str) -> None:
        status = Status(application.status)
        params = {"number": application.number, "status": status.label, "action": ACTIONS[action]}
        if action in DECISIONS and status in DECIDED:
            message = _(
                "Case %(number)s was already decided (now “%(status)s”): it cannot be %(action)s "
                "again. Reload the page to see the decision."
            )
        else:
            message = _("Case %(number)s is “%(status)s”: it cannot be %(action)s now.")
        super().__init__(message % params, details={"status": status.value, "action": action})


class StalePage(Conflict):
    """The form was made from a version of the case that has changed since."""

    code = "stale"

    def __init__(self, application: Application) -> None:
        super().__init__(
            _(
                "Case %(number)s has changed since this page was opened (it is now “%(status)s”). "
                "Reload the page and check before you act."
            )
            % {"number": application.number, "status": Status(application.status).label},
            details={"status": application.status, "version": application.version},
        )


# --- small helpers --------------------------------------------------------------------------------


def _text(value: str | None, *, required: bool, what: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("Write the %(what)s.") % {"what": what}, code="required")
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("The %(what)s must be at most %(max)s characters.") % {"what": what, "max": MAX_TEXT},
            code="too_long",
        )
    return text


def _ensure_staff(user: Any, application: Application) -> None:
    if not permissions.can_handle(user, application):
        raise PermissionDenied(
            _("Only a reviewer or an administrator of the department handling case %(number)s may do this.")
            % {"number": application.number}
        )


def _ensure_applicant(acting: Acting, application: Application) -> Acting:
    if not permissions.is_applicant_side(acting, application):
        raise PermissionDenied(_("Only the applicant, or someone authorised to act for them, may do this."))
    return permissions.recheck(acting, application)


def _lock(application: Application, action: str, version: int | None) -> Application:
    """The application re-read under a row lock, in a state `action` may start from."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in FROM[action]:
        raise InvalidTransition(locked, action)
    if version is not None and locked.version != int(version):
        raise StalePage(locked)
    return locked


def _move(
    application: Application,
    status: Status,
    *,
    kind: str,
    actor: Any,
    note: str = "",
    data: dict | None = None,
    audit_data: dict | None = None,
    fields: Iterable[str] = (),
) -> Event:
    """Save the new state with its event and audit entry (inside the caller's transaction)."""
    previous = application.status
    application.status = status
    application.version += 1
    application.save(update_fields=["status", "version", "updated_at", *fields])
    user = audit.unwrap(actor) if getattr(actor, "is_authenticated", False) else None
    event = Event.objects.create(
        application=application, kind=kind, status=status, actor_user=user, note=note, data=data or {}
    )
    audit.record(
        user,
        f"applications.application.{kind}",
        application,
        data={"from": previous, "to": str(status), "version": application.version, **(audit_data or {})},
    )
    return event


def _now() -> datetime.datetime:
    return timezone.now()


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


# --- notifications ---------------------------------------------------------------------------------


def _send(template_code: str, *, reference: str, context: dict, user=None, phone: str = "") -> None:
    """Create a notification (the notifications app sends it after commit). A failure to create
    it (a template with a field missing …) is logged and never undoes the step that caused it."""
    from eban.notifications.actions import notify

    try:
        with transaction.atomic():
            notify(template_code, user=user, phone=phone, context=context, reference=reference)
    except Exception:
        logger.exception("notification %s for case %s could not be created", template_code, reference)


def _context(application: Application, **extra: Any) -> dict:
    """The named fields of the notification kinds (eban.notifications.kinds)."""
    return {
        "case_number": application.number,
        "matter": application.matter.name,
        "department": application.department.name,
        **extra,
    }


def _deadline_unknown() -> str:
    return _("to be set once the holiday calendar is published")


def notify_applicant(application: Application, template_code: str, **extra: Any) -> None:
    """Tell the applicant — and whoever submitted for them (a proxy, an enterprise's agent) —
    in their inbox and by SMS."""
    recipients: list[Citizen] = []
    if application.citizen_id:
        recipients.append(application.citizen)
    if application.submitted_by_id and application.submitted_by_id != application.citizen_id:
        recipients.append(application.submitted_by)
    context = _context(application, **extra)
    for citizen in recipients:
        _send(
            template_code,
            reference=application.number,
            context=context,
            user=citizen.user,
            phone=citizen.phone,
        )


def department_admins(department_id: int):
    """The active department administrators of a department."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_profile__department_id=department_id,
            groups__name=StaffRole.DEPARTMENT_ADMIN.group_name,
        )
        .distinct()
        .order_by("pk")
    )


def notify_department_admins(application: Application, template_code: str, **extra: Any) -> int:
    context = _context(application, **extra)
    admins = list(department_admins(application.department_id))
    for user in admins:
        _send(template_code, reference=application.number, context=context, user=user)
    return len(admins)


# --- deadlines ------------------------------------------------------------------------------------


def _time_limit(days: int | None, on_the_spot: bool) -> int | None:
    if days is not None:
        return days
    return 0 if on_the_spot else None


def pauses_of(application: Application) -> list[deadlines.Pause]:
    """The answered supplement requests made after acceptance, as clock pauses."""
    if application.accepted_at is None:
        return []
    return [
        deadlines.Pause(_day(requested), _day(answered))
        for requested, answered in application.supplements.filter(
            answered_at__isnull=False, requested_at__gte=application.accepted_at
        ).values_list("requested_at", "answered_at")
    ]


def compute_deadlines(application: Application) -> dict[str, datetime.date | None]:
    """The statutory and promised deadlines from the acceptance day and the clock pauses.
    Raises CalendarYearMissing when a year they reach is not loaded yet."""
    matter = application.matter
    start = _day(application.accepted_at)
    pauses = pauses_of(application)
    return {
        "statutory_due": deadlines.due_date(
            start, _time_limit(matter.statutory_days, matter.on_the_spot), pauses
        ),
        "promised_due": deadlines.due_date(
            start, _time_limit(matter.promised_days, matter.on_the_spot), pauses
        ),
    }


def _set_deadlines(application: Application) -> dict:
    """Set the deadlines on `application` (not saved). Returns what the event should say: the
    year whose calendar is missing, when they cannot be worked out yet (the periodic job fills
    them in once it is loaded)."""
    try:
        dues = compute_deadlines(application)
    except CalendarYearMissing as missing:
        application.statutory_due = application.promised_due = None
        return {"deadline_pending_year": missing.year}
    application.statutory_due, application.promised_due = dues["statutory_due"], dues["promised_due"]
    return {k: v.isoformat() if v else None for k, v in dues.items()}


def deadlines_pending(application: Application) -> bool:
    """Accepted, still open, with a time limit but no deadline worked out yet."""
    matter = application.matter
    limits = (
        _time_limit(matter.promised_days, matter.on_the_spot),
        _time_limit(matter.statutory_days, matter.on_the_spot),
    )
    return (
        application.accepted_at is not None
        and application.status not in FINAL
        and application.status != Status.SUPPLEMENT
        and (
            (application.promised_due is None and limits[0] is not None)
            or (application.statutory_due is None and limits[1] is not None)
        )
    )


def fill_pending_deadlines(application: Application) -> bool:
    """Work out deadlines that could not be worked out at acceptance (a calendar year was not
    loaded). True when they were filled in now. No version bump: nothing a reviewer did changed."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not deadlines_pending(application):
            return False
        result = _set_deadlines(application)
        if "deadline_pending_year" in result:
            return False
        application.save(update_fields=["statutory_due", "promised_due", "updated_at"])
        Event.objects.create(
            application=application, kind="deadlines_set", status=application.status, data=result
        )
        audit.record(None, "applications.application.deadlines_set", application, data=result)
    return True


# --- the applicant's side ------------------------------------------------------------------------


def _division_for(acting: Acting, department, terminal_division: Division | None) -> Division:
    if terminal_division is not None:
        return terminal_division
    if acting.enterprise is not None and acting.enterprise.division_id:
        return acting.enterprise.division
    citizen = acting.citizen or acting.person
    if acting.enterprise is None and citizen.household_division_id:
        return citizen.household_division
    return department.division


def next_number(division_prefix: str, day: datetime.date) -> str:
    """The next case number of the day for a division prefix: prefix + YYYYMMDD + 6 digits
    (3303202610010000001 …). Call inside a transaction: the counter row stays locked until it
    ends, so numbers are unique and without gaps."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(day=day, prefix=division_prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{division_prefix}{day:%Y%m%d}{counter.last:06d}"


def submit_application(
    matter: Matter,
    acting: Acting,
    *,
    channel: str,
    form_data: dict | None = None,
    uploads: Iterable[materials.CheckedUpload] = (),
    shared: Iterable[tuple[str, str]] = (),
    division: Division | None = None,
) -> Application:
    """Submit an application for `matter` by `acting` (for themself, a principal or an
    enterprise) through `channel`. `form_data` is validated against the matter's form;
    `uploads` are files already checked by materials.check_upload; `shared` are (material name,
    shared-data reference) pairs taken from shared data (免提交). `division`: the terminal's or
    window's division, for a case made at one; otherwise the applicant's household division
    (an enterprise's division), or the department's."""
    if not matter.live:
        raise DomainError(_("This matter is not open for applications."), code="not_open")
    setup = MatterSetup.objects.filter(matter=matter).first()
    if setup is not None and not setup.accepting:
        raise DomainError(_("This matter is not open for applications."), code="not_open")
    if channel not in Channel.values or channel not in matter.channels:
        raise DomainError(
            _("This matter cannot be applied for through this channel."),
            code="channel",
            details={"channel": channel},
        )
    audience = getattr(matter, "audience", "both")
    if acting.enterprise is not None and audience == "person":
        raise DomainError(_("This matter is for individuals, not for enterprises."), code="audience")
    if acting.enterprise is None and audience == "enterprise":
        raise DomainError(_("This matter is for enterprises: apply for your enterprise."), code="audience")
    schema = setup.form_schema if setup is not None else {}
    cleaned = forms.validate(schema, form_data or {}) if schema.get("properties") else {}
    uploads, shared = list(uploads), list(shared)
    if len(uploads) + len(shared) > materials.MAX_FILES:
        raise DomainError(
            _("At most %(n)s materials per application.") % {"n": materials.MAX_FILES},
            code="too_many_materials",
        )
    department = matter.department
    place = _division_for(acting, department, division)
    now = _now()
    with transaction.atomic():
        number = next_number(code_prefix(department.division.code), _day(now))
        application = Application.objects.create(
            number=number,
            matter=matter,
            department=department,
            division=place,
            citizen=None if acting.enterprise is not None else (acting.citizen or acting.person),
            enterprise=acting.enterprise,
            submitted_by=acting.person,
            via_proxy=acting.grant if acting.grant is not None and acting.enterprise is None else None,
            via_agent=acting.grant if acting.grant is not None and acting.enterprise is not None else None,
            channel=channel,
            status=Status.SUBMITTED,
            form_data=cleaned,
            submitted_at=now,
        )
        for upload in uploads:
            material = Material(application=application, name=upload.name[:200])
            materials.store(material, upload)
            material.save()
        for name, reference in shared:
            Material.objects.create(
                application=application,
                name=name[:200],
                source=MaterialSource.SHARED,
                shared_reference=(reference or "")[:200],
            )
        Event.objects.create(
            application=application,
            kind="submitted",
            status=Status.SUBMITTED,
            actor_user=audit.unwrap(acting.user) if getattr(acting.user, "is_authenticated", False) else None,
            data={"channel": channel},
        )
        audit.record(
            acting.user,
            "applications.application.submit",
            application,
            data={"matter": matter.pk, "channel": channel, **acting.audit_data()},
        )
        try:
            answer_by = deadlines.acceptance_due(_day(now))
        except CalendarYearMissing:
            answer_by = _deadline_unknown()
        notify_applicant(application, "application.submitted", deadline=answer_by)
    return application


def resubmit(
    application: Application,
    acting: Acting,
    *,
    note: str = "",
    uploads: Iterable[materials.CheckedUpload] = (),
    form_data: dict | None = None,
    version: int | None = None,
) -> Application:
    """The applicant answers a supplement request (补正): new files and/or corrected answers.
    The clock runs again; the deadlines move by the working days it was stopped."""
    acting = _ensure_applicant(acting, application)
    note = _text(note, required=False, what=_("note"))
    uploads = list(uploads)
    cleaned = None
    if form_data is not None:
        setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
        schema = setup.form_schema if setup is not None else {}
        cleaned = forms.validate(schema, form_data) if schema.get("properties") else {}
    if not uploads and cleaned is None and not note:
        raise DomainError(
            _("Send the corrected materials or answers, or a note, with your supplement."), code="empty"
        )
    now = _now()
    with transaction.atomic():
        application = _lock(application, "resubmit", version)
        if application.materials.count() + len(uploads) > materials.MAX_FILES * 2:
            raise DomainError(_("Too many materials on this application."), code="too_many_materials")
        stopped_at = application.clock_stopped_at
        request = application.supplements.filter(answered_at__isnull=True).order_by("-requested_at").first()
        if request is not None:
            request.answered_at = now
            request.save(update_fields=["answered_at"])
        for upload in uploads:
            material = Material(application=application, name=upload.name[:200])
            materials.store(material, upload)
            material.save()
        fields = ["clock_stopped_at"]
        if cleaned is not None:
            application.form_data = cleaned
            fields.append("form_data")
        application.clock_stopped_at = None
        data: dict[str, Any] = {"files": len(uploads), "answers_changed": cleaned is not None}
        if application.accepted_at is not None:
            stopped_day = _day(stopped_at or now)
            try:
                data["clock_stopped_days"] = working_days_between(stopped_day, _day(now))
            except CalendarYearMissing:
                pass
            data.update(_set_deadlines(application))
            fields += ["statutory_due", "promised_due"]
            status = Status.UNDER_REVIEW
        else:
            status = Status.SUBMITTED
        _move(
            application,
            status,
            kind="resubmitted",
            actor=acting.user,
            note=note,
            data=data,
            audit_data=acting.audit_data(),
            fields=fields,
        )
    return application


def withdraw(
    application: Application, acting: Acting, *, reason: str = "", version: int | None = None
) -> Application:
    """The applicant withdraws the application (before any decision on it)."""
    acting = _ensure_applicant(acting, application)
    reason = _text(reason, required=False, what=_("reason"))
    with transaction.atomic():
        application = _lock(application, "withdraw", version)
        application.clock_stopped_at = None
        application.completed_at = _now()
        application.supplements.filter(answered_at__isnull=True).update(answered_at=application.completed_at)
        _move(
            application,
            Status.WITHDRAWN,
            kind="withdrawn",
            actor=acting.user,
            note=reason,
            audit_data=acting.audit_data(),
            fields=["clock_stopped_at", "completed_at"],
        )
    return application


# --- the staff's side ----------------------------------------------------------------------------


def accept(
    application: Application, *, actor: Any, note: str = "", version: int | None = None
) -> Application:
    """受理: the case is taken on; the statutory and promised clocks start (from tomorrow)."""
    _ensure_staff(actor, application)
    note = _text(note, required=False, what=_("note"))
    with transaction.atomic():
        application = _lock(application, "accept", version)
        application.accepted_at = _now()
        data = _set_deadlines(application)
        _move(
            application,
            Status.ACCEPTED,
            kind="accepted",
            actor=actor,
            note=note,
            data=data,
            fields=["accepted_at", "statutory_due", "promised_due"],
        )
        notify_applicant(
            application,
            "application.accepted",
            deadline=application.promised_due or application.statutory_due or _deadline_unknown(),
        )
    return application


def default_appeal_route(application: Application) -> str:
    """How to appeal a decision of the department (行政复议 within 60 days to the people's
    government at its level; 行政诉讼 within 6 months), in the active language."""
    division = application.department.division
    return _(
        "If you disagree with this decision, you may apply for administrative reconsideration "
        "(行政复议) to the People's Government of %(division)s within 60 days of receiving it, or "
        "bring an administrative lawsuit (行政诉讼) before a people's court within 6 months."
    ) % {"division": division.display_name}


def _appeal(application: Application, appeal_route: str | None) -> str:
    text = _text(appeal_route, required=False, what=_("appeal route"))
    return text or default_appeal_route(application)


def _decide(
    application: Application,
    action: str,
    status: Status,
    outcome: Outcome,
    *,
    actor: Any,
    reasons: str,
    appeal_route: str | None,
    version: int | None,
    reasons_required: bool,
) -> Application:
    _ensure_staff(actor, application)
    reasons = _text(reasons, required=reasons_required, what=_("reasons"))
    appeal = _appeal(application, appeal_route)
    check = rule_check(application) if outcome != Outcome.DECLINED else None
    with transaction.atomic():
        application = _lock(application, action, version)
        try:
            with transaction.atomic():
                Decision.objects.create(
                    application=application,
                    outcome=outcome,
                    rule_code=check["code"] if check else "",
                    rule_version=check["version"] if check else None,
                    inputs=check["inputs"] if check else {},
                    explanation=check["explanation"] if check else [],
                    reasons=reasons,
                    appeal_route=appeal,
                    decided_by=audit.unwrap(actor),
                )
        except IntegrityError:  # a decision exists already (made by rules, or by a racing writer)
            raise InvalidTransition(application, action) from None
        fields = []
        if status == Status.DECLINED:
            application.completed_at = _now()
            fields.append("completed_at")
        _move(
            application,
            status,
            kind=status.value,
            actor=actor,
            note=reasons,
            data={"outcome": outcome.value},
            fields=fields,
        )
        notify_applicant(application, f"application.{status.value}", reasons=reasons, appeal_route=appeal)
        if status == Status.APPROVED and needs_certificate(application):
            from . import tasks

            pk = application.pk
            transaction.on_commit(lambda: tasks.issue_certificate_and_complete.enqueue(application_id=pk))
    return application


def decline(
    application: Application,
    *,
    actor: Any,
    reasons: str,
    appeal_route: str | None = None,
    version: int | None = None,
) -> Application:
    """不予受理: the case is not taken on, with the reasons and the appeal route."""
    return _decide(
        application,
        "decline",
        Status.DECLINED,
        Outcome.DECLINED,
        actor=actor,
        reasons=reasons,
        appeal_route=appeal_route,
        version=version,
        reasons_required=True,
    )


def approve(
    application: Application,
    *,
    actor: Any,
    reasons: str = "",
    appeal_route: str | None = None,
    version: int | None = None,
) -> Application:
    """准予: the request is granted. A matter that issues a certificate gets it issued by a task,
    which then completes the case."""
    return _decide(
        application,
        "approve",
        Status.APPROVED,
        Outcome.APPROVED,
        actor=actor,
        reasons=reasons,
        appeal_route=appeal_route,
        version=version,
        reasons_required=False,
    )


def reject(
    application: Application,
    *,
    actor: Any,
    reasons: str,
    appeal_route: str | None = None,
    version: int | None = None,
) -> Application:
    """不予许可: the request is refused, with the reasons and the appeal route."""
    return _decide(
        application,
        "reject",
        Status.REJECTED,
        Outcome.REJECTED,
        actor=actor,
        reasons=reasons,
        appeal_route=appeal_route,
        version=version,
        reasons_required=True,
    )


def start_review(application: Application, *, actor: Any, version: int | None = None) -> Application:
    """The official takes the accepted case for review (it is assigned to them)."""
    _ensure_staff(actor, application)
    with transaction.atomic():
        application = _lock(application, "start_review", version)
        application.assigned_to = audit.unwrap(actor)
        _move(application, Status.UNDER_REVIEW, kind="review_started", actor=actor, fields=["assigned_to"])
    return application


def request_supplement(
    application: Application, *, actor: Any, items: str, version: int | None = None
) -> SupplementRequest:
    """补正: tell the applicant exactly what to fix or add. An accepted case's clock stops until
    they answer."""
    _ensure_staff(actor, application)
    items = _text(items, required=True, what=_("list of what to fix"))
    with transaction.atomic():
        application = _lock(application, "request_supplement", version)
        request = SupplementRequest.objects.create(
            application=application, items=items, requested_by=audit.unwrap(actor)
        )
        application.clock_stopped_at = request.requested_at
        try:
            reply_by = deadlines.supplement_reply_by(_day(request.requested_at))
        except CalendarYearMissing:
            reply_by = None
        _move(
            application,
            Status.SUPPLEMENT,
            kind="supplement_requested",
            actor=actor,
            note=items,
            data={
                "from": application.status,
                "clock_stopped": application.accepted_at is not None,
                "reply_by": reply_by.isoformat() if reply_by else None,
            },
            fields=["clock_stopped_at"],
        )
        notify_applicant(
            application,
            "application.supplement_requested",
            items=items,
            deadline=reply_by or _deadline_unknown(),
        )
    return request


def decide_by_rules(application: Application, check: dict, *, reasons: str) -> Application:
    """Record the rule set's decision on a just-submitted application (秒批): the decision with
    the rule's code and version, the facts it read and the explanation; approved → the
    certificate is queued (its task completes the case), otherwise the case is completed at
    once. Idempotent: a case that has moved on is returned as it is."""
    approved = bool(check["passed"])
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.SUBMITTED or hasattr(application, "decision"):
            return application
        appeal_route = "" if approved else default_appeal_route(application)
        Decision.objects.create(
            application=application,
            outcome=Outcome.APPROVED if approved else Outcome.REJECTED,
            by_rules=True,
            rule_code=check["code"],
            rule_version=check["version"],
            inputs=check["inputs"],
            explanation=check["explanation"],
            reasons=reasons,
            appeal_route=appeal_route,
        )
        now = _now()
        application.instant = True
        application.accepted_at = now
        application.statutory_due = application.promised_due = _day(now)
        status = Status.APPROVED if approved else Status.REJECTED
        _move(
            application,
            status,
            kind="decided_by_rules",
            actor=None,
            note=reasons,
            data={"outcome": status.value, "rule": check["code"], "rule_version": check["version"]},
            fields=["instant", "accepted_at", "statutory_due", "promised_due"],
        )
        notify_applicant(application, f"application.{status.value}", reasons=reasons,
                         appeal_route=default_appeal_route(application))  # fmt: skip
        if approved and needs_certificate(application):
            from . import tasks

            pk = application.pk
            transaction.on_commit(lambda: tasks.issue_certificate_and_complete.enqueue(application_id=pk))
        else:
            application = complete(application, actor=None)
    return application


def needs_certificate(application: Application) -> bool:
    setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
    return bool(setup and setup.certificate_type)


def complete(
    application: Application, *, actor: Any, note: str = "", version: int | None = None
) -> Application:
    """办结: the case is concluded. After an approval that issues a certificate, only once the
    certificate is issued (the issuing task completes the case itself; `actor` None means that
    task). A rejected case is completed by an official once the decision has been delivered."""
    if actor is not None:
        _ensure_staff(actor, application)
    note = _text(note, required=False, what=_("note"))
    with transaction.atomic():
        application = _lock(application, "complete", version)
        data: dict[str, Any] = {}
        if application.status == Status.APPROVED and needs_certificate(application):
            certificate = issued_certificate(application)
            if certificate is None:
                raise DomainError(
                    _("The certificate of case %(number)s has not been issued yet.")
                    % {"number": application.number},
                    code="certificate_pending",
                )
            data["certificate"] = certificate.number
        application.completed_at = _now()
        _move(
            application,
            Status.COMPLETED,
            kind="completed",
            actor=actor,
            note=note,
            data=data,
            fields=["completed_at"],
        )
        notify_applicant(application, "application.completed", **data)
    return application


# --- certificates and rules (other apps; guarded so a missing app only disables the feature) ------


def certificate_key(application: Application) -> str:
    """The idempotency key of the certificate issued for a case: a retried job finds it again."""
    return f"application:{application.number}"


def issued_certificate(application: Application):
    """The certificate issued for this case, or None."""
    try:
        from eban.certificates.models import Certificate
    except ImportError:
        return None
    return (
        Certificate.objects.filter(idempotency_key=certificate_key(application))
        .exclude(status="issuing")
        .first()
    )


def issue_certificate_for(application: Application):
    """Issue (or, on a retry, find again) the certificate of an approved case: the holder is the
    applicant (a citizen, or an enterprise by its credit code), the printed fields are the case's
    answers; the issuer, dates and validity come from the certificate type. Runs in a task
    (eban.applications.tasks.issue_certificate_and_complete); call it outside a transaction."""
    from eban.certificates.actions import issue_certificate

    setup = MatterSetup.objects.get(matter_id=application.matter_id)
    if application.enterprise_id:
        holder_name, holder_number, photo = (
            application.enterprise.name,
            application.enterprise.credit_code,
            None,
        )
    else:
        citizen = application.citizen
        holder_name, holder_number, photo = citizen.name, citizen.id_number, None
        if citizen.photo:
            with citizen.photo.open("rb") as file:
                photo = file.read()
    return issue_certificate(
        key=certificate_key(application),
        type_code=setup.certificate_type,
        holder_name=holder_name,
        holder_id_number=holder_number,
        data={**application.form_data, "case_number": application.number, "matter": application.matter.name},
        photo=photo,
        actor=None,
    )


def notify_certificate_issued(application: Application, certificate) -> None:
    from eban.certificates.render import verify_url

    notify_applicant(
        application,
        "certificate.issued",
        certificate_number=certificate.number,
        verify_url=verify_url(certificate.number),
    )


def rule_check(application: Application) -> dict | None:
    """The matter's eligibility rule evaluated on the applicant's facts now, for the reviewer to
    see and for the decision's record: {code, version, inputs, explanation, passed} or None when
    the matter has no rule set (or the rules app is not installed)."""
    setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
    if setup is None or not setup.rule_code:
        return None
    try:
        from eban.rules.evaluate import evaluate
        from eban.rules.queries import active_rule_set
    except ImportError:
        return None
    rule_set = active_rule_set(setup.rule_code)
    if rule_set is None:
        return None
    from . import facts

    if application.enterprise_id:
        inputs = facts.enterprise_facts(application.enterprise)
    else:
        inputs = facts.citizen_facts(application.citizen)
    evaluation = evaluate(rule_set.rule, inputs)
    return {
        "code": rule_set.code,
        "version": rule_set.version,
        "inputs": inputs,
        "explanation": evaluation.to_json(),
        "passed": evaluation.passed,
        "evaluation": evaluation,
    }


# --- ratings (好差评) -----------------------------------------------------------------------------


def rate(application: Application, acting: Acting, score: int, comment: str = "") -> Rating:
    """The applicant rates a completed case 1–5, once. A 1 or 2 opens a follow-up for the
    department, due in FOLLOW_UP_DAYS working days; its administrators are told."""
    acting = _ensure_applicant(acting, application)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), code="score")
    comment = _text(comment, required=False, what=_("comment"))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.COMPLETED:
            raise DomainError(_("A case can be rated once it is completed."), code="not_completed")
        if Rating.objects.filter(application=application).exists():
            raise Conflict(_("This case has already been rated."), code="already_rated")
        follow_up_due = None
        if score <= deadlines.LOW_SCORE:
            try:
                follow_up_due = deadlines.follow_up_due(_day(_now()))
            except CalendarYearMissing:  # filled in by the periodic job once the year is loaded
                follow_up_due = None
        rating = Rating.objects.create(
            application=application, score=score, comment=comment, follow_up_due=follow_up_due
        )
        Event.objects.create(
            application=application,
            kind="rated",
            status=application.status,
            actor_user=audit.unwrap(acting.user) if getattr(acting.user, "is_authenticated", False) else None,
            data={"score": score},
        )
        audit.record(
            acting.user, "applications.rating.create", rating, data={"score": score, **acting.audit_data()}
        )
        if score <= deadlines.LOW_SCORE:
            notify_department_admins(application, "rating.low", deadline=follow_up_due or _deadline_unknown())
    return rating


def reply_to_rating(rating: Rating, *, actor: Any, text: str) -> Rating:
    """The department answers a rating (a low one must be answered by its follow-up day)."""
    application = rating.application
    _ensure_staff(actor, application)
    text = _text(text, required=True, what=_("reply"))
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if rating.replied_at is not None:
            raise Conflict(_("This rating has already been answered."), code="already_replied")
        rating.reply = text
        rating.replied_at = _now()
        rating.replied_by = audit.unwrap(actor)
        rating.save(update_fields=["reply", "replied_at", "replied_by"])
        Event.objects.create(
            application=application,
            kind="rating_replied",
            status=application.status,
            actor_user=rating.replied_by,
        )
        audit.record(
            actor,
            "applications.rating.reply",
            rating,
            data={"late": bool(rating.follow_up_due and _day(rating.replied_at) > rating.follow_up_due)},
        )
        notify_applicant(application, "rating.follow_up_reply", reply=text)
    return rating
