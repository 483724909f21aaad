"""The states of a certificate, stored and shown."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class CertificateStatus(models.TextChoices):
    """Stored status. ISSUING: the row (and its number) exists, the signed PDF not yet: a retried
    issue completes it (see actions.issue_certificate). Never shown to the public as a certificate."""

    ISSUING = "issuing", pgettext_lazy("certificate status", "Being issued")
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")


class PublicStatus(models.TextChoices):
    """What the verification page and API say about a number, on a given day."""

    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    NOT_YET_VALID = "not_yet_valid", pgettext_lazy("certificate status", "Not yet valid")
    EXPIRED = "expired", pgettext_lazy("certificate status", "Expired")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")
    UNKNOWN = "unknown", pgettext_lazy("certificate status", "Unknown")
