"""A paired terminal in Chromium with a fake camera showing a sample face: consent before the
camera, a face sign-in with its liveness challenge that works, face refused on a screen that is
not a paired terminal, and the ID card way in beside it.

The fake camera (tests/browser/conftest.py, eban/accounts/tests/fakecamera.py) loops a video made
from one sample photo: she looks straight, then her head turns to her left (a smooth warp of the
middle of the face, which is what a turn does to the landmarks the check reads). The server draws
the challenge at random; these tests make the draw land on "left" (monkeypatch), as a person
follows whichever prompt the screen shows. Nothing else of the check is bypassed."""

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
    context = chromium.new_context(
        viewport={"width": 1280, "height": 1024}, locale="zh-CN", bypass_csp=True
    )  # see conftest.new_page
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


@pytest.fixture
def paired(kiosk_page, live_server):
    """The page's screen paired with a terminal, as an operator pairs a kiosk."""
    from eban.kiosks.tests.app_factories import paired_terminal

    terminal, link = paired_terminal()
    kiosk_page.goto(live_server.url + link)
    kiosk_page.wait_for_url(f"{live_server.url}/kiosk/")
    return terminal


@pytest.fixture
def turn_left(monkeypatch):
    from eban.accounts.identity import liveness

    monkeypatch.setattr(liveness, "draw_challenge", lambda: "left")


def test_villager_signs_in_by_face_after_consenting_and_not_before(
    kiosk_page, live_server, villager, paired, turn_left, screenshot
):
    from eban.accounts.models import FaceAttempt

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
        "location.pathname.endsWith('/welcome/') || !document.getElementById('again').hidden", timeout=60_000
    )
    assert page.url.endswith("/kiosk/welcome/"), page.locator("#status").inner_text()
    assert "王*" in page.get_by_test_id("welcome").inner_text()
    decision = FaceAttempt.objects.get()
    assert decision.passed is True and decision.terminal == paired.code
    screenshot(page, "kiosk-welcome")
    page.get_by_test_id("sign-out").click()
    page.wait_for_url("**/kiosk/sign-in/")


def test_declining_the_face_check_leads_to_the_id_card(kiosk_page, live_server, villager, paired, settings):
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


def test_face_sign_in_is_refused_on_a_screen_that_is_not_a_paired_terminal(kiosk_page, live_server, villager):
    page = kiosk_page
    page.goto(live_server.url + "/kiosk/sign-in/face/")
    assert page.locator("#id_number").count() == 0  # no way to start a face check here
    assert "registered terminal" in page.content() or "登记" in page.content() or "终端" in page.content()
    page.goto(live_server.url + "/kiosk/sign-in/face/camera/")
    assert "/face/camera/" not in page.url
    assert page.evaluate("window.__cameraRequests") == 0
