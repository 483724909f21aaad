"""The fixed vocabularies of applications (办件)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    KIOSK = "kiosk", _("Self-service terminal")
    WINDOW = "window", _("Service window")
    OVERSEAS = "overseas", _("Overseas service point")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")  # 受理
    DECLINED = "declined", _("Declined")  # 不予受理
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPLEMENT = "supplement", _("Waiting for a supplement")  # 补正: the clock stops
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")  # 办结
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL = {Status.DECLINED, Status.COMPLETED, Status.WITHDRAWN}
# An applicant has at most one open application per matter (a database constraint): until it is
# decided and, when approved, its certificate issued. A rejected case is decided (its applicant may
# apply again), though an official still completes it.
IN_PROGRESS = (Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.SUPPLEMENT, Status.APPROVED)
# While in these states the statutory and promised clocks run.
CLOCK_RUNS = {Status.ACCEPTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED}


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DECLINED = "declined", _("Declined")


class MaterialSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded by the applicant")
    SHARED = "shared", _("From shared data (nothing to bring)")
    SCANNED = "scanned", _("Scanned at a terminal or window")
