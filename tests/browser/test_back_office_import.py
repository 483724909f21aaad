"""A staff member imports a catalogue file in the back office and reads the report."""

import json

import pytest

from eban.catalogue.models import Matter
from eban.catalogue.testing import make_department

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def guide(code: str, **overrides) -> dict:
    data = {
        "code": code, "name": "居住证明开具", "name_en": "", "short_name": "", "aliases": [], "keywords": [],
        "summary": "", "category": "certificate", "themes": [], "audience": "person", "life_events": [],
        "department": "330300-GA", "divisions": [], "channels": ["online"], "trips": 0, "on_the_spot": True,
        "statutory_days": None, "promised_days": None, "fee": {"free": True, "amount": None, "basis": ""},
        "legal_basis": [], "conditions": ["本市居民"], "materials": [], "process": [], "place": "", "hours": "",
        "consult_phone": "", "complaint_phone": "", "faq": [], "is_sample": True,
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def wagtail_root():
    """A transactional test starts from empty tables: put back the page tree's root that the
    back office's menu needs (created by Wagtail's migrations in a normal database)."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def log_in(page, live_server, django_user_model, sign_in_to_back_office):
    def sign_in():
        boss = django_user_model.objects.create_superuser("boss", password="a-long-test-password")
        sign_in_to_back_office(page, live_server.url, boss, "a-long-test-password")

    return sign_in


def upload(page, live_server, tmp_path, matters) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"format": "eban.matters/1", "matters": matters}, ensure_ascii=False))
    page.goto(f"{live_server.url}/admin/catalogue/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_load_state()
    if not page.locator("#import-report").count():
        raise AssertionError(page.url + page.inner_text("body")[:1500])


def test_import_shows_progress_and_a_report(page, live_server, log_in, tmp_path, screenshot):
    make_department()
    log_in()
    upload(page, live_server, tmp_path, [guide("330300-GA-9001")])
    assert page.locator("#import-progress progress").get_attribute("value") == "100"
    assert "新增 1 个" in page.inner_text("#import-report")
    screenshot(page, "admin-import-done")
    assert Matter.objects.filter(code="330300-GA-9001", live=True).exists()


def test_a_bad_row_is_reported_and_nothing_is_saved(page, live_server, log_in, tmp_path, screenshot):
    make_department()
    log_in()
    upload(
        page, live_server, tmp_path, [guide("330300-GA-9001"), guide("330300-GA-9002", category="nonsense")]
    )
    report = page.inner_text("#import-report")
    assert "category" in report and "nonsense" in report
    screenshot(page, "admin-import-rejected")
    assert not Matter.objects.filter(code__startswith="330300-GA-900").exists()
