"""On a phone, someone finds the nearest self-service terminal from a place name, sees it open now
with the walk and the three navigation links, opens its page; both pages pass axe-core.

Every wait is on a state (a URL, an element, a DOM condition), never on time; PATIENCE_MS is only
how long a state may take before a test fails, generous so that a busy machine passes."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from eban.kiosks import geo, hours
from eban.kiosks.models import Settlement
from eban.kiosks.tests.finder_factories import county, terminal, township

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PATIENCE_MS = 120_000


@pytest.fixture
def new_page(new_page):
    """The conftest's pages, with a timeout that a loaded machine does not run into."""

    def make(*args, **kwargs):
        page = new_page(*args, **kwargs)
        page.set_default_timeout(PATIENCE_MS)
        return page

    expect.set_options(timeout=PATIENCE_MS)
    yield make
    expect.set_options(timeout=5_000)


@pytest.fixture
def network():
    cache.clear()
    hours.forget_calendar()
    lucheng = county("330302", "鹿城区")
    tengqiao = township("330302006", "藤桥镇", lucheng)
    Settlement.objects.create(code="S-1", name="上岙村", kind="village", division=tengqiao, population=900,
                              latitude=28.09, longitude=120.52, is_sample=True)  # fmt: skip
    near = terminal(28.0915, 120.5215, division=tengqiao, name="藤桥镇上岙村便民服务点（样例）",
                    address="藤桥镇上岙村村委会一楼", level="village", is_sample=True)  # fmt: skip
    terminal(28.083, 120.53, division=tengqiao, name="藤桥镇便民服务中心（样例）", address="藤桥镇府前路1号",
             is_sample=True)  # fmt: skip
    terminal(28.02, 120.653, division=township("330302001", "五马街道", lucheng), name="五马街道便民服务中心（样例）",
             is_sample=True)  # fmt: skip
    return near


def test_find_by_place_on_a_phone_with_map_links(live_server, new_page, axe_scan, screenshot, network):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/kiosks/")
    expect(page.get_by_test_id("sample-banner")).to_be_visible()
    page.fill("#place", "上岙村")
    page.get_by_role("button", name="查找").click()
    page.wait_for_url(re.compile(r"/kiosks/\?(.*&)?place="))
    page.wait_for_selector("[data-testid=results]")
    first = page.locator("[data-testid=finder-result]").first
    assert first.get_attribute("data-code") == network.code
    assert "藤桥镇上岙村便民服务点" in first.inner_text()
    amap = first.locator("a[data-map=amap]").get_attribute("href")
    to = parse_qs(urlsplit(amap).query)["to"][0].split(",")
    lat, lng = geo.wgs84_to_gcj02(network.latitude, network.longitude)
    assert (float(to[1]), float(to[0])) == (pytest.approx(lat, abs=1e-6), pytest.approx(lng, abs=1e-6))
    assert first.locator("a[data-map=baidu]").get_attribute("href").startswith("https://api.map.baidu.com/")
    assert (
        first.locator("a[data-map=tencent]")
        .get_attribute("href")
        .startswith("https://apis.map.qq.com/uri/v1/routeplan")
    )
    expect(page.locator("#eban-map")).to_be_visible()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    # Big touch targets for the navigation buttons.
    box = first.locator("a[data-map=amap]").bounding_box()
    assert box["height"] >= 44
    screenshot(page, "finder-results-phone")
    assert axe_scan(page) == []

    first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/kiosks/[^/?]+/"))
    page.wait_for_selector("[data-testid=detail-status]")
    assert "藤桥镇上岙村村委会一楼" in page.content()
    assert page.locator("a[data-map=amap]").count() == 1
    screenshot(page, "finder-terminal-phone")
    assert axe_scan(page) == []


def test_use_my_location_reloads_with_the_position(live_server, new_page, network):
    page = new_page(
        viewport=PHONE, geolocation={"latitude": 28.0205, "longitude": 120.653}, permissions=["geolocation"]
    )
    page.goto(f"{live_server.url}/kiosks/")
    page.get_by_test_id("use-location").click()
    page.wait_for_url(re.compile(r"/kiosks/\?lat="))
    page.wait_for_selector("[data-testid=results]")
    assert "五马街道便民服务中心" in page.locator("[data-testid=finder-result]").first.inner_text()


def test_the_empty_finder_page_passes_axe(live_server, new_page, axe_scan, network):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/kiosks/?division=330302")
    page.wait_for_selector("[data-testid=results]")
    assert axe_scan(page) == []
