"""An official's first sign-in: password, then the authenticator set up from the QR code."""

import pytest

from eban.accounts.staff import otp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def wagtail_root():
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))


def test_first_sign_in_sets_up_the_authenticator_from_the_qr_code(
    page, live_server, django_user_model, screenshot
):
    boss = django_user_model.objects.create_superuser("boss", password="a-long-test-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/otp/setup/**")
    assert page.locator("#otp-qr svg").count() == 1
    screenshot(page, "admin-otp-setup")
    device = otp.pending_device(boss)
    assert page.inner_text("#otp-secret") == otp.secret_text(device)
    page.fill("input[name=code]", otp.current_code(device))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert otp.confirmed_device(boss) is not None
