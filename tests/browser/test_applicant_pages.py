"""The applicant's pages in a browser, on a phone (390 px) and a desktop (1280 px): the error
summary of a form (focus, links, axe), check before you apply on the guide and the form, the
certificate "being made" until it exists (the page updates by itself), the case page's next steps,
supplement and rating, in elderly mode too. Every wait is on a state of the page, never on time."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.cache import cache

from eban.kiosks.tests.app_factories import NEIGHBOUR, SENIOR_CARD, VILLAGER, load_kiosk_sample

from .test_public_pages import CONTRAST_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FORM = {
    "type": "object",
    "properties": {
        "purpose": {"type": "string", "title": {"zh-hans": "用途", "en": "Purpose"}, "maxLength": 50,
                    "description": {"zh-hans": "写明申请的用途", "en": "What it is for"}},
        "members": {"type": "integer", "title": {"zh-hans": "会员人数", "en": "Members"}, "minimum": 1},
    },
    "required": ["purpose", "members"],
}  # fmt: skip


@pytest.fixture
def sample(settings, tmp_path):
    from eban.certificates import signing
    from eban.workdays import actions as calendar

    cache.clear()
    load_kiosk_sample(settings, tmp_path)
    calendar.seed_from_chinese_calendar()  # a transactional test starts with the migrations' rows gone
    yield
    signing.clear_cache()
    cache.clear()


def person(id_number):
    from eban.accounts import actions
    from eban.accounts.models import Citizen

    citizen = Citizen.objects.get_by_id_number(id_number)
    actions.account_for(citizen)
    return citizen


def signed_in(new_page, live_server, citizen, viewport, elderly=False):
    """A page whose browser holds the citizen's session (signing in itself is tested in accounts)."""
    from django.test import Client

    client = Client()
    client.force_login(citizen.user, backend="django.contrib.auth.backends.ModelBackend")
    page = new_page(viewport=viewport)
    cookies = [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url}]  # fmt: skip
    page.context.add_cookies(cookies)
    if elderly:
        page.goto(f"{live_server.url}/?elderly=1")
    return page


def clean(axe_scan, page, where):
    found = axe_scan(page)
    assert not found, f"{where}: " + "\n".join(found)


def form_matter():
    from eban.applications.models import MatterSetup
    from eban.catalogue.testing import make_matter
    from eban.government.models import Department

    matter = make_matter(code="330300-MZ-9001", name="社会团体成立登记", category="approval", on_the_spot=False,
                         statutory_days=20, promised_days=10,
                         department=Department.objects.get(code="330300-MZ"))  # fmt: skip
    MatterSetup.objects.create(matter=matter, form_schema=FORM, accepting=True)
    return matter


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_form_with_errors_has_a_focused_linked_summary_and_no_axe_violation(
    new_page, live_server, sample, axe_scan, screenshot, viewport
):
    matter = form_matter()
    page = signed_in(new_page, live_server, person(VILLAGER), viewport)
    page.goto(f"{live_server.url}/applications/new/{matter.code}/")
    page.fill("#f-members", "0")
    page.get_by_test_id("submit-application").click()
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    assert page.title().startswith("错误") or page.title().startswith("Error:")
    page.wait_for_function(
        "document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
    )
    assert summary.locator("a").count() == 2
    assert page.get_attribute("#f-purpose", "aria-invalid") == "true"
    assert "f-purpose-error" in page.get_attribute("#f-purpose", "aria-describedby")
    screenshot(page, f"form-errors-{viewport['width']}")
    clean(axe_scan, page, "form with errors")
    summary.locator("a[href='#f-members']").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'f-members'")
    ratio = page.eval_on_selector("#f-members-error", CONTRAST_JS)
    assert ratio >= 4.5


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_59_year_old_is_told_why_and_from_when_before_applying(
    new_page, live_server, sample, axe_scan, screenshot, viewport
):
    from eban.applications.models import Application

    page = signed_in(new_page, live_server, person(NEIGHBOUR), viewport)
    page.goto(f"{live_server.url}/matters/{SENIOR_CARD}/")
    panel = page.get_by_test_id("check-panel")
    panel.wait_for()
    assert panel.get_attribute("data-check") == "later"
    assert "60" in panel.inner_text()
    screenshot(page, f"guide-check-{viewport['width']}")
    clean(axe_scan, page, "guide with the check")
    page.get_by_test_id("apply-online").click()
    page.get_by_test_id("apply-anyway").wait_for()
    screenshot(page, f"check-page-{viewport['width']}")
    clean(axe_scan, page, "check page")
    assert not Application.objects.exists()
    page.get_by_test_id("apply-anyway").click()
    page.get_by_test_id("apply-anyway-notice").wait_for()
    page.get_by_test_id("submit-application").click()
    page.get_by_test_id("decision").wait_for()
    assert Application.objects.get().decision.outcome == "rejected"


def test_the_download_appears_by_itself_once_the_certificate_exists(
    new_page, live_server, sample, axe_scan, screenshot
):
    from eban.applications import actions, apply
    from eban.applications.models import MatterSetup

    villager = person(VILLAGER)
    setup = MatterSetup.objects.get(matter__code=SENIOR_CARD)
    certificate_type, setup.certificate_type = setup.certificate_type, ""
    setup.save()  # decided now; the certificate is made "later", by this test, as a slow worker would
    application = apply.apply(villager.user, setup, answers={}, uploads={}, channel="online")
    MatterSetup.objects.filter(pk=setup.pk).update(certificate_type=certificate_type)
    page = signed_in(new_page, live_server, villager, PHONE)
    page.goto(f"{live_server.url}/applications/{application.number}/")
    page.get_by_test_id("certificate-being-made").wait_for()
    assert page.get_by_test_id("certificate-download").count() == 0
    screenshot(page, "being-made-390")
    clean(axe_scan, page, "certificate being made")
    with ThreadPoolExecutor(max_workers=1) as pool:  # pyHanko runs its own event loop
        pool.submit(actions.issue_certificate_for, application).result()
    page.get_by_test_id("certificate-download").wait_for()  # the page reloaded by itself
    assert page.get_by_test_id("certificate-being-made").count() == 0


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_the_case_page_on_a_phone_receipt_supplement_and_rating(
    new_page, live_server, sample, axe_scan, screenshot, elderly
):
    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff
    from eban.applications import actions, apply
    from eban.applications.models import MatterSetup
    from eban.government.models import Department

    matter = form_matter()
    villager = person(VILLAGER)
    setup = MatterSetup.objects.get(matter=matter)
    reviewer = make_staff("reviewer-ui", department=Department.objects.get(code="330300-MZ"),
                          roles=[StaffRole.REVIEWER])  # fmt: skip
    answers = {"purpose": "成立登记", "members": "30"}
    receipt = apply.apply(villager.user, setup, answers=answers, uploads={}, channel="online")
    page = signed_in(new_page, live_server, villager, PHONE, elderly=elderly)
    mode = "elderly" if elderly else "standard"
    page.goto(f"{live_server.url}/applications/{receipt.number}/")
    page.get_by_test_id("next-steps").wait_for()
    screenshot(page, f"receipt-390-{mode}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    clean(axe_scan, page, "receipt")

    asked = actions.accept(receipt, actor=reviewer)
    actions.request_supplement(asked, actor=reviewer, items="请补充章程的盖章页。")
    page.reload()
    page.get_by_test_id("supplement").wait_for()
    assert re.search(r"\d{4}-\d{2}-\d{2}", page.get_by_test_id("supplement-due").inner_text())  # the deadline
    screenshot(page, f"supplement-390-{mode}")
    clean(axe_scan, page, "supplement")
    button = page.get_by_test_id("supplement").locator("button[type=submit]").bounding_box()
    assert button["height"] >= (60 if elderly else 44) and button["width"] >= 300

    # One open case per person and matter: the rated case is the neighbour's.
    neighbour = person(NEIGHBOUR)
    second = apply.apply(neighbour.user, setup, answers=answers, uploads={}, channel="online")
    second = actions.approve(actions.accept(second, actor=reviewer), actor=reviewer)
    actions.complete(second, actor=reviewer)
    page = signed_in(new_page, live_server, neighbour, PHONE, elderly=elderly)
    page.goto(f"{live_server.url}/applications/{second.number}/")
    page.get_by_test_id("rating").wait_for()
    screenshot(page, f"rating-390-{mode}")
    clean(axe_scan, page, "rating")
    boxes = [page.locator(".rating-option").nth(n).bounding_box() for n in range(5)]
    assert all(b["height"] >= (60 if elderly else 44) and b["width"] >= 44 for b in boxes)
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 1  # one row on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    page.locator(".rating-option").nth(4).click()
    page.get_by_test_id("rating").locator("button[type=submit]").click()
    page.get_by_text("5").first.wait_for()


def test_the_kiosk_form_with_errors_has_the_same_summary_large(
    new_page, live_server, sample, axe_scan, screenshot
):
    """The kiosk's apply form (a paired screen, a signed-in citizen), GOV.UK's error pattern large."""
    from django.test import Client

    from eban.kiosks import pairing
    from eban.kiosks.tests.app_factories import paired_terminal

    matter = form_matter()
    matter.channel_kiosk = True
    matter.save()
    villager = person(VILLAGER)
    _terminal, link = paired_terminal()
    client = Client()
    client.get(link)
    client.force_login(villager.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["eban_kiosk"] = True
    session["eban_kiosk_sign_in_id"] = "browser-test"
    session.save()
    page = new_page(viewport={"width": 1280, "height": 1024})
    page.context.add_cookies([
        {"name": name, "value": client.cookies[name].value, "url": live_server.url}
        for name in (settings.SESSION_COOKIE_NAME, pairing.COOKIE)
    ])  # fmt: skip
    page.goto(f"{live_server.url}/kiosk/matters/{matter.code}/apply/")
    page.get_by_test_id("submit").click()
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    page.wait_for_function(
        "document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
    )
    assert page.get_attribute("#f-purpose", "aria-invalid") == "true"
    assert "f-purpose-error" in page.get_attribute("#f-purpose", "aria-describedby")
    screenshot(page, "kiosk-form-errors-1280")
    clean(axe_scan, page, "kiosk form with errors")
    link = summary.locator("a[href='#f-purpose']").bounding_box()
    assert link["height"] >= 60  # a touch target at the kiosk
