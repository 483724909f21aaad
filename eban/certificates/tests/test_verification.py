"""A certificate's PDF validates (intact, valid, trusted) and any change to the file fails."""

from __future__ import annotations

import io

import pytest

from eban.certificates import pki
from eban.certificates.verification import verify_pdf

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(issued) -> bytes:
    return pdf_bytes(issued)


def test_a_freshly_issued_pdf_validates_and_is_trusted_by_the_demo_ca(signed, issued):
    report = verify_pdf(signed)
    assert report.signed and report.intact and report.valid and report.trusted
    assert report.ok and report.problems == []
    assert "温州市民政局" in report.signer
    assert report.signed_at is not None
    assert report.sha256 == issued.sha256


def _flip_inside_a_stream(data: bytes) -> bytes:
    """One byte changed in the middle of the first content stream (inside the signed range)."""
    start = data.index(b"stream\n") + len(b"stream\n")
    position = start + 40
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_one_flipped_byte_inside_the_signed_range_fails(signed):
    report = verify_pdf(_flip_inside_a_stream(signed))
    assert not report.ok
    assert report.signed and not report.intact and not report.valid


def test_an_incremental_update_that_changes_the_content_fails(signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    forged = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 RG 0 0 200 200 re f Q"))
    writer.add_stream_to_page(0, forged)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.intact  # the originally signed bytes are still there...
    assert not report.valid and not report.ok  # ...but the file was changed after signing
    assert report.problems


def test_bytes_appended_after_the_signature_fail(signed):
    report = verify_pdf(signed + b"\n% appended\n")
    assert not report.ok


def test_a_signature_from_an_untrusted_root_is_not_trusted(signed):
    report = verify_pdf(signed, trust_roots=[])
    assert report.intact and report.valid and not report.trusted and not report.ok


def test_a_pdf_signed_with_a_key_of_another_ca_is_not_trusted(tmp_path, settings, monkeypatch, issue):
    import json

    from eban.certificates.signing import DEMO_PASSPHRASE

    other = tmp_path / "other-pki"
    pki.ensure_demo_pki(other, [("330300-MZ", "温州市民政局")])
    monkeypatch.setenv("OTHER_P12_PASSWORD", DEMO_PASSPHRASE.decode())
    settings.EBAN_SIGNING_KEYS = json.dumps(
        {
            "330300-MZ": {
                "pkcs12": str(other / "departments" / "330300-MZ.p12"),
                "password_env": "OTHER_P12_PASSWORD",
            }
        }
    )
    report = verify_pdf(pdf_bytes(issue("application:other-ca")))
    assert report.intact and report.valid and not report.trusted and not report.ok


def test_not_a_pdf():
    report = verify_pdf(b"hello")
    assert not report.signed and not report.ok and report.problems


def test_a_pdf_without_a_signature(issued):
    from eban.certificates import render

    report = verify_pdf(render.render_pdf(issued))
    assert not report.signed and not report.ok
