import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eban.applications import materials
from eban.core.exceptions import DomainError


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_png_is_accepted_by_its_content_whatever_its_name():
    upload = materials.check_upload("户口簿", SimpleUploadedFile("scan.exe", _png()))
    assert upload.content_type == "image/png" and upload.extension == "png" and len(upload.sha256) == 64


def _pdf(extra: bytes = b"") -> bytes:
    """A minimal well-formed one-page PDF (with a correct cross-reference table)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]" + extra + b">>",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj" % number + obj + b"endobj\n"
    xref = len(body)
    body += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_a_pdf_and_a_jpeg_are_accepted():
    assert materials.check_upload("x", _pdf()).content_type == "application/pdf"
    assert materials.check_upload("x", b"\xff\xd8\xff\xe0rest").content_type == "image/jpeg"


@pytest.mark.parametrize("content", [b"MZ\x90\x00executable", b"<html><script>", b"PK\x03\x04zip"])
def test_other_kinds_are_refused_even_when_named_pdf(content):
    with pytest.raises(DomainError) as error:
        materials.check_upload("x", SimpleUploadedFile("file.pdf", content))
    assert error.value.code == "material_type"


def test_empty_and_oversized_files_are_refused(settings):
    settings.EBAN_UPLOAD_MAX_BYTES = 100
    with pytest.raises(DomainError):
        materials.check_upload("x", b"")
    with pytest.raises(DomainError) as error:
        materials.check_upload("x", b"%PDF-" + b"0" * 200)
    assert error.value.code == "material_too_large"


@pytest.mark.parametrize(
    "content",
    [
        # The security review's polyglot: a PDF header, then a page for the browser.
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.7\n%%EOF",  # a header and nothing of a PDF's structure
        b"%PDF-" + b"0" * 200,
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(content):
    with pytest.raises(DomainError) as error:
        materials.check_upload("x", SimpleUploadedFile("file.pdf", content))
    assert error.value.code == "material_type"


def test_a_well_formed_pdf_carrying_html_is_refused():
    content = _pdf(b"/Note(<html><script>alert(1)</script></html>)")
    with pytest.raises(DomainError) as error:
        materials.check_upload("x", content)
    assert error.value.code == "material_type"


@pytest.mark.parametrize("marker", [b"<script>", b"<HTML>", b"<!DOCTYPE html>", b"<svg onload=x>"])
def test_an_image_carrying_html_is_refused(marker):
    with pytest.raises(DomainError) as error:
        materials.check_upload("x", _png() + marker)
    assert error.value.code == "material_type"
