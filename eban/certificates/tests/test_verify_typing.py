"""A genuine number is found however a person types it (spaces, no hyphens, full-width, lower
case), and the signer on /verify reads in the page's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from eban.certificates.numbering import normalize
from eban.certificates.verification import verify_pdf

from .conftest import pdf_bytes

NUMBER = "LNYD-20250612-000123-K7QX"


@pytest.mark.parametrize(
    "typed",
    [
        NUMBER,
        "lnyd-20250612-000123-k7qx",
        " LNYD 20250612 000123 K7QX ",
        "LNYD20250612000123K7QX",
        "lnyd20250612000123k7qx",
        "ＬＮＹＤ－２０２５０６１２－０００１２３－Ｋ７ＱＸ",  # full-width, as a Chinese keyboard types it
        "LNYD　20250612　000123　K7QX",  # ideographic spaces
        "LNYD–20250612—000123_K7QX",  # dashes of every kind
        "LNYD-2025 0612-000 123-K7QX",
        "LNYD-20250612000123-K7QX",
    ],
)
def test_a_number_typed_any_way_is_normalised(typed):
    assert normalize(typed) == NUMBER


def test_a_prefix_ending_in_digits_keeps_them_without_hyphens():
    assert normalize("sc2 20250612 000123 k7qx") == "SC2-20250612-000123-K7QX"
    assert normalize("SC220250612000123K7QX") == "SC2-20250612-000123-K7QX"


def test_something_that_is_no_number_is_only_tidied():
    assert normalize(" hello world ") == "HELLO WORLD"
    assert normalize("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["spaces", "compact", "fullwidth"])
def test_the_page_finds_a_genuine_number_typed_with_spaces_or_without_hyphens(client, issued, spelling):
    typed = {
        "spaces": issued.number.replace("-", " ").lower(),
        "compact": issued.number.replace("-", ""),
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in issued.number),
    }[spelling]
    response = client.get("/verify/", {"number": typed})
    assert response.status_code == 302 and response["Location"] == f"/verify/{issued.number}"
    assert client.get(f"/verify/{typed}").status_code == 200


@pytest.mark.django_db
def test_the_signer_reads_with_labels_in_the_page_language(issued):
    data = pdf_bytes(issued)
    with translation.override("en"):
        english = verify_pdf(data).signer
    assert "Organisation: 温州市民政局" in english
    assert "Common Name" not in english


@pytest.mark.django_db
def test_the_verify_page_shows_no_english_x509_labels(client, issued):
    upload = SimpleUploadedFile("card.pdf", pdf_bytes(issued), content_type="application/pdf")
    html = client.post(f"/verify/{issued.number}", {"pdf": upload}).content.decode()
    assert "温州市民政局" in html
    for x509_label in ("Common Name", "Organization:", "Organizational Unit"):
        assert x509_label not in html
    # The labels' Chinese (组织、名称…) comes from the zh-hans catalogue (public.po, merged later).
