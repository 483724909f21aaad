"""Materials of an application: uploads checked by content (not by name), size-limited, hashed and
stored through Django's storage API (S3-compatible storage works by configuration); and the
materials taken from shared government data, for which the applicant brings nothing (免提交)."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from .enums import MaterialSource

MAX_FILES = 20

# What a file is, by its first bytes.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


# Markup a browser would run if it ever took the file for a page (a "%PDF-" + HTML polyglot, an
# image with a script appended). Looked for in the whole file, whatever its kind; tags of four
# letters or more, so that the compressed bytes of a genuine scan practically never match one.
HTML_MARKERS = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|object|embed|svg|meta)", re.IGNORECASE
)


def max_bytes() -> int:
    return int(settings.EBAN_UPLOAD_MAX_BYTES)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None when not an accepted kind."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the material's name in the guide
    content: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def check_upload(material_name: str, upload) -> CheckedUpload:
    """An uploaded file (Django UploadedFile or bytes) accepted as a material, or DomainError."""
    content = upload if isinstance(upload, bytes) else upload.read(max_bytes() + 1)
    if not content:
        raise DomainError(
            _("The file for “%(name)s” is empty.") % {"name": material_name}, code="material_empty"
        )
    if len(content) > max_bytes():
        raise DomainError(
            _("The file for “%(name)s” is larger than %(mb)d MB.")
            % {"name": material_name, "mb": max_bytes() // 2**20},
            code="material_too_large",
        )
    kind = sniff(content[:16])
    if kind is None:
        raise DomainError(
            _("The file for “%(name)s” must be a PDF, JPEG, PNG or WebP file.") % {"name": material_name},
            code="material_type",
        )
    if HTML_MARKERS.search(content) or (kind[0] == "application/pdf" and not is_readable_pdf(content)):
        raise DomainError(
            _("The file for “%(name)s” is not a valid %(kind)s file.")
            % {"name": material_name, "kind": kind[1].upper()},
            code="material_type",
        )
    return CheckedUpload(material_name, content, kind[0], kind[1], hashlib.sha256(content).hexdigest())


def is_readable_pdf(content: bytes) -> bool:
    """True when `content` is a PDF by its structure, not only its first bytes: pyHanko's reader
    finds the cross-reference table, the trailer and a page tree with at least one page; a
    password-protected file, which reviewers could not open, is refused too."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        if reader.encrypted:
            return False
        return int(reader.root["/Pages"]["/Count"]) >= 1
    except Exception:  # any parse failure of an untrusted file: not a PDF we take
        return False


def store(material, upload: CheckedUpload) -> None:
    """Save the checked upload on a Material row (not yet saved) under a random name."""
    material.source = MaterialSource.UPLOAD
    material.content_type = upload.content_type
    material.size = upload.size
    material.sha256 = upload.sha256
    material.file.save(f"{uuid.uuid4().hex}.{upload.extension}", ContentFile(upload.content), save=False)


def guide_materials(matter) -> list[dict]:
    """The materials of a matter's guide: name, required, and whether shared data provides it."""
    out = []
    for block in matter.materials.raw_data:
        value = block.get("value", {})
        out.append(
            {
                "name": value.get("name", ""),
                "required": bool(value.get("required", True)),
                "shared": value.get("source") == "shared",
                "note": value.get("note", ""),
            }
        )
    return out
