"""Every write to certificates: issuing (idempotent), revoking, and the sample types.

Issuing in two steps, so that a retried job completes a certificate and never makes a second:

1. **Claim** (a short transaction): find the row of `key`, or create it — with its number, the
   holder, the dates and status ISSUING. `idempotency_key` is unique, so two workers running the
   same job at once end up with the same row (the loser of the insert reads the winner's).
2. **Complete** (a transaction holding that row's lock): if it is still ISSUING, render the PDF,
   sign it, store it under a name made from the number (replacing whatever a crashed attempt
   left there), record its SHA-256 and set the status to VALID, and audit.

A crash after 1 leaves an ISSUING row (shown to the public as unknown); the retry takes the same
row and number and completes it. A crash in 2 rolls back to ISSUING; the retry overwrites the
file. Two concurrent completions wait on the row lock; the second finds it VALID and returns it.
Call it outside a transaction (from the task): the claim's counter row stays locked until the
caller's transaction ends.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from eban.government.models import Department

from . import render, signing
from .enums import CertificateStatus
from .models import Certificate, CertificateCounter, CertificateType
from .numbering import format_number

ISSUE = "certificates.certificate.issue"
REVOKE = "certificates.certificate.revoke"
KEY_MAX = 200


def _as_date(value: Any, name: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            _("%(field)s must be a date written YYYY-MM-DD.") % {"field": name}, code="invalid_date"
        ) from None


def next_sequence(cert_type: CertificateType, day: datetime.date) -> int:
    """The next sequence number of `cert_type` on `day` (locks the counter row until commit)."""
    counters = CertificateCounter.objects.filter(type=cert_type, day=day)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                CertificateCounter.objects.create(type=cert_type, day=day, last=1)
            return 1
        except IntegrityError:  # created by a concurrent claim in the meantime
            counters.update(last=F("last") + 1)
    return counters.values_list("last", flat=True).get()


def _claim(
    *,
    key: str,
    cert_type: CertificateType,
    issuer: Department,
    holder_name: str,
    holder_id_number: str,
    data: dict,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
) -> Certificate:
    existing = Certificate.objects.filter(idempotency_key=key).select_related("type", "issuer").first()
    if existing is not None:
        return existing
    now = timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        sequence = next_sequence(cert_type, day)
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    number=format_number(cert_type.number_prefix, day, sequence),
                    type=cert_type,
                    holder_name=holder_name,
                    holder_id_number=holder_id_number,
                    issuer=issuer,
                    data=data,
                    issued_at=now,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    status=CertificateStatus.ISSUING,
                    idempotency_key=key,
                )
        except IntegrityError:
            pass  # the same key claimed by a concurrent run: theirs is the certificate
    return Certificate.objects.select_related("type", "issuer").get(idempotency_key=key)


def storage_name(certificate: Certificate) -> str:
    """Where the signed PDF is stored: made from the number, so a retry replaces its own file."""
    return f"{certificate.issued_at:%Y}/{certificate.number}.pdf"


def _complete(certificate: Certificate, *, photo: bytes | None, actor) -> Certificate:
    timings: dict[str, float] = {}
    certificate = Certificate.objects.select_related("type", "issuer", "issuer__division").get(
        pk=certificate.pk
    )
    if certificate.status != CertificateStatus.ISSUING:
        return certificate
    # Render and sign before the transaction: they take hundreds of milliseconds, and on SQLite a
    # write transaction holds the whole database (every other writer waited behind it, and under
    # load timed out with "database is locked"). A concurrent run may sign the same certificate
    # too; the lock below lets one of them store it, the other's PDF is dropped.
    start = time.perf_counter()
    unsigned = render.render_pdf(certificate, photo=photo)
    timings["render_ms"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    signed = signing.sign_pdf(
        unsigned,
        certificate.issuer,
        options=signing.SignOptions(
            reason=f"{certificate.type.name} {certificate.number}",
            location=certificate.issuer.division.name,
            name=certificate.issuer.name,
        ),
    )
    timings["sign_ms"] = (time.perf_counter() - start) * 1000
    with transaction.atomic():
        certificate = (
            # of=("self",): lock the certificate only. Without it PostgreSQL locks the joined type,
            # department and division rows FOR UPDATE too, which every concurrent issue of the
            # same type then waits on (and deadlocks with the foreign-key checks of new rows).
            Certificate.objects.select_for_update(of=("self",))
            .select_related("type", "issuer", "issuer__division")
            .get(pk=certificate.pk)
        )
        if certificate.status != CertificateStatus.ISSUING:
            return certificate  # completed by a concurrent run while we rendered
        start = time.perf_counter()
        field = certificate.pdf.field
        name = field.generate_filename(certificate, storage_name(certificate))
        if field.storage.exists(name):
            field.storage.delete(name)  # left by an attempt that crashed before its commit
        certificate.pdf.save(storage_name(certificate), ContentFile(signed), save=False)
        certificate.sha256 = hashlib.sha256(signed).hexdigest()
        certificate.status = CertificateStatus.VALID
        certificate.save(update_fields=["pdf", "sha256", "status", "updated_at"])
        timings["store_ms"] = (time.perf_counter() - start) * 1000
        audit.record(
            actor,
            ISSUE,
            certificate,
            title=certificate.number,
            data={
                "number": certificate.number,
                "type": certificate.type.code,
                "issuer": certificate.issuer.code,
                "sha256": certificate.sha256,
            },
        )
    certificate.timings = timings  # for benchmarks: what this call spent rendering and signing
    return certificate


def issue_certificate(
    *,
    key: str,
    type_code: str,
    department: Department | None = None,
    holder_name: str,
    holder_id_number: str = "",
    data: dict | None = None,
    photo: bytes | None = None,
    valid_from: datetime.date | str | None = None,
    valid_until: datetime.date | str | None = None,
    actor=None,
) -> Certificate:
    """Issue the certificate that `key` names (e.g. `application:1234`), or return it if it exists.

    `department` is the issuer (the type's department when None). `valid_from` defaults to today,
    `valid_until` to `valid_from` plus the type's validity (none: no expiry). The full ID number
    is printed on the certificate and stored encrypted. The returned certificate is VALID, with
    its signed PDF in `pdf`; a retry with the same key returns the same one (see the module doc).
    """
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX:
        raise DomainError(_("An idempotency key of 1 to 200 characters is required."), code="invalid_key")
    existing = Certificate.objects.filter(idempotency_key=key).select_related("type", "issuer").first()
    if existing is not None:
        if existing.type.code != type_code:
            raise Conflict(
                _("The key %(key)s already issued a certificate of another type.") % {"key": key},
                code="key_reused",
            )
        if existing.status != CertificateStatus.ISSUING:
            return existing
        return _complete(existing, photo=photo, actor=actor)
    cert_type = CertificateType.objects.select_related("department").filter(code=type_code).first()
    if cert_type is None:
        raise NotFound(_("No certificate type %(code)s.") % {"code": type_code}, code="unknown_type")
    holder_name = (holder_name or "").strip()
    if not holder_name:
        raise DomainError(_("The holder's name is required."), code="holder_name_required")
    start = _as_date(valid_from, "valid_from") or timezone.localdate()
    end = _as_date(valid_until, "valid_until")
    if end is None and cert_type.validity_days:
        end = start + datetime.timedelta(days=cert_type.validity_days)
    if end is not None and end < start:
        raise DomainError(_("The certificate cannot end before it starts."), code="invalid_dates")
    certificate = _claim(
        key=key,
        cert_type=cert_type,
        issuer=department or cert_type.department,
        holder_name=holder_name,
        holder_id_number=(holder_id_number or "").strip().upper(),
        data=dict(data or {}),
        valid_from=start,
        valid_until=end,
    )
    if certificate.status != CertificateStatus.ISSUING:
        return certificate
    return _complete(certificate, photo=photo, actor=actor)


def _ensure_can_revoke(actor) -> None:
    actor = audit.unwrap(actor)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return  # the system (a task, an operator's command)
    if not actor.has_perm("certificates.revoke_certificate"):
        raise PermissionDenied(_("You may not revoke certificates."))


def revoke_certificate(certificate: Certificate, *, reason: str, actor=None) -> Certificate:
    """Revoke a valid certificate, with the reason the verification page shows. Audited.

    An official needs the permission certificates.revoke_certificate; the caller (the applications
    back office) checks that the certificate is in the official's scope."""
    _ensure_can_revoke(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the revocation."), code="reason_required")
    if len(reason) > 500:
        raise DomainError(_("The reason is too long (at most 500 characters)."), code="reason_too_long")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == CertificateStatus.REVOKED:
            raise Conflict(
                _("Certificate %(number)s is already revoked.") % {"number": certificate.number},
                code="already_revoked",
            )
        if certificate.status != CertificateStatus.VALID:
            raise Conflict(
                _("Certificate %(number)s has not been issued yet.") % {"number": certificate.number},
                code="not_issued",
            )
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason
        certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "updated_at"])
        # The reason stays on the certificate (it is public); the audit entry names the number only.
        audit.record(
            actor, REVOKE, certificate, title=certificate.number, data={"number": certificate.number}
        )
    return certificate


TYPE_FIELDS = ("name", "name_en", "number_prefix", "template", "validity_days", "is_sample")


def save_certificate_type(*, code: str, department: Department, actor=None, **values) -> CertificateType:
    """Create or update the certificate type `code` (validated, audited when it changes)."""
    unknown_fields = set(values) - set(TYPE_FIELDS)
    if unknown_fields:
        raise TypeError(f"unknown certificate type fields: {sorted(unknown_fields)}")
    with transaction.atomic():
        cert_type = CertificateType.objects.select_for_update().filter(code=code).first()
        created = cert_type is None
        if created:
            cert_type = CertificateType(code=code)
        changed = [name for name, value in values.items() if getattr(cert_type, name) != value]
        if cert_type.department_id != department.pk:
            changed.append("department")
        if not created and not changed:
            return cert_type
        for name, value in values.items():
            setattr(cert_type, name, value)
        cert_type.department = department
        cert_type.full_clean()
        cert_type.save()
        audit.record(
            actor,
            "certificates.type.create" if created else "certificates.type.update",
            cert_type,
            data={"code": code, "changed": sorted(changed)},
        )
    return cert_type


def ensure_sample_types(actor=None) -> list[CertificateType]:
    """The sample certificate types (samples.py) whose departments exist; idempotent."""
    from .samples import SAMPLE_TYPES

    departments = {
        d.code: d for d in Department.objects.filter(code__in={t["department"] for t in SAMPLE_TYPES})
    }
    saved = []
    for spec in SAMPLE_TYPES:
        department = departments.get(spec["department"])
        if department is None:
            continue
        values = {k: v for k, v in spec.items() if k not in ("code", "department")}
        saved.append(
            save_certificate_type(
                code=spec["code"], department=department, actor=actor, is_sample=True, **values
            )
        )
    return saved
