"""The demo terminal in Chromium with a fake camera showing a sample face: consent before the
camera, a face sign-in that works, and the ID card way in beside it."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from .conftest import sample_face_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the page's camera requests, so a test can tell when the camera was asked for.
COUNT_CAMERA_REQUESTS = """
window.__cameraRequests = 0;
if (navigator.mediaDevices) {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (...args) => { window.__cameraRequests += 1; return original(...args); };
}
"""


@pytest.fixture
def kiosk_page(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 1024}, locale="zh-CN")
    context.grant_permissions(["camera"], origin=live_server.url)
    context.add_init_script(COUNT_CAMERA_REQUESTS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def villager():
    from eban.accounts.models import Citizen
    from eban.accounts.tests import factories

    citizen = factories.citizen("王阿公")
    citizen.photo.save("ref.jpg", ContentFile(sample_face_jpeg()), save=True)
    Citizen.objects.filter(pk=citizen.pk).update(is_sample=True)
    return citizen


def test_villager_signs_in_by_face_after_consenting_and_not_before(
    kiosk_page, live_server, villager, screenshot
):
    page = kiosk_page
    page.goto(live_server.url + "/kiosk/sign-in/")
    page.get_by_test_id("sign-in-face").click()
    page.fill("#id_number", villager.id_number)
    page.get_by_role("button", name="下一步").click()
    page.get_by_test_id("consent-yes").wait_for()
    screenshot(page, "kiosk-consent")
    assert page.evaluate("window.__cameraRequests") == 0  # nothing asked of the camera yet
    page.get_by_test_id("consent-yes").click()
    page.wait_for_url("**/face/camera/")
    page.get_by_test_id("capture").wait_for(state="visible")
    page.wait_for_function("!document.getElementById('capture').disabled")
    assert page.evaluate("window.__cameraRequests") == 1
    page.get_by_test_id("capture").click()
    page.wait_for_function(
        "location.pathname.endsWith('/welcome/') || !document.getElementById('capture').disabled"
    )
    assert page.url.endswith("/kiosk/welcome/"), page.locator("#status").inner_text()
    assert "王*" in page.get_by_test_id("welcome").inner_text()
    screenshot(page, "kiosk-welcome")
    page.get_by_test_id("sign-out").click()
    page.wait_for_url("**/kiosk/sign-in/")


def test_declining_the_face_check_leads_to_the_id_card(kiosk_page, live_server, villager, settings):
    settings.EBAN_KIOSK_SIMULATED_READER = True
    page = kiosk_page
    page.goto(live_server.url + "/kiosk/sign-in/face/")
    page.fill("#id_number", villager.id_number)
    page.get_by_role("button", name="下一步").click()
    page.get_by_test_id("consent-no").click()
    page.wait_for_url("**/sign-in/card/")
    assert page.evaluate("window.__cameraRequests") == 0
    page.get_by_test_id("sample-card").first.click()
    page.wait_for_url("**/kiosk/welcome/")
