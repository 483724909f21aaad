"""Staff sign in with a password, then a TOTP code (or set up an authenticator first)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from eban.accounts.staff import otp
from eban.accounts.testing import authenticator, code_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
HOME = "/admin/"


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", password=PASSWORD)


def sign_in(client, username="boss"):
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response


def test_after_the_password_the_back_office_asks_for_the_code(client, boss):
    authenticator(boss)
    sign_in(client)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{reverse('staff_otp_verify')}?next=%2Fadmin%2F"
    assert client.get(reverse("catalogue_import")).url.startswith(reverse("staff_otp_verify"))
    page = client.get(response.url)
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.content.decode()


def test_the_right_code_reaches_the_dashboard_and_is_audited(client, boss):
    authenticator(boss)
    sign_in(client)
    response = client.post(reverse("staff_otp_verify"), {"code": code_for(boss), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200
    assert ModelLogEntry.objects.filter(action=otp.VERIFY, user=boss).count() == 1


def test_a_wrong_code_is_refused_and_audited(client, boss):
    authenticator(boss)
    sign_in(client)
    wrong = f"{(int(code_for(boss)) + 1) % 1_000_000:06d}"
    client.cookies["django_language"] = "en"
    response = client.post(reverse("staff_otp_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert ModelLogEntry.objects.filter(action=otp.FAIL, user=boss).count() == 1
    assert client.get(HOME).status_code == 302  # still not through


def test_wrong_codes_are_throttled_even_the_right_one_after(client, boss):
    authenticator(boss)
    sign_in(client)
    for _ in range(otp.WRONG_CODES.count):
        assert client.post(reverse("staff_otp_verify"), {"code": "000000x"}).status_code == 200
    response = client.post(reverse("staff_otp_verify"), {"code": code_for(boss)})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert client.get(HOME).status_code == 302


def test_a_code_is_accepted_once_only(client, boss, django_user_model):
    authenticator(boss)
    sign_in(client)
    code = code_for(boss)
    assert client.post(reverse("staff_otp_verify"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client)
    assert client.post(reverse("staff_otp_verify"), {"code": code}).status_code == 200


def test_without_an_authenticator_the_setup_shows_a_qr_code_and_the_secret(client, boss):
    sign_in(client)
    response = client.get(HOME)
    assert response.url.startswith(reverse("staff_otp_setup"))
    page = client.get(response.url).content.decode()
    device = TOTPDevice.objects.get(user=boss, confirmed=False)
    assert "<svg" in page and otp.secret_text(device) in page


def test_the_setup_is_confirmed_by_a_first_code(client, boss):
    sign_in(client)
    client.get(reverse("staff_otp_setup"))
    device = TOTPDevice.objects.get(user=boss, confirmed=False)
    response = client.post(reverse("staff_otp_setup"), {"code": otp.current_code(device), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert ModelLogEntry.objects.filter(action=otp.SETUP, user=boss).exists()


def test_once_set_up_the_password_alone_cannot_add_another_authenticator(client, boss):
    authenticator(boss)
    sign_in(client)
    response = client.get(reverse("staff_otp_setup"))
    assert response.url.startswith(reverse("staff_otp_verify"))
    assert client.post(reverse("staff_otp_setup"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=boss).count() == 1


def test_next_must_stay_on_this_site(client, boss):
    authenticator(boss)
    sign_in(client)
    response = client.post(
        reverse("staff_otp_verify"), {"code": code_for(boss), "next": "https://evil.example/"}
    )
    assert response.url == HOME


def test_an_account_without_back_office_access_is_not_asked(client, django_user_model):
    django_user_model.objects.create_user("citizen-1", password=PASSWORD)
    client.post(reverse("wagtailadmin_login"), {"username": "citizen-1", "password": PASSWORD})
    response = client.get(HOME)
    assert not response.url.startswith("/admin/otp/")


def test_the_second_factor_can_be_switched_off(client, boss, settings):
    settings.EBAN_STAFF_2FA = False
    sign_in(client)
    assert client.get(HOME).status_code == 200


def test_the_lockout_tells_the_true_time_left_and_lasts_that_long(client, boss, monkeypatch):
    """A fixed window said "81 s" when five wrong codes came just before its end, then let five
    more through: the window slides from the failures themselves."""
    clock = [1_000_000_760.0]  # 40 s before a fixed 15-minute window would have ended
    monkeypatch.setattr(otp, "_now", lambda: clock[0])
    authenticator(boss)
    sign_in(client)
    for _ in range(otp.WRONG_CODES.count):
        client.post(reverse("staff_otp_verify"), {"code": "000000x"})
        clock[0] += 1
    response = client.post(reverse("staff_otp_verify"), {"code": code_for(boss)})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == otp.WRONG_CODES.seconds - otp.WRONG_CODES.count
    clock[0] += 120  # past where the fixed window ended
    response = client.post(reverse("staff_otp_verify"), {"code": code_for(boss)})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == otp.WRONG_CODES.seconds - otp.WRONG_CODES.count - 120
    clock[0] += otp.WRONG_CODES.seconds  # the failures have left the window
    assert client.post(reverse("staff_otp_verify"), {"code": code_for(boss)}).status_code == 302
