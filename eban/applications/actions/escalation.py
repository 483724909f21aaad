"""The periodic sweep's writes (run by eban.applications.tasks.sweep): deadlines that could not
be worked out at acceptance, an overdue case escalated once to the department's administrators,
the follow-up day of low ratings made while a calendar year was missing. Each is idempotent."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from eban.core import audit
from eban.workdays.calendar import CalendarYearMissing

from .. import deadlines
from ..models import Application, Event, Rating
from ..notify import notify_department_admins
from ..queries import deadlines_pending, is_overdue
from .base import _set_deadlines

logger = logging.getLogger(__name__)


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


def escalate(application_id: int, today: datetime.date) -> bool:
    """Escalate one case if it is overdue on `today` and not escalated yet: mark it, add the
    (staff-only) event and the audit entry, tell the department's administrators. True when it
    was escalated now. No version bump: no step was taken, a reviewer's open page stays valid."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.escalated_at is not None:
            return False
        overdue, due = is_overdue(application, today)
        if not overdue:
            return False
        application.escalated_at = timezone.now()
        application.save(update_fields=["escalated_at", "updated_at"])
        try:
            late = deadlines.days_left(due, today) * -1
        except CalendarYearMissing:
            late = None
        data = {"due": due.isoformat(), "working_days_late": late, "status": application.status}
        Event.objects.create(application=application, kind="escalated", status=application.status, data=data)
        audit.record(None, "applications.application.escalate", application, data=data)
        admins = notify_department_admins(application, "case.escalated", deadline=due)
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
        except CalendarYearMissing:
            continue
        rating.save(update_fields=["follow_up_due"])
        done += 1
    return done
