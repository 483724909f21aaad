"""POST /api/v1/identity/check: instant feedback on an ID number or a credit code."""

import logging

import pytest
from django.core.cache import cache
from django.utils import translation

from eban.accounts import api as accounts_api
from eban.accounts.identity.idnumbers import IdNumberCheck

URL = "/api/v1/identity/check"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **{**EN, **extra})


def test_a_valid_id_number_answers_its_birth_date_and_sex(client):
    response = post(client, {"id_number": ID_NUMBER})
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "code": "ok",
        "reason": "The ID number is well formed.",
        "birth_date": "1949-12-31",
        "sex": "female",
    }


def test_an_invalid_id_number_says_which_part_is_wrong(client):
    response = post(client, {"id_number": "11010519650231002X"})
    assert response.status_code == 200
    assert response.json() == {
        "valid": False,
        "code": "birth_date",
        "reason": "The 7th to 14th digits should be the birth date; 19650231 is not a real date.",
    }


def test_a_lower_case_x_and_spaces_are_fine(client):
    assert post(client, {"id_number": " 110105 19491231 002x"}).json()["valid"] is True


def test_a_valid_credit_code_answers_its_region_code(client):
    response = post(client, {"credit_code": CREDIT_CODE.lower()})
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "code": "ok",
        "reason": "The credit code is well formed.",
        "region_code": "350100",
    }


def test_an_invalid_credit_code_says_which_part_is_wrong(client):
    body = post(client, {"credit_code": "91350100M000100Y44"}).json()
    assert body["valid"] is False
    assert body["code"] == "checksum"
    assert "region_code" not in body


def test_an_empty_number_is_answered_not_refused(client):
    body = post(client, {"id_number": ""}).json()
    assert (body["valid"], body["code"]) == (False, "empty")


def test_both_numbers_at_once_is_a_clear_400(client):
    response = post(client, {"id_number": ID_NUMBER, "credit_code": CREDIT_CODE})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "exactly_one_number"
    assert error["message"] == 'Send exactly one of "id_number" and "credit_code".'


def test_neither_number_is_a_clear_400(client):
    response = post(client, {})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "exactly_one_number"


def test_a_number_as_long_as_a_book_is_refused_by_the_schema(client):
    assert post(client, {"id_number": "1" * 500}).status_code == 422


def test_the_reason_is_written_in_the_requests_language(client, monkeypatch):
    def language_of_the_check(value):
        return IdNumberCheck(False, "checksum", translation.get_language(), value)

    monkeypatch.setattr(accounts_api, "check_id_number", language_of_the_check)
    chinese = client.post(URL, {"id_number": ID_NUMBER}, content_type="application/json")
    english = post(client, {"id_number": ID_NUMBER})
    assert chinese.json()["reason"] == "zh-hans"
    assert english.json()["reason"] == "en"


def test_a_burst_over_the_limit_answers_429_with_retry_after(client, settings):
    settings.EBAN_IDENTITY_CHECK_RATE = "5/minute"
    for _ in range(5):
        assert post(client, {"id_number": ID_NUMBER}).status_code == 200
    response = post(client, {"id_number": ID_NUMBER})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 61


def test_the_limit_is_per_client_address(client, settings):
    settings.EBAN_IDENTITY_CHECK_RATE = "2/minute"
    for _ in range(2):
        post(client, {"credit_code": CREDIT_CODE}, REMOTE_ADDR="10.0.0.1")
    assert post(client, {"credit_code": CREDIT_CODE}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert post(client, {"credit_code": CREDIT_CODE}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_default_limit_is_60_a_minute(client):
    statuses = [post(client, {"id_number": ID_NUMBER}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


def test_the_number_is_never_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    post(client, {"id_number": ID_NUMBER})
    post(client, {"id_number": "11010519491231002"})
    post(client, {"id_number": ID_NUMBER, "credit_code": CREDIT_CODE})
    post(client, {"credit_code": CREDIT_CODE})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "1101051949" not in logged
    assert "M000100Y" not in logged


def test_the_number_is_not_echoed_back(client):
    for body in ({"id_number": ID_NUMBER}, {"credit_code": CREDIT_CODE}, {"id_number": "11010519491231002"}):
        text = post(client, body).content.decode()
        assert "1101051949" not in text
        assert "M000100Y" not in text
