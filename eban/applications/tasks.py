"""Background jobs of applications (run by `eban worker`). Each is idempotent: run twice, or
retried after a killed worker, it does the work once.

- `escalate_overdue`: the periodic sweep, enqueued every 30 minutes by `eban worker`
  (eban.core.schedule), or by `eban escalate-overdue` from a timer, e.g. cron:

      */30 * * * *  eban  /srv/eban/.venv/bin/eban escalate-overdue

  It works out deadlines that could not be worked out at acceptance (a calendar year not loaded
  then), marks each overdue open case `escalated_at` once and tells the department's
  administrators (notification "case.escalated"), dates the follow-ups of low ratings made
  while a calendar year was missing, and enqueues again the certificates of approved cases whose
  issuing job was lost (a worker killed before it ran it).
- `issue_certificate_and_complete`: after an approval, issue the case's certificate (idempotent on
  the case's key: a retry returns the same certificate) and complete the case.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from eban.core import audit
from eban.workdays import calendar as workdays

from . import actions, deadlines
from .enums import CLOCK_RUNS, Status
from .models import Application, Event, Rating

logger = logging.getLogger(__name__)


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


def escalate(application_id: int, today: datetime.date) -> bool:
    """Escalate one case if it is overdue and not escalated yet. True when it was escalated now."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.escalated_at is not None:
            return False
        overdue, due = is_overdue(application, today)
        if not overdue:
            return False
        application.escalated_at = timezone.now()
        application.save(update_fields=["escalated_at", "updated_at"])  # no version bump: no step taken
        try:
            late = deadlines.days_left(due, today) * -1
        except workdays.CalendarYearMissing:
            late = None
        data = {"due": due.isoformat(), "working_days_late": late, "status": application.status}
        Event.objects.create(application=application, kind="escalated", status=application.status, data=data)
        audit.record(None, "applications.application.escalate", application, data=data)
        admins = actions.notify_department_admins(application, "case.escalated", deadline=due)
        if not admins:
            logger.warning(
                "case %s is overdue and its department has no administrator to tell", application.number
            )
    return True


def date_pending_follow_ups() -> int:
    """Low ratings made while the calendar year was not loaded get their follow-up day."""
    done = 0
    for rating in Rating.objects.filter(
        score__lte=deadlines.LOW_SCORE, follow_up_due__isnull=True, replied_at=None
    ):
        try:
            rating.follow_up_due = deadlines.follow_up_due(timezone.localdate(rating.rated_at))
        except workdays.CalendarYearMissing:
            continue
        rating.save(update_fields=["follow_up_due"])
        done += 1
    return done


# An approved case still waiting for its certificate this long after the decision has lost its
# job (a worker killed before it ran, an error since fixed): the sweep enqueues it again.
CERTIFICATE_RETRY_AFTER = datetime.timedelta(minutes=10)


def retry_pending_certificates() -> int:
    """Enqueue again the issuing of certificates that should exist by now (idempotent)."""
    late = Application.objects.filter(
        status=Status.APPROVED,
        matter__setup__certificate_type__gt="",
        decision__decided_at__lt=timezone.now() - CERTIFICATE_RETRY_AFTER,
    ).values_list("pk", flat=True)
    count = 0
    for pk in late:
        issue_certificate_and_complete.enqueue(application_id=pk)
        count += 1
    return count


def sweep(today: datetime.date | None = None) -> dict:
    """The periodic work, once: returns what was done."""
    today = today or timezone.localdate()
    filled = 0
    pending = Application.objects.filter(accepted_at__isnull=False, status__in=list(CLOCK_RUNS)).filter(
        Q(promised_due__isnull=True) | Q(statutory_due__isnull=True)
    )
    for application in pending.select_related("matter"):
        if actions.deadlines_pending(application):
            filled += actions.fill_pending_deadlines(application)
    escalated = sum(escalate(pk, today) for pk in overdue_candidates(today))
    follow_ups = date_pending_follow_ups()
    retried = retry_pending_certificates()
    result = {
        "deadlines_filled": filled,
        "escalated": escalated,
        "follow_ups_dated": follow_ups,
        "certificates_retried": retried,
    }
    logger.info("escalation sweep: %s", result)
    return result


@task()
def escalate_overdue(today: str | None = None) -> dict:
    """The periodic sweep (see `sweep`); `today` as YYYY-MM-DD, for a re-run of a given day."""
    return sweep(datetime.date.fromisoformat(today) if today else None)


@task()
def issue_certificate_and_complete(application_id: int) -> str:
    """Issue the certificate of an approved case and complete it. Idempotent: a completed case is
    left alone; a retried job gets the same certificate back (the case's idempotency key)."""
    application = Application.objects.select_related("matter", "department", "citizen", "enterprise").get(
        pk=application_id
    )
    if application.status != Status.APPROVED:
        return application.status
    certificate = actions.issue_certificate_for(application)
    try:
        with transaction.atomic():
            actions.complete(application, actor=None)
            actions.notify_certificate_issued(application, certificate)
    except actions.InvalidTransition:  # another run of this job completed it meanwhile
        pass
    return certificate.number
