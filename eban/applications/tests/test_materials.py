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


def test_a_pdf_and_a_jpeg_are_accepted():
    assert materials.check_upload("x", b"%PDF-1.7\n...").content_type == "application/pdf"
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
