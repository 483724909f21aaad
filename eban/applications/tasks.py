"""Background jobs of applications (run by `eban worker`). Each is idempotent: run twice, or
retried after a killed worker, it does the work once.

- `escalate_overdue`: the periodic sweep, enqueued every 30 minutes by `eban worker`
  (eban.core.schedule), or by `eban escalate-overdue` from a timer, e.g. cron:

      */30 * * * *  eban  /srv/eban/.venv/bin/eban escalate-overdue

  It works out deadlines that could not be worked out at acceptance (a calendar year not loaded
  then), marks each overdue open case `escalated_at` once and tells the department's
  administrators (notification "case.escalated"), dates the follow-ups of low ratings made
  while a calendar year was missing, enqueues again the certificates of approved cases whose
  issuing job was lost (a worker killed before it ran it), and decides by the rules the instant
  applications made but never decided (the server stopped between making the case and deciding
  it; queries.undecided_instant). Every write is an action.
- `issue_certificate_and_complete`: after an approval, issue the case's certificate (idempotent on
  the case's key: a retry returns the same certificate) and complete the case.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import actions, queries
from .enums import Status
from .models import Application

logger = logging.getLogger(__name__)


def retry_pending_certificates() -> int:
    """Enqueue again the issuing of certificates that should exist by now (idempotent)."""
    count = 0
    for pk in queries.certificates_overdue():
        issue_certificate_and_complete.enqueue(application_id=pk)
        count += 1
    return count


def sweep(today: datetime.date | None = None) -> dict:
    """The periodic work, once: returns what was done. Every write is an action."""
    today = today or timezone.localdate()
    filled = sum(actions.fill_pending_deadlines(a) for a in queries.deadlines_to_fill())
    escalated = sum(actions.escalate(pk, today) for pk in queries.overdue_candidates(today))
    follow_ups = actions.date_pending_follow_ups()
    retried = retry_pending_certificates()
    instant = sum(
        actions.decide_instantly(application).status != Status.SUBMITTED
        for application in Application.objects.filter(pk__in=queries.undecided_instant())
    )
    result = {
        "deadlines_filled": filled,
        "escalated": escalated,
        "follow_ups_dated": follow_ups,
        "certificates_retried": retried,
        "instant_decided": instant,
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
