"""The audit actions of applications, with their labels in the back office's history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eban.core import audit

ACTIONS = [
    ("applications.application.submit", _("Application submitted"), _("Application submitted")),
    ("applications.application.accepted", _("Application accepted"), _("Application accepted (受理)")),
    (
        "applications.application.declined",
        _("Application declined"),
        _("Application not accepted (不予受理)"),
    ),
    ("applications.application.review_started", _("Review started"), _("Case taken for review")),
    (
        "applications.application.supplement_requested",
        _("Supplement requested"),
        _("Applicant asked for a supplement (补正); clock stopped"),
    ),
    (
        "applications.application.resubmitted",
        _("Supplement received"),
        _("Applicant answered the supplement request"),
    ),
    ("applications.application.approved", _("Application approved"), _("Application approved")),
    ("applications.application.rejected", _("Application rejected"), _("Application rejected")),
    ("applications.application.completed", _("Case completed"), _("Case completed (办结)")),
    (
        "applications.application.withdrawn",
        _("Application withdrawn"),
        _("Application withdrawn by the applicant"),
    ),
    ("applications.application.escalate", _("Case escalated"), _("Overdue case escalated to the department")),
    (
        "applications.application.deadlines_set",
        _("Deadlines worked out"),
        _("Deadlines worked out once the calendar was loaded"),
    ),
    (
        "applications.material.download",
        _("Material downloaded"),
        _("An application's material downloaded by an official"),
    ),
    ("applications.rating.create", _("Case rated"), _("Applicant rated the case")),
    ("applications.rating.reply", _("Rating answered"), _("Department answered the applicant's rating")),
    (
        "applications.application.decided_by_rules",
        _("Decided by rules"),
        _("Decided at once by the matter's rules (秒批)"),
    ),
    (
        "applications.setup.save",
        _("Application set-up saved"),
        _("How the matter is applied for was changed"),
    ),
]


def register(registry) -> None:
    for action, label, message in ACTIONS:
        audit.register_action(action, label, message, registry=registry)
