from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The four kiosk categories of the seed."""

    APPROVAL = "approval", _("Administrative approval (行政审批)")
    CERTIFICATE = "certificate", _("Common certificates (常用证明)")
    SELF_PAYMENT = "self_payment", _("Self-service payment (自助缴费)")
    PUBLIC_PAYMENT = "public_payment", _("Public payment (公共支付)")


class Audience(models.TextChoices):
    PERSON = "person", _("Individuals")
    ENTERPRISE = "enterprise", _("Enterprises")
    BOTH = "both", _("Individuals and enterprises")


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("Self-service kiosk")
    ONLINE = "online", _("Online")
    WINDOW = "window", _("Service window")
    OVERSEAS = "overseas", _("Overseas service point")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ELECTRONIC = "electronic", _("Electronic")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Provided by the applicant")
    SHARED = "shared", _("From shared government data (nothing to bring)")
