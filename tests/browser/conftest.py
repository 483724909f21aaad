"""Playwright fixtures: Chromium from the system (`/usr/bin/chromium`), driven through the sync API.

The browser tests run against pytest-django's `live_server`. They are skipped, saying why, when
Chromium is not installed (`apt-get install chromium`). Set EBAN_SCREENSHOT_DIR to keep screenshots.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("EBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def sample_face_jpeg() -> bytes:
    """A sample face from a package (scikit-image's astronaut picture), as a camera would send it."""
    import io

    from PIL import Image
    from skimage import data

    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def fake_camera_video(tmp_path_factory) -> Path:
    """A Y4M video of the sample face turning left: Chromium's camera in every browser test shows it."""
    import io

    from PIL import Image

    from eban.accounts.tests.fakecamera import make_turning_video

    path = tmp_path_factory.mktemp("camera") / "face.y4m"
    # The camera frames her head and shoulders: the badge on the suit (a face-like patch that a
    # detector may take for a second person) stays out of the picture, as at a real kiosk.
    # She looks straight, then turns her head to her left, in a loop: the kiosk's liveness step
    # (eban/accounts/liveness.py) needs a turn; a test that signs in by face draws "left".
    picture = Image.open(io.BytesIO(sample_face_jpeg())).crop((40, 0, 440, 300))
    make_turning_video(picture, path, towards="left")
    return path


@pytest.fixture(scope="session")
def chromium(fake_camera_video):
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set EBAN_CHROMIUM)"
        )
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
    # test itself (creating data) would otherwise be refused as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        camera = [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={fake_camera_video}",
        ]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera])
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """`new_page(viewport=PHONE)` → a fresh page in its own context (own cookies).

    Its context bypasses the pages' Content-Security-Policy unless `bypass_csp=False`: Playwright's
    `wait_for_function` polls its predicate through eval in the page, which the policy (rightly)
    forbids. The policy itself is checked, with it in force, by test_content_security_policy.py."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        options.setdefault("bypass_csp", True)
        context = chromium.new_context(viewport=viewport or DESKTOP, locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot():
    """`screenshot(page, "name")` saves a full-page PNG when EBAN_SCREENSHOT_DIR is set."""
    target = os.environ.get("EBAN_SCREENSHOT_DIR")

    def take(page, name: str) -> None:
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def sign_in_to_back_office():
    """`sign_in_to_back_office(page, base_url, user, password)` signs in at /admin/ as a member
    of staff would: the password, then the code of their authenticator (created for the account
    when missing, as if it had been set up)."""
    return _sign_in_to_back_office


def _sign_in_to_back_office(page, base_url: str, user, password: str) -> None:
    from eban.accounts.testing import authenticator, code_for

    authenticator(user)
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/otp/verify/**")
    page.fill("input[name=code]", code_for(user))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


@pytest.fixture
def axe_scan():
    """`axe_scan(page)` runs axe-core (carried by the axe-playwright-python package) on the page
    and returns its serious and critical violations, each as "rule: target …" lines — an
    accessibility check asserts the list is empty."""
    return _axe_scan


def _axe_scan(page, impacts=("serious", "critical")) -> list[str]:
    from importlib.resources import files

    script = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    found = []
    for violation in result["violations"]:
        if violation.get("impact") in impacts:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found
