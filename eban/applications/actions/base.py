"""What every transition of a case shares: the transitions' names and start states, the two
conflicts (InvalidTransition, StalePage), and the steps of a write — check the actor, lock the row
and check its state and version, move it with its event and audit entry.

    submitted ──accept──▶ accepted ──start_review──▶ under_review ──approve──▶ approved ──complete──▶ completed
        │                    │  └───────────approve / reject──────────┘  └──reject──▶ rejected ──complete──┘
        ├──decline──▶ declined
        └─(submitted, accepted, under_review)──request_supplement──▶ supplement ──resubmit──▶ back
    withdraw: by the applicant from submitted, accepted, under_review or supplement.

Two officials deciding at once: the second waits for the first's row lock, then finds the case
decided and gets "already decided" (a Conflict); a form from a stale page carries the version it
showed and is refused when the case has moved on since.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.accounts.grants.acting import Acting
from eban.core import audit
from eban.core.exceptions import Conflict, DomainError, PermissionDenied
from eban.workdays.calendar import CalendarYearMissing

from .. import permissions, queries
from ..enums import Status
from ..models import Application, Event

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


def _set_deadlines(application: Application) -> dict:
    """Set the deadlines on `application` (not saved). Returns what the event should say: the
    year whose calendar is missing, when they cannot be worked out yet (the periodic job fills
    them in once it is loaded)."""
    try:
        dues = queries.compute_deadlines(application)
    except CalendarYearMissing as missing:
        application.statutory_due = application.promised_due = None
        return {"deadline_pending_year": missing.year}
    application.statutory_due, application.promised_due = dues["statutory_due"], dues["promised_due"]
    return {k: v.isoformat() if v else None for k, v in dues.items()}
