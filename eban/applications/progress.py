"""What the applicant's page says about a case's progress: whether the certificate can be
downloaded yet, and for a case a person decides, what happens next and by which working day.

Read only. The days come from eban.applications.deadlines (working days, 行政许可法 第三十二条):
a submitted case is accepted or declined within ACCEPTANCE_DAYS working days; an accepted one is
decided by its promised deadline (set on acceptance); a supplement (补正) is answered within
SUPPLEMENT_DAYS working days of the request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from eban.core.exceptions import DomainError

from . import deadlines, queries
from .enums import Outcome, Status
from .models import Application, MatterSetup

# certificate_state
NO_CERTIFICATE = "none"  # nothing to download: not approved, or no certificate for this matter
BEING_MADE = "waiting"  # approved; the worker is making and signing the PDF
READY = "ready"  # the PDF exists


def certificate_state(application: Application) -> str:
    decision = getattr(application, "decision", None)
    if decision is None or decision.outcome != Outcome.APPROVED:
        return NO_CERTIFICATE
    certificate = queries.certificate_of(application)
    if certificate is not None and certificate.pdf:
        return READY
    setup = MatterSetup.objects.filter(matter_id=application.matter_id).only("certificate_type").first()
    return BEING_MADE if setup is not None and setup.certificate_type else NO_CERTIFICATE


@dataclass(frozen=True)
class NextStep:
    stage: str  # "acceptance" | "decision" | "supplement"
    due: datetime.date | None  # the working day by which it happens (None: the calendar is not loaded)
    days: int | None = None  # the step's time limit in working days, when it has one of its own
    decision_days: int | None = None  # at "acceptance": then decided within this many working days


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def next_step(application: Application, supplement=None) -> NextStep | None:
    """The next step of a case a person decides (None once decided, or for instant approval)."""
    if getattr(application, "decision", None) is not None or application.status in (
        Status.APPROVED,
        Status.REJECTED,
        Status.DECLINED,
        Status.COMPLETED,
        Status.WITHDRAWN,
    ):
        return None
    try:
        if application.status == Status.SUPPLEMENT and supplement is not None:
            return NextStep(
                "supplement",
                deadlines.supplement_reply_by(_day(supplement.requested_at)),
                days=deadlines.SUPPLEMENT_DAYS,
            )
        if application.status == Status.SUBMITTED:
            return NextStep(
                "acceptance",
                deadlines.acceptance_due(_day(application.submitted_at)),
                days=deadlines.ACCEPTANCE_DAYS,
                decision_days=application.matter.promised_days,
            )
    except DomainError:  # the calendar of that year is not loaded: say what happens, without a day
        if application.status == Status.SUBMITTED:
            return NextStep("acceptance", None, days=deadlines.ACCEPTANCE_DAYS)
        return NextStep("supplement", None, days=deadlines.SUPPLEMENT_DAYS)
    if application.status in (Status.ACCEPTED, Status.UNDER_REVIEW):
        return NextStep("decision", application.promised_due or application.statutory_due)
    return None


def supplement_due(supplement) -> datetime.date | None:
    """The working day by which the applicant is asked to answer a supplement request."""
    try:
        return deadlines.supplement_reply_by(_day(supplement.requested_at))
    except DomainError:
        return None
