"""A visitor finds the 老年人优待证 guide, reads it in elderly mode, prints it, and on a phone."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from eban.catalogue.search import reindex_matters
from eban.catalogue.testing import make_matter

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST_JS = """(el) => {
  const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => { const v = c.map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                       return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let bgEl = el, bg = "rgba(0, 0, 0, 0)";
  while (bgEl && (bg === "rgba(0, 0, 0, 0)" || bg === "transparent")) { bg = getComputedStyle(bgEl).backgroundColor; bgEl = bgEl.parentElement; }
  if (bg === "rgba(0, 0, 0, 0)" || bg === "transparent") bg = "rgb(255, 255, 255)";
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _material(name, source, copies=1):
    return {
        "type": "material",
        "value": {
            "name": name,
            "form": "original",
            "copies": copies,
            "required": True,
            "source": source,
            "note": "",
        },
    }


@pytest.fixture
def catalogue():
    cache.clear()
    senior = make_matter(
        code="330300-MZ-0001",
        name="老年人优待证办理",
        name_en="Senior citizen card application",
        short_name="老年人优待证",
        aliases="老年证\n敬老卡",
        summary="年满60周岁的本市户籍老年人可申领老年人优待证，凭证享受乘车、游园等优待。",
        trips=0,
        on_the_spot=True,
        channel_kiosk=True,
        conditions=[
            {"type": "condition", "value": "年满60周岁"},
            {"type": "condition", "value": "具有本市户籍"},
        ],
        materials=[_material("居民身份证", "shared"), _material("近期免冠一寸照片", "applicant", 2)],
        process=[
            {"type": "step", "value": {"title": "申请", "description": "在自助终端或窗口提出申请"}},
            {"type": "step", "value": {"title": "领证", "description": "当场领取优待证"}},
        ],
        faq=[
            {"type": "qa", "value": {"question": "外地户籍老人能办吗？", "answer": "持本市居住证可以办理。"}}
        ],
        place="各县（市、区）民政局办事窗口，各乡镇（街道）便民服务中心",
        hours="工作日 上午9:00-12:00，下午13:30-17:00",
        consult_phone="0577-12345",
        complaint_phone="0577-12345",
        is_sample=True,
    )
    others = [make_matter(code="330300-RS-0001", name="社保参保证明开具", is_sample=True)]
    others.append(
        make_matter(
            code="330300-GJJ-0001",
            name="住房公积金提取",
            category="approval",
            on_the_spot=False,
            promised_days=3,
            statutory_days=20,
            is_sample=True,
        )
    )
    reindex_matters([senior.pk] + [m.pk for m in others])
    yield senior
    cache.clear()


def test_visitor_searches_opens_the_guide_and_switches_to_elderly_mode(
    page, live_server, catalogue, screenshot
):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_test_id("sample-banner").is_visible()
    screenshot(page, "home-desktop")

    page.locator("#search-q").fill("优待证")
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    first = page.get_by_test_id("matter-list").locator("a").first
    assert "老年人优待证办理" in first.inner_text()
    screenshot(page, "search-desktop")

    first.click()
    page.wait_for_url(re.compile(r"/matters/330300-MZ-0001/"))
    assert page.locator("h1").inner_text() == "老年人优待证办理"
    assert page.get_by_test_id("sample-banner").is_visible()
    assert page.get_by_test_id("shared-material").count() == 1
    assert page.locator("[data-print]").is_visible()
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    screenshot(page, "guide-desktop")

    page.get_by_test_id("elderly-mode").click()
    page.wait_for_url(re.compile(r"elderly=1"))
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 24 > normal_size  # 18pt = 24px
    for selector in ["h1", ".guide-summary", ".facts dd", ".materials td"]:
        assert page.locator(selector).first.evaluate(CONTRAST_JS) >= 4.5, selector
    link = page.locator(".facts dd a").first
    assert link.evaluate(CONTRAST_JS) >= 4.5
    for selector in [".guide-actions .btn", ".header-tools .tool"]:
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 44, selector
    screenshot(page, "guide-desktop-elderly")

    # the mode is remembered on the next page
    page.goto(live_server.url + "/matters/")
    assert "elderly" in page.locator("body").get_attribute("class")


def test_guide_prints_without_navigation(page, live_server, catalogue, screenshot):
    page.goto(f"{live_server.url}/matters/{catalogue.code}/")
    assert page.locator('link[rel="stylesheet"][media="print"]').count() == 1
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".guide-actions").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator("table.materials").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_guide_fits_a_phone_screen(new_page, live_server, catalogue, screenshot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/matters/{catalogue.code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_test_id("shared-material").is_visible()
    screenshot(page, "guide-phone")
    page.goto(f"{live_server.url}/matters/{catalogue.code}/?elderly=1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "guide-phone-elderly")
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "home-phone-elderly")
    page.goto(live_server.url + "/?elderly=0")
    screenshot(page, "home-phone")
    page.goto(live_server.url + "/matters/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("details[data-filters]").get_attribute("open") is None  # results first on a phone
    screenshot(page, "browse-phone")
    page.goto(live_server.url + "/search/?q=" + "优待证")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_test_id("matter-list").is_visible()
    screenshot(page, "search-phone")


def test_english_guide_shows_the_english_name(page, live_server, catalogue):
    page.goto(f"{live_server.url}/matters/{catalogue.code}/")
    page.locator(".lang-form button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Senior citizen card application"


@pytest.mark.parametrize("width", [390, 1280])
def test_changed_public_pages_read_well_at_phone_and_desktop_width(
    new_page, live_server, catalogue, width, axe_scan, screenshot
):
    """The header (one sign-in, one elderly toggle, the icon), a guide with a material of 0 copies,
    a search for nonsense: looked at as a person would, and scanned by axe-core."""
    import os

    from eban.catalogue.models import Matter

    matter = Matter.objects.get(pk=catalogue.pk)
    matter.materials = [
        _material("居民身份证", "applicant", 0),
        _material("近期免冠一寸照片", "applicant", 2),
    ]
    matter.save()
    reindex_matters([matter.pk])
    cache.clear()
    page = new_page(viewport={"width": width, "height": 900})
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    shots = os.environ.get("EBAN_SCREENSHOT_DIR")

    page.goto(f"{live_server.url}/matters/{catalogue.code}/")
    assert page.get_by_test_id("sign-in").count() == 1
    assert page.locator("a[href*='elderly=1']").count() == 1
    copies = page.locator("table.materials tbody tr").first.locator("td").nth(1)
    assert copies.inner_text().strip() != "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_scan(page) == []
    screenshot(page, f"guide-{width}")

    page.goto(f"{live_server.url}/search/?q=xyz不存在的事")
    assert page.get_by_test_id("no-results").is_visible()
    assert page.get_by_test_id("popular").locator("a").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_scan(page) == []
    screenshot(page, f"search-nothing-{width}")

    page.goto(f"{live_server.url}/verify/")
    assert axe_scan(page) == []
    screenshot(page, f"verify-form-{width}")
    assert not [url for url in failed if "favicon" in url], failed
    if shots:
        assert os.path.exists(os.path.join(shots, f"guide-{width}.png"))
