"""Sign-in codes: random, hashed, 5 minutes, 5 attempts, one live code per phone, rate limits."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from eban.accounts.models import LoginCode, phone_index
from eban.accounts.signin import codes
from eban.core.exceptions import DomainError
from eban.core.ratelimit import RateLimited
from eban.notifications import sms

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
IP = "203.0.113.9"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def sent_code(phone: str = PHONE) -> str:
    """The code in the last text message to `phone`."""
    message = [m for m in sms.outbox if m.to == phone][-1]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.text).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def error_of(call) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_request_sends_six_random_digits_to_the_phone():
    codes.request_code(PHONE, ip=IP)
    (message,) = sms.outbox
    assert message.to == PHONE
    assert re.fullmatch(r"\d{6}", sent_code())
    assert message.reference.startswith("login-code-")


def test_the_code_text_says_how_long_it_is_valid():
    with translation.override("en"):
        codes.request_code(PHONE, ip=IP)
    assert "valid for 5 minutes" in sms.outbox[0].text


def test_the_code_is_stored_hashed_never_in_clear():
    codes.request_code(PHONE, ip=IP)
    code = sent_code()
    row = LoginCode.objects.get()
    assert row.code_hash == codes.code_hash(row.pk, phone_index(PHONE), code)
    assert code not in row.code_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_logincode")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert code not in stored and PHONE not in stored


def test_the_same_code_hashes_differently_for_two_rows():
    index = phone_index(PHONE)
    assert codes.code_hash(1, index, "123456") != codes.code_hash(2, index, "123456")


def test_the_right_code_signs_in_once():
    codes.request_code(PHONE, ip=IP)
    code = sent_code()
    assert codes.verify_code(PHONE, code) is True
    assert error_of(lambda: codes.verify_code(PHONE, code)).code == "code_missing"


def test_full_width_digits_and_spaces_are_accepted():
    codes.request_code(PHONE, ip=IP)
    typed = " ".join(chr(ord(d) + 0xFEE0) for d in sent_code())  # １ ２ ３ …
    assert codes.verify_code(PHONE, typed) is True


def test_a_code_that_is_not_six_digits_is_refused_without_using_an_attempt():
    codes.request_code(PHONE, ip=IP)
    error = error_of(lambda: codes.verify_code(PHONE, "12ab"))
    assert error.code == "code_format"
    assert LoginCode.objects.get().attempts == 0


def test_a_wrong_code_says_how_many_attempts_are_left():
    codes.request_code(PHONE, ip=IP)
    error = error_of(lambda: codes.verify_code(PHONE, wrong(sent_code())))
    assert error.code == "code_wrong"
    assert "4 more times" in error.message
    assert error.details == {"attempts_left": 4}


def test_after_five_wrong_codes_even_the_right_one_is_refused():
    codes.request_code(PHONE, ip=IP)
    code = sent_code()
    for left in (4, 3, 2, 1):
        assert error_of(lambda: codes.verify_code(PHONE, wrong(code))).details == {"attempts_left": left}
    assert error_of(lambda: codes.verify_code(PHONE, wrong(code))).code == "code_exhausted"
    error = error_of(lambda: codes.verify_code(PHONE, code))
    assert error.code == "code_exhausted"
    assert "too many times" in error.message


def test_an_expired_code_is_refused():
    codes.request_code(PHONE, ip=IP)
    code = sent_code()
    later = timezone.now() + datetime.timedelta(minutes=5, seconds=1)
    error = error_of(lambda: codes.verify_code(PHONE, code, now=later))
    assert error.code == "code_expired"
    assert "expired" in error.message


def test_a_code_is_valid_until_just_before_five_minutes():
    codes.request_code(PHONE, ip=IP)
    almost = timezone.now() + datetime.timedelta(minutes=4, seconds=58)
    assert codes.verify_code(PHONE, sent_code(), now=almost) is True


def test_no_code_requested_is_said_plainly():
    error = error_of(lambda: codes.verify_code(PHONE, "123456"))
    assert error.code == "code_missing"
    assert "Ask for a new code" in error.message


def test_a_code_for_another_phone_does_not_work():
    codes.request_code(PHONE, ip=IP)
    assert error_of(lambda: codes.verify_code("13900001111", sent_code())).code == "code_missing"


def test_a_new_code_ends_the_older_one():
    codes.request_code(PHONE, ip=IP)
    first = sent_code()
    codes.ratelimit.reset(codes.limits()[1], phone_index(PHONE))
    codes.request_code(PHONE, ip=IP)
    second = sent_code()
    assert LoginCode.objects.count() == 1
    if first != second:
        assert error_of(lambda: codes.verify_code(PHONE, first)).code == "code_wrong"
    assert codes.verify_code(PHONE, second) is True


def test_a_second_request_within_the_minute_is_throttled_per_phone():
    codes.request_code(PHONE, ip=IP)
    with pytest.raises(RateLimited) as caught:
        codes.request_code(PHONE, ip="198.51.100.1")
    assert 1 <= caught.value.retry_after <= 61
    assert caught.value.status_code == 429
    assert len(sms.outbox) == 1


def test_a_phone_gets_at_most_five_codes_an_hour():
    for _ in range(5):
        codes.ratelimit.reset(codes.limits()[1], phone_index(PHONE))
        codes.request_code(PHONE, ip=IP)
    codes.ratelimit.reset(codes.limits()[1], phone_index(PHONE))
    with pytest.raises(RateLimited):
        codes.request_code(PHONE, ip=IP)
    assert len(sms.outbox) == 5


def test_a_burst_from_one_address_is_throttled_across_phones():
    for n in range(20):
        codes.request_code(f"139{n:08d}", ip=IP)
    with pytest.raises(RateLimited):
        codes.request_code("13700000000", ip=IP)
    assert len(sms.outbox) == 20
    codes.request_code("13700000000", ip="198.51.100.7")  # another address is not affected
    assert len(sms.outbox) == 21


@override_settings(EBAN_LOGIN_CODES_PER_IP_HOUR=2)
def test_the_limits_are_settings():
    codes.request_code("13900000001", ip=IP)
    codes.request_code("13900000002", ip=IP)
    with pytest.raises(RateLimited):
        codes.request_code("13900000003", ip=IP)


def test_a_malformed_phone_is_refused_before_anything_is_sent():
    error = error_of(lambda: codes.request_code("12345", ip=IP))
    assert error.code == "phone"
    assert sms.outbox == [] and not LoginCode.objects.exists()


class FailingProvider(sms.SmsProvider):
    def send(self, phone, text, *, reference):
        raise sms.SmsNotSent()


class RefusingProvider(sms.SmsProvider):
    def send(self, phone, text, *, reference):
        return sms.SendResult("x", accepted=False)


@pytest.mark.parametrize("provider", [FailingProvider, RefusingProvider])
def test_a_code_that_could_not_be_sent_is_not_kept(provider):
    with override_settings(EBAN_SMS_PROVIDER=f"{__name__}.{provider.__name__}"):
        with pytest.raises(sms.SmsNotSent):
            codes.request_code(PHONE, ip=IP)
    assert not LoginCode.objects.exists()


def test_purge_deletes_expired_and_used_codes_only():
    codes.request_code("13900000001", ip=IP)
    codes.request_code("13900000002", ip=IP)
    codes.request_code("13900000003", ip=IP)
    codes.verify_code("13900000002", sent_code("13900000002"))
    LoginCode.objects.filter(phone_index=phone_index("13900000003")).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert codes.purge_codes() == 2
    assert list(LoginCode.objects.values_list("phone_index", flat=True)) == [phone_index("13900000001")]


def test_neither_the_code_nor_the_phone_is_logged(caplog):
    caplog.set_level(logging.DEBUG)
    codes.request_code(PHONE, ip=IP)
    code = sent_code()
    with pytest.raises(DomainError):
        codes.verify_code(PHONE, wrong(code))
    codes.verify_code(PHONE, code)
    assert code not in caplog.text
    assert PHONE not in caplog.text and "138****5678" not in caplog.text
