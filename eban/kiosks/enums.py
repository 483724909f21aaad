from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Where a terminal stands: the level of the service centre, or another busy public place."""

    CITY = "city", _("City service centre")
    COUNTY = "county", _("County service centre")
    TOWNSHIP = "township", _("Township service centre")
    VILLAGE = "village", _("Village service point")
    OTHER = "other", _("Other public place")


class Hardware(models.TextChoices):
    ID_READER = "id_reader", _("ID card reader")
    CAMERA = "camera", _("Camera")
    PRINTER = "printer", _("Printer")
    SCANNER = "scanner", _("Scanner")
    PAYMENT = "payment", _("Payment")


class AlertKind(models.TextChoices):
    SILENT = "silent", _("Silent (no heartbeat)")
    OUT_OF_PAPER = "out_of_paper", _("Out of paper")
    PRINTER = "printer", _("Printer fault")
    CAMERA = "camera", _("Camera fault")


class DeviceState(models.TextChoices):
    OK = "ok", _("Working")
    FAULT = "fault", _("Fault")
    ABSENT = "absent", _("Not fitted")


class SettlementKind(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")


class TransactionKind(models.TextChoices):
    """What a kiosk transaction was: the unit the usage figures count."""

    SIGN_IN = "sign_in", _("Sign-in")
    APPLICATION = "application", _("Application")
    PRINT = "print", _("Certificate printed")
    GUIDE = "guide", _("Guide read")
