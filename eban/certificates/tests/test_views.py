"""The public verification page /verify/<number> and GET /api/v1/certificates/{number}."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from eban.certificates import actions
from eban.certificates.models import Certificate

from .conftest import HOLDER_ID, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def page(client, number, **kwargs):
    return client.get(f"/verify/{number}", **kwargs)


def test_the_qr_code_url_is_the_verification_page(issued):
    from eban.certificates.render import verify_url

    assert verify_url(issued.number) == f"https://eban.example.test/verify/{issued.number}"


def test_a_valid_certificate_shows_its_public_facts_with_the_name_masked(client, issued):
    response = page(client, issued.number)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert issued.number in html and "老年人优待证" in html and "温州市民政局" in html
    assert "张*" in html
    assert "张三" not in html
    assert HOLDER_ID not in html and HOLDER_ID[6:14] not in html


def test_the_page_is_chinese_first_and_english_on_request(client, issued):
    html = page(client, issued.number).content.decode()
    assert 'lang="zh-Hans"' in html and "老年人优待证" in html
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = page(client, issued.number).content.decode()
    assert 'lang="en"' in html and "Verify a certificate" in html and "Senior citizen card" in html


def test_the_page_works_in_elderly_mode(client, issued):
    response = page(client, issued.number, QUERY_STRING="elderly=1")
    assert response.status_code == 200 and 'class="elderly' in response.content.decode()


def test_a_revoked_certificate_shows_as_revoked_with_its_reason(client, issued):
    actions.revoke_certificate(issued, reason="持证人信息有误，已重新签发", actor=None)
    html = page(client, issued.number).content.decode()
    assert 'data-status="revoked"' in html
    assert "持证人信息有误，已重新签发" in html


def test_an_expired_certificate_shows_as_expired(client, issue, household_type):
    certificate = issue(
        "application:old",
        type_code="household_registration_certificate",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2020, 3, 31),
    )
    assert 'data-status="expired"' in page(client, certificate.number).content.decode()


def test_an_unknown_number_is_a_404_that_hints_at_nothing(client, issued):
    unknown = issued.number[:-4] + ("ZZZZ" if not issued.number.endswith("ZZZZ") else "YYYY")
    response = page(client, unknown)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-status="unknown"' in html
    assert "温州市民政局" not in html and "老年人优待证" not in html
    malformed = page(client, "not-a-number")
    assert malformed.status_code == 404 and 'data-status="unknown"' in malformed.content.decode()


def test_a_certificate_still_being_issued_is_unknown(client, issued):
    Certificate.objects.filter(pk=issued.pk).update(status="issuing")
    assert page(client, issued.number).status_code == 404


def test_a_lowercase_number_is_found(client, issued):
    assert page(client, issued.number.lower()).status_code == 200


def test_lookups_are_rate_limited_per_address(client, settings, issued):
    settings.EBAN_CERTIFICATE_VERIFY_RATE = "3/minute"
    for _ in range(3):
        assert page(client, issued.number).status_code == 200
    limited = page(client, issued.number)
    assert limited.status_code == 429 and limited["Retry-After"]
    other_address = page(client, issued.number, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


def test_the_number_form_leads_to_the_page(client, issued):
    response = client.get("/verify/", {"number": f" {issued.number.lower()} "})
    assert response.status_code == 302 and response["Location"] == f"/verify/{issued.number}"


def test_uploading_the_issued_pdf_confirms_it(client, issued):
    upload = SimpleUploadedFile("card.pdf", pdf_bytes(issued), content_type="application/pdf")
    response = client.post(f"/verify/{issued.number}", {"pdf": upload})
    assert response.status_code == 200
    assert 'data-testid="file-check" data-ok="1"' in response.content.decode()


def test_uploading_a_changed_pdf_fails_the_check(client, issued):
    data = bytearray(pdf_bytes(issued))
    position = data.index(b"stream\n") + 60
    data[position] ^= 0x01
    upload = SimpleUploadedFile("card.pdf", bytes(data), content_type="application/pdf")
    response = client.post(f"/verify/{issued.number}", {"pdf": upload})
    assert 'data-testid="file-check" data-ok="0"' in response.content.decode()


def test_uploading_another_certificates_pdf_is_not_this_one(client, issue):
    first, second = issue("application:a"), issue("application:b")
    upload = SimpleUploadedFile("card.pdf", pdf_bytes(second), content_type="application/pdf")
    html = client.post(f"/verify/{first.number}", {"pdf": upload}).content.decode()
    assert 'data-ok="0"' in html


# The API


def test_api_answers_the_public_fields(client, issued):
    response = client.get(f"/api/v1/certificates/{issued.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == issued.number and body["status"] == "valid"
    assert body["holder"] == "张*" and body["type_code"] == "senior_card"
    assert body["issuer"] == "温州市民政局" and body["valid_until"] is None
    assert body["sha256"] == issued.sha256 and body["is_sample"] is True
    assert HOLDER_ID not in response.content.decode()


def test_api_shows_a_revocation(client, issued):
    actions.revoke_certificate(issued, reason="错误签发", actor=None)
    body = client.get(f"/api/v1/certificates/{issued.number}").json()
    assert body["status"] == "revoked" and body["revoked_reason"] == "错误签发" and body["revoked_at"]


def test_api_unknown_number_is_404(client, issued):
    response = client.get("/api/v1/certificates/LNYD-20200101-000001-ZZZZ", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_certificate"


def test_api_is_rate_limited_with_the_page(client, settings, issued):
    settings.EBAN_CERTIFICATE_VERIFY_RATE = "2/minute"
    page(client, issued.number)
    assert client.get(f"/api/v1/certificates/{issued.number}").status_code == 200
    response = client.get(f"/api/v1/certificates/{issued.number}")
    assert response.status_code == 429 and response["Retry-After"]


def test_download_response_serves_the_signed_pdf_privately(issued):
    from eban.certificates.views import download_response

    response = download_response(issued)
    body = b"".join(response.streaming_content)
    assert body == pdf_bytes(issued)
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{issued.number}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
