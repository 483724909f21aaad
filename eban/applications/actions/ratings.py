"""Ratings (好差评): the applicant rates a completed case; the department answers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from eban.accounts.grants.acting import Acting
from eban.core import audit
from eban.core.exceptions import Conflict, DomainError
from eban.workdays.calendar import CalendarYearMissing

from .. import deadlines
from ..enums import Status
from ..models import Application, Event, Rating
from ..notify import deadline_unknown, notify_applicant, notify_department_admins
from .base import _day, _ensure_applicant, _ensure_staff, _now, _text


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
            notify_department_admins(application, "rating.low", deadline=follow_up_due or deadline_unknown())
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
