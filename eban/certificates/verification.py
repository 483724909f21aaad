"""Checking a certificate PDF's signature (pyHanko's validation).

`verify_pdf(data)` answers: is there exactly one signature, does the signed byte range still hash
to what was signed (intact), is the signature cryptographically good and does it cover the whole
file with no change after signing (valid), and does the signer's certificate chain to a trusted
root (trusted: the roots of `signing.trust_roots()`, or those given). Any change to the file —
one flipped byte inside the signed range, or an incremental update appended after it — makes
`ok` false. Nothing is fetched from a network (no OCSP or CRL: the demo CA publishes none; a
deployment with a real CA adds revocation data, see docs/certificates.md).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import signing

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureReport:
    signed: bool  # the file is a PDF with a signature
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature is good and covers the whole file, unchanged since signing
    trusted: bool  # the signer's certificate chains to a trusted root
    signer: str = ""  # the signing certificate's subject
    signed_at: datetime.datetime | None = None  # the time the signer reported
    sha256: str = ""  # of the whole file
    problems: list[str] = field(default_factory=list)  # translated, for people

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted


def _failed(data: bytes, problem: str) -> SignatureReport:
    return SignatureReport(
        signed=False, intact=False, valid=False, trusted=False, sha256=_sha256(data), problems=[problem]
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _subject_labels() -> list[tuple[str, str]]:
    """The parts of a signer's name that people read, in the order they read them."""
    return [
        ("organization_name", _("Organisation")),
        ("organizational_unit_name", _("Unit")),
        ("common_name", _("Common name")),
        ("locality_name", _("City")),
        ("state_or_province_name", _("Province")),
        ("country_name", _("Country or region")),
    ]


def _subject(cert) -> str:
    """The signer's subject with labels in the reader's language ("Organisation: …; Name: …"),
    not X.509's English ones ("Common Name: …")."""
    try:
        native = cert.subject.native
    except Exception:  # an odd certificate must not break the report
        return ""
    parts = []
    for key, label in _subject_labels():
        value = native.get(key)
        if not value:
            continue
        text = ", ".join(value) if isinstance(value, list) else str(value)
        parts.append(_("%(label)s: %(value)s") % {"label": label, "value": text})
    return _("; ").join(parts)


def verify_pdf(data: bytes, *, trust_roots: list | None = None) -> SignatureReport:
    """The report on `data` (the bytes of a PDF). Never raises for a bad file: says what is wrong."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if not data or not data.lstrip()[:5] == b"%PDF-":
        return _failed(data, _("The file is not a PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        logger.info("certificate PDF unreadable: %s", type(exc).__name__)
        return _failed(data, _("The PDF cannot be read: it is damaged or not a certificate."))
    if not signatures:
        return _failed(data, _("The PDF has no signature."))
    if len(signatures) > 1:
        # eban signs once; a second signature means someone else signed a changed copy.
        return SignatureReport(
            signed=True,
            intact=False,
            valid=False,
            trusted=False,
            sha256=_sha256(data),
            problems=[_("The PDF has more than one signature: it was changed after it was issued.")],
        )
    roots = signing.trust_roots() if trust_roots is None else trust_roots
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signatures[0], signer_validation_context=context)
    except Exception as exc:
        logger.info("certificate PDF signature could not be validated: %s", type(exc).__name__)
        return SignatureReport(
            signed=True,
            intact=False,
            valid=False,
            trusted=False,
            sha256=_sha256(data),
            problems=[_("The signature cannot be checked: the file is damaged.")],
        )
    problems = []
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    unmodified = status.modification_level in (None, ModificationLevel.NONE) and status.docmdp_ok is not False
    if not status.intact:
        problems.append(_("The signed content has been changed."))
    elif not status.valid:
        problems.append(_("The signature does not match the signer's certificate."))
    if status.intact and (not whole or not unmodified):
        problems.append(_("The file was changed after it was signed."))
    if status.intact and not status.trusted:
        problems.append(_("The signer's certificate is not from a trusted authority, or is not valid now."))
    return SignatureReport(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid and whole and unmodified),
        trusted=bool(status.trusted),
        signer=_subject(status.signing_cert),
        signed_at=status.signer_reported_dt,
        sha256=_sha256(data),
        problems=problems,
    )
