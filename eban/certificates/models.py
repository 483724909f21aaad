"""Electronic certificates (电子证照): their types and the certificates issued.

Writes go through eban.certificates.actions (issue_certificate, revoke_certificate); the public
verification page and API read through eban.certificates.queries.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eban.core.fields import BlindIndexField, EncryptedTextField
from eban.government.models import Department

from .enums import CertificateStatus, PublicStatus

HOLDER_ID_NUMBER = "certificates.certificate.holder_id_number"  # the encryption purpose: never change it


def template_path(name: str) -> str:
    """`senior_card` -> `certificates/pdf/senior_card.html`."""
    return f"certificates/pdf/{name}.html"


def validate_number_prefix(value: str) -> None:
    if not value.isascii() or not value.isalnum() or not value.isupper():
        raise ValidationError(_("Use capital letters and digits only, such as LNYD."))


class CertificateType(models.Model):
    """A kind of certificate (老年人优待证, 户籍证明 …): who issues it, how it is printed, how long it lasts."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    number_prefix = models.CharField(
        _("number prefix"),
        max_length=8,
        unique=True,
        validators=[validate_number_prefix],
        help_text=_("Starts every certificate number of this type, e.g. LNYD-20250612-000001-K7QX."),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("issuing department"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.CharField(
        _("template"),
        max_length=100,
        default="generic",
        help_text=_("The HTML template certificates/pdf/<template>.html: senior_card, generic or your own."),
    )
    validity_days = models.PositiveIntegerField(
        _("validity (days)"), null=True, blank=True, help_text=_("Empty: the certificate does not expire.")
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def clean(self) -> None:
        try:
            get_template(template_path(self.template))
        except TemplateDoesNotExist:
            raise ValidationError(
                {
                    "template": _("No template certificates/pdf/%(name)s.html exists.")
                    % {"name": self.template}
                }
            ) from None


class Certificate(models.Model):
    """One certificate issued to one holder. The signed PDF is the certificate; this row is its
    register entry: the public fields for verification, the file's hash, and its status."""

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    type = models.ForeignKey(
        CertificateType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(_("holder's name"), max_length=100)
    # Printed whole on the certificate, masked on every screen.
    holder_id_number = EncryptedTextField(_("holder's ID number"), purpose=HOLDER_ID_NUMBER, blank=True)
    holder_id_number_index = BlindIndexField(source="holder_id_number")
    issuer = models.ForeignKey(
        Department, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="certificates_issued"
    )
    data = models.JSONField(_("printed fields"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ISSUING,
        db_index=True,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    pdf = models.FileField(_("signed PDF"), upload_to="certificates/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("Names the request that issued it (e.g. application:123): a retry finds this row."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [("revoke_certificate", _("Can revoke certificates"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="certificate_valid_until_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def public_status(self, on: datetime.date | None = None) -> PublicStatus:
        """Valid, revoked, expired, not yet valid, or unknown (not issued yet) on the day `on`."""
        today = on or timezone.localdate()
        if self.status == CertificateStatus.REVOKED:
            return PublicStatus.REVOKED
        if self.status != CertificateStatus.VALID:
            return PublicStatus.UNKNOWN
        if self.valid_until is not None and today > self.valid_until:
            return PublicStatus.EXPIRED
        if today < self.valid_from:
            return PublicStatus.NOT_YET_VALID
        return PublicStatus.VALID


class CertificateCounter(models.Model):
    """The last sequence number used for one type on one day (numbers are per type and day)."""

    type = models.ForeignKey(CertificateType, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "day"], name="certificate_counter_type_day")]

    def __str__(self) -> str:
        return f"{self.type_id} {self.day}: {self.last}"
