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


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set EBAN_CHROMIUM)"
        )
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
    # test itself (creating data) would otherwise be refused as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """`new_page(viewport=PHONE)` → a fresh page in its own context (own cookies)."""
    contexts = []

    def make(viewport: dict | None = None, **options):
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
