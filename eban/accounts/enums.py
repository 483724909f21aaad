"""The fixed vocabularies of identity."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class VerificationMethod(models.TextChoices):
    SMS = "sms", _("Mobile phone and SMS code")
    ID_CARD = "id_card", _("ID card read by a card reader")
    FACE = "face", _("Face matched against the photo on record")
    CTID = "ctid", _("Real-person verification service")
    COUNTER = "counter", _("In person at a service window")


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", pgettext_lazy("relationship", "Parent")  # not Wagtail's "Parent" (上一级)
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "relative", _("Other relative")
    OFFICIAL_HELPER = "helper", _("Official helper (帮办代办)")


class StaffRole(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
    SITE_EDITOR = "site_editor", _("Website editor")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    EXPERT = "expert", _("Expert")
    KIOSK_OPERATOR = "kiosk_operator", _("Kiosk operator")
    OVERSEAS_CLERK = "overseas_clerk", _("Overseas service clerk")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")

    @property
    def group_name(self) -> str:
        """The Django group that carries the role (stable: not translated)."""
        return f"eban:{self.value}"
