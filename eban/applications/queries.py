"""Reads of applications for a given actor: an applicant sees their own (and those they submitted
for someone else), an official the cases of their scope (department and divisions).

The reviewer's queue lists the open cases of the official's scope, most urgent first: by the
promised deadline, then the statutory one (the order of the deadlines is the order of the working
days left); a case not yet accepted is measured against the 5 working days it has to be accepted
in; cases waiting for a supplement (clock stopped, nothing to do until the applicant answers)
come last. Each row carries its warning level (eban.applications.deadlines).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from eban.accounts.models import Citizen, EnterpriseAgent, ProxyAuthorisation
from eban.accounts.permissions import visible_to
from eban.certificates.models import Certificate
from eban.core.exceptions import NotFound
from eban.rules.evaluate import evaluate
from eban.rules.queries import active_rule_set
from eban.workdays import calendar as workdays
from eban.workdays.queries import current_calendar

from . import deadlines, duplicates, facts, permissions
from .enums import CLOCK_RUNS, FINAL, Status
from .models import Application, Event, MatterSetup, Rating

# Cases an official may still act on (or is waiting on), in the queue.
OPEN = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.UNDER_REVIEW,
    Status.SUPPLEMENT,
    Status.APPROVED,
    Status.REJECTED,
)
# Events of the timeline that only staff see.
STAFF_ONLY_EVENTS = {"escalated"}
# What each kind of event is called on a timeline.
EVENT_LABELS = {
    "submitted": gettext_lazy("Submitted"),
    "accepted": gettext_lazy("Accepted (受理)"),
    "declined": gettext_lazy("Not accepted (不予受理)"),
    "review_started": gettext_lazy("Review started"),
    "supplement_requested": gettext_lazy("Supplement requested (补正)"),
    "resubmitted": gettext_lazy("Supplement received"),
    "decided_by_rules": gettext_lazy("Decided at once by the rules (秒批)"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Rejected"),
    "completed": gettext_lazy("Completed (办结)"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "deadlines_set": gettext_lazy("Deadlines set"),
    "escalated": gettext_lazy("Escalated to the department (overdue)"),
    "rated": gettext_lazy("Rated"),
    "rating_replied": gettext_lazy("Department replied to the rating"),
}


# --- the applicant ----------------------------------------------------------------------------


def for_applicant(person: Citizen) -> QuerySet[Application]:
    """The applications of `person`: their own, those of the enterprises they represent, and those
    they submitted for someone else (a principal, an enterprise as its agent) while the
    authorisation they submitted by is in force — once it is revoked or has ended, the former
    proxy or agent no longer opens those cases or their certificates. The one place every page
    of the applicant (web and kiosk) looks a case up."""
    today = timezone.localdate()
    acted_for = Q(submitted_by=person) & (
        Q(via_proxy__in=ProxyAuthorisation.objects.in_force(today).filter(proxy=person))
        | Q(via_agent__in=EnterpriseAgent.objects.in_force(today).filter(agent=person))
    )
    return (
        Application.objects.filter(Q(citizen=person) | Q(enterprise__legal_representative=person) | acted_for)
        .select_related("matter", "department")
        .order_by("-submitted_at", "-pk")
    )


def public_events(application: Application) -> QuerySet[Event]:
    """The timeline as the applicant sees it."""
    return application.events.exclude(kind__in=STAFF_ONLY_EVENTS)


def timeline(application: Application, *, staff: bool = False) -> list[Event]:
    """The events of a case in order, each with `.label` (what happened, translated); the
    applicant's timeline leaves out the staff-only ones."""
    events = application.events.select_related("actor_user") if staff else public_events(application)
    out = list(events)
    for event in out:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
    return out


def certificate_of(application: Application):
    """The certificate issued for this case (any status: a revoked one shows as revoked), or None."""

    return Certificate.objects.filter(idempotency_key=certificate_key(application)).first()


# --- staff --------------------------------------------------------------------------------------


def may_view_cases(user: Any) -> bool:
    """Case handlers, and platform administrators (who read every case but decide none): the one
    predicate is permissions.can_view_cases."""
    return permissions.can_view_cases(user)


def for_staff(user: Any) -> QuerySet[Application]:
    """Every case `user` may open: those of their department within their divisions."""
    if not may_view_cases(user):
        return Application.objects.none()
    return visible_to(user, Application.objects.all())


def case_for_staff(user: Any, number: str) -> Application:
    """One case by its number; NotFound outside the official's scope (a case of another
    department or division is not acknowledged to exist)."""
    application = (
        for_staff(user)
        .select_related(
            "matter", "department", "division", "citizen", "enterprise", "submitted_by", "assigned_to"
        )
        .filter(number=number)
        .first()
    )
    if application is None:
        raise NotFound("")
    return application


@dataclass(frozen=True)
class QueueRow:
    pk: int
    warning: deadlines.Warning
    deadline: str  # "promised", "statutory", "acceptance" or "" (which deadline `warning.due` is)
    time_limit: int | None
    sort_key: tuple


@dataclass
class QueueItem:
    application: Application
    warning: deadlines.Warning
    deadline: str
    time_limit: int | None


def _limit(days: int | None, on_the_spot: bool) -> int | None:
    return days if days is not None else (0 if on_the_spot else None)


_COLUMNS = (
    "pk",
    "status",
    "submitted_at",
    "clock_stopped_at",
    "accepted_at",
    "promised_due",
    "statutory_due",
    "matter__promised_days",
    "matter__statutory_days",
    "matter__on_the_spot",
)
_FAR = datetime.date.max


class _Urgency:
    """Works out queue rows with one calendar and a cache of acceptance deadlines."""

    def __init__(self, today: datetime.date | None, calendar: workdays.Calendar | None) -> None:
        self.today = today or timezone.localdate()
        self.calendar = calendar or current_calendar()
        self.acceptance: dict[datetime.date, datetime.date | None] = {}

    def _acceptance_due(self, submitted_at: datetime.datetime) -> datetime.date | None:
        day = timezone.localdate(submitted_at)
        if day not in self.acceptance:
            try:
                self.acceptance[day] = deadlines.acceptance_due(day, calendar=self.calendar)
            except workdays.CalendarYearMissing:
                self.acceptance[day] = None
        return self.acceptance[day]

    def row(
        self, pk, state, submitted_at, stopped_at, accepted_at, promised, statutory, p_days, s_days, spot
    ):
        paused = state == Status.SUPPLEMENT
        if accepted_at is None:
            due, kind, limit, second = (
                self._acceptance_due(submitted_at),
                "acceptance",
                deadlines.ACCEPTANCE_DAYS,
                None,
            )
        elif promised is not None:
            due, kind, limit, second = promised, "promised", _limit(p_days, spot), statutory
        else:
            due, kind, limit, second = (
                statutory,
                ("statutory" if statutory else ""),
                _limit(s_days, spot),
                None,
            )
        if paused and (accepted_at is None or due is None):
            warning = deadlines.Warning(deadlines.PAUSED, due)
        else:
            paused_on = timezone.localdate(stopped_at) if paused and stopped_at else None
            warning = deadlines.warning(due, self.today, limit, paused_on=paused_on, calendar=self.calendar)
        return QueueRow(pk, warning, kind, limit, (paused, due or _FAR, second or _FAR, submitted_at, pk))


def queue_rows(
    user: Any,
    *,
    status: str | None = None,
    matter_id: int | None = None,
    today: datetime.date | None = None,
    calendar: workdays.Calendar | None = None,
) -> list[QueueRow]:
    """The open cases of `user`'s scope, most urgent first, with their warning levels. Reads a
    few columns of every open case in scope (a department's open cases: thousands at most)."""
    cases = for_staff(user).filter(status__in=OPEN)
    if status:
        cases = cases.filter(status=status)
    if matter_id:
        cases = cases.filter(matter_id=matter_id)
    urgency = _Urgency(today, calendar)
    rows = [urgency.row(*values) for values in cases.values_list(*_COLUMNS)]
    rows.sort(key=lambda row: row.sort_key)
    return rows


def queue_items(rows: list[QueueRow]) -> list[QueueItem]:
    """The applications of some queue rows (a page of them), in the rows' order."""
    found = Application.objects.select_related(
        "matter", "division", "citizen", "enterprise", "assigned_to"
    ).in_bulk([row.pk for row in rows])
    return [
        QueueItem(found[row.pk], row.warning, row.deadline, row.time_limit) for row in rows if row.pk in found
    ]


def case_warning(application: Application, today: datetime.date | None = None) -> QueueRow | None:
    """The queue row of one case (its warning level), or None when it is not open."""
    if application.status not in OPEN:
        return None
    matter = application.matter
    return _Urgency(today, None).row(
        application.pk,
        application.status,
        application.submitted_at,
        application.clock_stopped_at,
        application.accepted_at,
        application.promised_due,
        application.statutory_due,
        matter.promised_days,
        matter.statutory_days,
        matter.on_the_spot,
    )


def low_ratings(user: Any, *, answered: bool | None = None) -> QuerySet[Rating]:
    """The low ratings (follow-ups) of the cases in `user`'s scope, the most pressing first."""
    if not may_view_cases(user):
        return Rating.objects.none()
    ratings = visible_to(
        user,
        Rating.objects.filter(score__lte=deadlines.LOW_SCORE),
        department="application__department",
        division="application__division",
    )
    if answered is not None:
        ratings = ratings.filter(replied_at__isnull=not answered)
    return ratings.select_related("application", "application__matter").order_by(
        "replied_at", "follow_up_due", "rated_at"
    )


def rating_for_staff(user: Any, pk: int) -> Rating:
    rating = (
        visible_to(
            user,
            Rating.objects.all() if may_view_cases(user) else Rating.objects.none(),
            department="application__department",
            division="application__division",
        )
        .select_related("application", "application__matter", "application__division")
        .filter(pk=pk)
        .first()
    )
    if rating is None:
        raise NotFound("")
    return rating


# --- the deadlines of one case -----------------------------------------------------------------


def pauses_of(application: Application) -> list[deadlines.Pause]:
    """The answered supplement requests made after acceptance, as clock pauses."""
    if application.accepted_at is None:
        return []
    return [
        deadlines.Pause(timezone.localdate(requested), timezone.localdate(answered))
        for requested, answered in application.supplements.filter(
            answered_at__isnull=False, requested_at__gte=application.accepted_at
        ).values_list("requested_at", "answered_at")
    ]


def compute_deadlines(application: Application) -> dict[str, datetime.date | None]:
    """The statutory and promised deadlines from the acceptance day and the clock pauses.
    Raises CalendarYearMissing when a year they reach is not loaded yet."""
    matter = application.matter
    start = timezone.localdate(application.accepted_at)
    pauses = pauses_of(application)
    return {
        "statutory_due": deadlines.due_date(start, _limit(matter.statutory_days, matter.on_the_spot), pauses),
        "promised_due": deadlines.due_date(start, _limit(matter.promised_days, matter.on_the_spot), pauses),
    }


def deadlines_pending(application: Application) -> bool:
    """Accepted, still open, with a time limit but no deadline worked out yet."""
    matter = application.matter
    limits = (
        _limit(matter.promised_days, matter.on_the_spot),
        _limit(matter.statutory_days, matter.on_the_spot),
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


# --- certificates and rules ---------------------------------------------------------------------


def certificate_key(application: Application) -> str:
    """The idempotency key of the certificate issued for a case: a retried job finds it again."""
    return f"application:{application.number}"


def issued_certificate(application: Application):
    """The certificate issued for this case, or None."""
    return (
        Certificate.objects.filter(idempotency_key=certificate_key(application))
        .exclude(status="issuing")
        .first()
    )


def needs_certificate(application: Application) -> bool:
    setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
    return bool(setup and setup.certificate_type)


def decides_instantly(setup: MatterSetup | None) -> bool:
    """Does the matter decide at once by its rules (set up for it, with a rule set in force)?"""
    return bool(setup and setup.instant and setup.rule_code and active_rule_set(setup.rule_code))


def rule_check(application: Application) -> dict | None:
    """The matter's eligibility rule evaluated on the applicant's facts now, for the reviewer to
    see and for the decision's record: {code, version, inputs, explanation, passed} or None when
    the matter has no rule set in force."""
    setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
    if setup is None or not setup.rule_code:
        return None
    rule_set = active_rule_set(setup.rule_code)
    if rule_set is None:
        return None
    if application.enterprise_id:
        inputs = facts.enterprise_facts(application.enterprise)
    else:
        inputs = facts.citizen_facts(application.citizen)
    inputs = duplicates.facts_for_deciding(application, inputs)
    evaluation = evaluate(rule_set.rule, inputs)
    return {
        "code": rule_set.code,
        "version": rule_set.version,
        "inputs": inputs,
        "explanation": evaluation.to_json(),
        "passed": evaluation.passed,
        "evaluation": evaluation,
    }


# --- the periodic sweep ----------------------------------------------------------------------


def is_overdue(application: Application, today: datetime.date) -> tuple[bool, datetime.date | None]:
    """Is this open case past its deadline on `today` (the promised one, else the statutory one;
    a case not yet accepted: the acceptance limit)? Returns (overdue, the deadline)."""
    if application.status in CLOCK_RUNS:
        due = application.promised_due or application.statutory_due
    elif application.status == Status.SUBMITTED:
        try:
            due = deadlines.acceptance_due(timezone.localdate(application.submitted_at))
        except workdays.CalendarYearMissing:
            due = None
    else:  # waiting for a supplement (clock stopped) or closed
        due = None
    return (due is not None and today > due), due


def overdue_candidates(today: datetime.date):
    """The open, not yet escalated cases that may be overdue on `today` (checked one by one)."""
    running = (
        Application.objects.filter(status__in=list(CLOCK_RUNS), escalated_at__isnull=True)
        .annotate(due=Coalesce(F("promised_due"), F("statutory_due")))
        .filter(due__lt=today)
    )
    # ACCEPTANCE_DAYS working days are at least as many calendar days.
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=deadlines.ACCEPTANCE_DAYS), datetime.time.min
        )
    )
    waiting = Application.objects.filter(
        status=Status.SUBMITTED, escalated_at__isnull=True, submitted_at__lt=cutoff
    )
    return list(running.values_list("pk", flat=True)) + list(waiting.values_list("pk", flat=True))


def deadlines_to_fill() -> list[Application]:
    """Accepted open cases whose deadlines could not be worked out yet (a calendar year missing)."""
    pending = Application.objects.filter(accepted_at__isnull=False, status__in=list(CLOCK_RUNS)).filter(
        Q(promised_due__isnull=True) | Q(statutory_due__isnull=True)
    )
    return [a for a in pending.select_related("matter") if deadlines_pending(a)]


# An approved case still waiting for its certificate this long after the decision has lost its
# job (a worker killed before it ran, an error since fixed): the sweep enqueues it again.
CERTIFICATE_RETRY_AFTER = datetime.timedelta(minutes=10)


def certificates_overdue() -> list[int]:
    """The approved cases whose certificate should exist by now but does not."""
    return list(
        Application.objects.filter(
            status=Status.APPROVED,
            matter__setup__certificate_type__gt="",
            decision__decided_at__lt=timezone.now() - CERTIFICATE_RETRY_AFTER,
        ).values_list("pk", flat=True)
    )


# An instant application still undecided this long after it was made lost its decision (the server
# stopped between making the case and deciding it): the sweep decides it.
INSTANT_RETRY_AFTER = datetime.timedelta(minutes=5)


def undecided_instant() -> list[int]:
    """Instant applications made and never decided: submitted, untouched since (version 0), no
    decision, older than INSTANT_RETRY_AFTER."""
    return list(
        Application.objects.filter(
            status=Status.SUBMITTED,
            version=0,
            decision__isnull=True,
            matter__setup__instant=True,
            submitted_at__lt=timezone.now() - INSTANT_RETRY_AFTER,
        ).values_list("pk", flat=True)
    )
