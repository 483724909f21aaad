"""Web sign-in by phone and SMS code, end to end through the in-memory SMS outbox."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eban.accounts import actions
from eban.accounts.enums import VerificationMethod
from eban.accounts.models import Citizen
from eban.notifications import sms

from . import factories, verifiers

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
SIGN_IN = reverse("accounts:sign_in")
CODE = reverse("accounts:sign_in_code")
REAL_NAME = reverse("accounts:sign_in_real_name")
PROFILE = reverse("accounts:profile")


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def last_code(phone: str = PHONE) -> str:
    message = [m for m in sms.outbox if m.to == phone][-1]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.text).group(1)


def citizen_with_account(phone: str = PHONE, **kwargs) -> Citizen:
    citizen = factories.citizen(phone=phone, **kwargs)
    actions.account_for(citizen)
    return citizen


def ask_code(client, phone: str = PHONE, **extra):
    return client.post(SIGN_IN, {"phone": phone}, **extra)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- the phone and the code --------------------------------------------------------------------


def test_sign_in_page_asks_for_the_mobile_number(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="phone"' in html and 'type="tel"' in html
    assert "csrfmiddlewaretoken" in html


def test_sending_the_code_leads_to_the_code_page_which_says_where_it_went(client):
    response = ask_code(client)
    assert response.status_code == 302 and response.url == CODE
    assert len(sms.outbox) == 1 and sms.outbox[0].to == PHONE
    page = client.get(CODE).content.decode()
    assert "138****5678" in page
    assert PHONE not in page
    assert "valid for 5 minutes" in page


def test_the_phone_is_kept_encrypted_in_the_session(client):
    ask_code(client)
    stored = " ".join(str(v) for v in client.session.values())
    assert PHONE not in stored


def test_the_code_page_counts_down_before_a_new_code_can_be_asked(client):
    ask_code(client)
    html = client.get(CODE).content.decode()
    seconds = int(re.search(r'data-countdown="(\d+)"', html).group(1))
    assert 50 <= seconds <= 61
    assert re.search(r'<button[^>]*name="resend"[^>]*disabled', html)


def test_asking_again_within_the_minute_is_refused_on_the_page_with_429(client):
    ask_code(client)
    response = client.post(CODE, {"resend": "1"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    assert len(sms.outbox) == 1


def test_resubmitting_the_same_number_within_the_minute_goes_back_to_the_code_page(client):
    ask_code(client)
    response = ask_code(client)
    assert response.status_code == 302 and response.url == CODE
    assert len(sms.outbox) == 1


def test_a_burst_of_code_requests_from_one_address_is_throttled(client):
    for n in range(20):
        assert ask_code(client, f"139{n:08d}").status_code == 302
    response = ask_code(client, "13700000000")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert len(sms.outbox) == 20


def test_a_malformed_number_is_explained(client):
    response = ask_code(client, "12345")
    assert response.status_code == 400
    assert "11-digit mainland mobile number" in response.content.decode()
    assert sms.outbox == []


def test_the_code_page_without_a_number_goes_back_to_the_sign_in_page(client):
    assert client.get(CODE).url == SIGN_IN


def test_a_wrong_code_says_how_many_attempts_are_left(client):
    citizen_with_account()
    ask_code(client)
    wrong = f"{(int(last_code()) + 1) % 10**6:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 400
    assert "4 more times" in response.content.decode()
    assert signed_in_user_id(client) is None


# --- signing in --------------------------------------------------------------------------------


def test_a_citizen_with_an_account_signs_in_with_the_code_and_the_session_is_rotated(client):
    citizen = citizen_with_account()
    ask_code(client)
    before = client.session.session_key
    response = client.post(CODE, {"code": last_code()})
    assert response.status_code == 302 and response.url == PROFILE
    assert signed_in_user_id(client) == str(citizen.user_id)
    assert client.session.session_key != before
    assert client.session["eban_sign_in_method"] == "sms"
    assert not any(key.startswith("eban_signin_") for key in client.session.keys())
    assert "You are signed in." in client.get(PROFILE).content.decode()


def test_sign_in_returns_to_the_page_asked_for(client):
    citizen_with_account()
    response = client.get(reverse("accounts:proxies"))
    assert response.status_code == 302 and response.url.startswith(SIGN_IN + "?next=")
    client.post(SIGN_IN + "?next=/account/proxies/", {"phone": PHONE, "next": "/account/proxies/"})
    assert client.post(CODE, {"code": last_code()}).url == "/account/proxies/"


def test_a_next_address_on_another_site_is_ignored(client):
    citizen_with_account()
    client.post(SIGN_IN, {"phone": PHONE, "next": "https://evil.example.com/"})
    assert client.post(CODE, {"code": last_code()}).url == PROFILE


def test_a_signed_in_citizen_visiting_the_sign_in_page_goes_to_their_account(client):
    citizen = citizen_with_account()
    client.force_login(citizen.user)
    assert client.get(SIGN_IN).url == PROFILE


def test_the_header_offers_sign_in_then_my_account(client):
    citizen = citizen_with_account()
    assert 'data-testid="sign-in"' in client.get("/").content.decode()
    client.force_login(citizen.user)
    assert 'data-testid="my-account"' in client.get("/").content.decode()


# --- the first sign-in: real-name binding ------------------------------------------------------


def verified_new_phone(client, phone: str = PHONE):
    ask_code(client, phone)
    response = client.post(CODE, {"code": last_code(phone)})
    assert response.status_code == 302 and response.url == REAL_NAME
    return response


@pytest.fixture
def state(settings):
    """The real-person service (a stand-in holding the state's records) is configured."""
    settings.EBAN_REAL_PERSON_VERIFIER = verifiers.PATH
    verifiers.reset()
    yield verifiers.records
    verifiers.reset()


def real_name(client, name: str, number: str, *, face: bytes | None = None, **extra):
    """Post the first sign-in form; `face` defaults to a live picture of the holder of `number`."""
    photo = SimpleUploadedFile("me.jpg", verifiers.face_of(number) if face is None else face)
    data = {"name": name, "id_number": number, "confirm": "on", "photo": photo, **extra}
    return client.post(REAL_NAME, data)


def test_a_new_phone_gives_name_and_id_number_and_a_live_photo_then_is_signed_in(client, state):
    verified_new_phone(client)
    number = factories.id_number()
    state[number] = "李四"
    response = real_name(client, "李四", number)
    assert response.status_code == 302 and response.url == PROFILE
    citizen = Citizen.objects.get_by_id_number(number)
    assert citizen.phone == PHONE and citizen.name == "李四"
    assert citizen.verification_method == VerificationMethod.CTID
    assert signed_in_user_id(client) == str(citizen.user_id)


def test_a_citizen_on_record_without_an_account_gets_one_after_the_real_person_check(client, state):
    citizen = factories.citizen("王五")
    state[citizen.id_number] = "王五"
    verified_new_phone(client)
    real_name(client, "王五", citizen.id_number)
    citizen.refresh_from_db()
    assert citizen.user_id and citizen.phone == PHONE
    assert signed_in_user_id(client) == str(citizen.user_id)


def test_attacker_with_name_and_id_number_cannot_claim_a_record_without_an_account(client, state):
    """The take-over: a proxy named by a relative has a record but no account; someone who
    knows their name and number, with a phone of their own, must not become them."""
    victim = factories.citizen("王五", phone="13900001111")  # e.g. given at a service window
    state[victim.id_number] = "王五"
    verified_new_phone(client)
    response = real_name(client, "王五", victim.id_number, face=b"the attacker's own face")
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    victim.refresh_from_db()
    assert victim.user_id is None and victim.phone == "13900001111"  # nothing overwritten


def test_a_photo_of_someone_else_or_no_photo_binds_nothing(client, state):
    victim = factories.citizen("王五")
    state[victim.id_number] = "王五"
    verified_new_phone(client)
    assert real_name(client, "王五", victim.id_number, face=b"").status_code == 400
    victim.refresh_from_db()
    assert victim.user_id is None and not victim.phone


def test_the_answer_does_not_tell_whether_an_id_number_has_a_record(client, state):
    """Same status, same words, and the service is asked in both cases (same path)."""
    on_record = factories.citizen("王五")
    unknown = factories.id_number()
    verified_new_phone(client)
    first = real_name(client, "王五", on_record.id_number, face=b"someone")
    second = real_name(client, "王五", unknown, face=b"someone")
    assert first.status_code == second.status_code == 403

    def words(response):
        text = response.content.decode()
        return (
            re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
            .replace(on_record.id_number, "N")
            .replace(unknown, "N")
        )

    assert words(first) == words(second)
    assert verifiers.calls == [on_record.id_number, unknown]
    assert not Citizen.objects.with_id_number(unknown).exists()


def test_without_a_real_person_service_the_web_binds_nobody_and_says_where_to_go(client, settings):
    settings.EBAN_REAL_PERSON_VERIFIER = ""
    verified_new_phone(client)
    page = client.get(REAL_NAME).content.decode()
    assert "kiosk" in page and "service window" in page
    number = factories.id_number()
    response = real_name(client, "李四", number)
    assert response.status_code == 503
    assert not Citizen.objects.with_id_number(number).exists()
    assert signed_in_user_id(client) is None


def test_an_id_number_whose_account_has_another_phone_is_refused(client, state):
    other = citizen_with_account("13900009999", name="赵六")
    state[other.id_number] = "赵六"
    verified_new_phone(client)
    response = real_name(client, "赵六", other.id_number)
    assert response.status_code == 409
    assert "already has an account with another mobile number" in response.content.decode()
    assert signed_in_user_id(client) is None
    other.refresh_from_db()
    assert other.phone == "13900009999"


def test_an_account_elsewhere_is_told_only_after_the_person_is_proven(client, state):
    other = citizen_with_account("13900009999", name="赵六")
    state[other.id_number] = "赵六"
    verified_new_phone(client)
    response = real_name(client, "赵六", other.id_number, face=b"not him")
    assert response.status_code == 403
    assert "if you no longer have it" not in response.content.decode()


def test_a_name_that_does_not_match_the_id_number_is_refused(client, state):
    citizen = factories.citizen("王五")
    state[citizen.id_number] = "王五"
    verified_new_phone(client)
    response = real_name(client, "王六", citizen.id_number)
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_an_invalid_id_number_is_explained_on_the_form(client, state):
    verified_new_phone(client)
    response = real_name(client, "李四", "330302198001010001")
    assert response.status_code == 400
    assert "check digit" in response.content.decode()


def test_the_real_name_form_needs_the_confirmation(client, state):
    verified_new_phone(client)
    response = real_name(client, "李四", factories.id_number(), confirm="")
    assert response.status_code == 400
    assert "Please confirm" in response.content.decode()


def test_repeated_attempts_are_throttled(client, state):
    citizen = factories.citizen("王五")
    state[citizen.id_number] = "王五"
    verified_new_phone(client)
    for _ in range(5):
        real_name(client, "王六", citizen.id_number)
    response = real_name(client, "王五", citizen.id_number)
    assert response.status_code == 429


def test_the_real_name_page_needs_a_confirmed_phone_first(client):
    assert client.get(REAL_NAME).url == SIGN_IN
    ask_code(client)  # a code sent but not entered
    assert client.get(REAL_NAME).url == SIGN_IN


# --- sign-out and CSRF -------------------------------------------------------------------------


def test_sign_out_is_a_post(client):
    citizen = citizen_with_account()
    client.force_login(citizen.user)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_sign_in_forms_need_the_csrf_token():
    citizen_with_account()
    client = Client(enforce_csrf_checks=True)
    assert client.post(SIGN_IN, {"phone": PHONE}).status_code == 403
    assert sms.outbox == []
    token = csrf_token_from(client.get(SIGN_IN).content.decode())
    assert client.post(SIGN_IN, {"phone": PHONE, "csrfmiddlewaretoken": token}).status_code == 302
    assert client.post(CODE, {"code": last_code()}).status_code == 403
    token = csrf_token_from(client.get(CODE).content.decode())
    assert client.post(CODE, {"code": last_code(), "csrfmiddlewaretoken": token}).status_code == 302


def test_sign_out_needs_the_csrf_token():
    citizen = citizen_with_account()
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen.user)
    assert client.post(reverse("accounts:sign_out")).status_code == 403
    assert signed_in_user_id(client) == str(citizen.user_id)
