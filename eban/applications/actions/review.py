"""The staff's side of a case: accept (受理) or decline (不予受理) it, take it for review, ask for
a supplement (补正), decide it (准予 / 不予许可) and complete it (办结). Deadlines and clock stops
are worked out in eban.applications.deadlines (see there)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import DomainError
from eban.workdays.calendar import CalendarYearMissing

from .. import deadlines
from ..enums import Outcome, Status
from ..models import Application, Decision, SupplementRequest
from ..notify import deadline_unknown, notify_applicant
from ..queries import issued_certificate, needs_certificate, rule_check
from .base import InvalidTransition, _day, _ensure_staff, _lock, _move, _now, _set_deadlines, _text


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
            deadline=application.promised_due or application.statutory_due or deadline_unknown(),
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
        certificate_follows = status == Status.APPROVED and needs_certificate(application)
        if certificate_follows:  # the certificate's message, in a moment, is the one message
            from .. import tasks

            pk = application.pk
            transaction.on_commit(lambda: tasks.issue_certificate_and_complete.enqueue(application_id=pk))
        else:
            notify_applicant(application, f"application.{status.value}", reasons=reasons, appeal_route=appeal)
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
            deadline=reply_by or deadline_unknown(),
        )
    return request


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
        if actor is not None:  # concluded by an official; a conclusion that follows by itself (the
            # certificate issued, an instant refusal) was told with that outcome: one message each
            notify_applicant(application, "application.completed", **data)
    return application
