"""The working-day calendar's back-office pages as staff see them: the "Load holidays (CSV)"
button readable (axe, no contrast failure), on the home page's warning and on the upload page."""

import os

import pytest

from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def wagtail_root():
    """A transactional test starts from empty tables: put back the page tree's root."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))


def _shoot(page, name):
    target = os.environ.get("EBAN_SCREENSHOT_DIR")
    if target:
        page.screenshot(path=f"{target}/{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_the_load_holidays_button_is_readable(
    new_page, live_server, django_user_model, sign_in_to_back_office, axe_scan, viewport
):
    from eban.workdays import queries

    page = new_page(viewport=viewport)
    chief = django_user_model.objects.create_superuser("chief", password="a-long-test-password")
    sign_in_to_back_office(page, live_server.url, chief, "a-long-test-password")
    year = queries.missing_next_year()
    if year is None:
        pytest.skip("the home page warns about next year's holidays only from 1 November")
    panel = page.locator(f"[data-missing-year='{year}']")
    button = panel.get_by_role("link", name="载入节假日（CSV）")
    assert button.is_visible()
    _shoot(page, f"home-{viewport['width']}")
    assert axe_scan(page) == []
    button.click()
    page.wait_for_url("**/admin/workdays/upload/")
    _shoot(page, f"upload-{viewport['width']}")
    assert axe_scan(page) == []
