"""A reviewer signs in and finds their queue on the home page: what is overdue, what is due soon,
each with its working-day deadline and a link, and no Wagtail page counts (axe-clean, at 1280 and
390 px)."""

import datetime
import os

import pytest

from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def wagtail_root():
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def reviewer_with_cases():
    """A reviewer of 温州市民政局 with one case overdue, one due on the next working day, one far
    off. The deadlines are set on the rows (the workflow's own tests cover how they are computed)."""
    from django.utils import timezone

    from eban.accounts import actions as account_actions
    from eban.accounts.enums import StaffRole
    from eban.accounts.grants.acting import act_for
    from eban.accounts.testing import make_staff
    from eban.accounts.tests.factories import citizen
    from eban.applications import actions
    from eban.applications.models import Application
    from eban.catalogue.testing import make_department, make_division, make_matter
    from eban.government.models import DivisionLevel
    from eban.workdays import actions as calendar_actions
    from eban.workdays import queries as calendar

    calendar_actions.seed_from_chinese_calendar()
    city = make_division("330300", "温州市", DivisionLevel.CITY)
    make_division("330302", "鹿城区", DivisionLevel.COUNTY, parent=city)
    department = make_department("330300-MZ", "温州市民政局", division=city)
    matter = make_matter(
        department=department, name="社会团体成立登记", category="approval", on_the_spot=False,
        statutory_days=20, promised_days=10, channel_window=True,
    )  # fmt: skip
    reviewer = make_staff("reviewer-a", department=department, roles=[StaffRole.REVIEWER])
    people = {}
    for key, name in (("late", "李四"), ("soon", "王五"), ("later", "赵六")):  # one open case each
        people[key] = citizen(name, household_division_code="330302")
        account_actions.account_for(people[key])
    today = timezone.localdate()
    due = {
        "late": today - datetime.timedelta(days=7),
        "soon": calendar.add_working_days(today, 1),
        "later": calendar.add_working_days(today, 9),
    }
    cases = {}
    for name, day in due.items():
        case = actions.submit_application(matter, act_for(people[name].user), channel="online")
        case = actions.accept(case, actor=reviewer)
        Application.objects.filter(pk=case.pk).update(promised_due=day)
        cases[name] = case
    return reviewer, cases, due


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_a_reviewer_finds_their_queue_on_the_home_page(
    new_page, live_server, sign_in_to_back_office, axe_scan, reviewer_with_cases, viewport
):
    reviewer, cases, due = reviewer_with_cases
    page = new_page(viewport=viewport)
    target = os.environ.get("EBAN_SCREENSHOT_DIR")
    page.goto(f"{live_server.url}/admin/login/")
    assert page.get_by_role("img", name="eban e办").is_visible()  # eban's mark, not Wagtail's bird
    if target:
        page.screenshot(path=f"{target}/login-{viewport['width']}.png", full_page=True)
    sign_in_to_back_office(page, live_server.url, reviewer, "a-long-test-password")
    panel = page.locator("#reviewer-queue-cases")
    assert panel.is_visible()
    assert page.locator(".w-summary__list").count() == 0  # no "1 Page / 0 Images"
    for name in ("late", "soon"):
        row = panel.locator(f"tr:has(a[href$='/{cases[name].number}/'])")
        assert row.is_visible() and due[name].isoformat() in row.inner_text()
    assert panel.locator(f"a[href$='/{cases['later'].number}/']").count() == 0
    if target:
        page.screenshot(path=f"{target}/reviewer-home-{viewport['width']}.png", full_page=True)
    assert axe_scan(page) == []
    panel.get_by_role("link", name=cases["late"].number).click()
    page.wait_for_url(f"**/admin/applications/case/{cases['late'].number}/")
