"""A staff member imports a catalogue file in the back office and reads the report.

The import runs as it does in production: the upload queues a task in the database
(django_tasks_db), and a real worker — the `Worker` loop that `eban worker` runs — picks it up.
The worker runs in a thread of the test process, so that it shares the test database whatever
the engine (an in-memory SQLite database cannot be opened by another process). The page is
watched as a person would: it must move from "waiting" to 100 % and show the report by itself.
"""

import json
import threading

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


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue (as in production) instead of running inside the request."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def start_worker():
    """`start_worker()` starts django_tasks_db's worker loop (what `eban worker` runs) in a thread;
    it is stopped after the test."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    def readers_do_not_wait_for_writers():
        # The test database on SQLite is in memory, shared between connections through SQLite's
        # shared cache, where a reader meets a writer's table lock at once ("database table is
        # locked") instead of reading the last committed state as a file database in WAL mode
        # does. Let the live server's and the worker's connections read without those locks.
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 1")

    readers_do_not_wait_for_writers()  # the live server's connection (shared with the test's)
    workers = []

    def start():
        worker = Worker(
            queue_names=["default"], interval=0.1, batch=False, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id="browser-test-worker", excluded_queue_names=[],
        )  # fmt: skip

        def run():
            try:
                readers_do_not_wait_for_writers()
                worker.run()
            finally:
                connection.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        workers.append((worker, thread))
        return worker

    yield start
    for worker, thread in workers:
        worker.running = False
        thread.join(30)


def upload(page, live_server, tmp_path, matters) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"format": "eban.matters/1", "matters": matters}, ensure_ascii=False))
    page.goto(f"{live_server.url}/admin/catalogue/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_url("**/admin/catalogue/import/*/")


def wait_for_report(page) -> None:
    """The page reloads itself once the job is finished; the report is then on it."""
    try:
        page.locator("#import-report").wait_for(timeout=60_000)
    except Exception as error:
        raise AssertionError(page.url + page.inner_text("body")[:1500]) from error


def test_the_progress_bar_follows_the_job_until_its_report(
    page, live_server, log_in, tmp_path, queue, start_worker, screenshot, axe_scan
):
    make_department()
    log_in()
    upload(page, live_server, tmp_path, [guide("330300-GA-9001"), guide("330300-GA-9002")])
    box = page.locator("#import-progress")
    # Nothing runs the job yet: the page says so and its script is polling.
    assert "等待" in box.inner_text()
    page.wait_for_function("document.querySelector('#import-progress').dataset.state === 'polling'")
    assert not page.locator("#import-report").count()
    assert axe_scan(page) == []

    start_worker()
    wait_for_report(page)
    assert box.locator("progress").get_attribute("value") == "100"
    assert box.get_attribute("data-finished") == "1"
    assert "新增 2 个" in page.inner_text("#import-report")
    assert Matter.objects.filter(code__in=["330300-GA-9001", "330300-GA-9002"], live=True).count() == 2
    assert axe_scan(page) == []
    screenshot(page, "admin-import-done")


def test_the_page_says_when_the_progress_cannot_be_read(page, live_server, log_in, tmp_path, queue):
    make_department()
    log_in()
    upload(page, live_server, tmp_path, [guide("330300-GA-9001")])
    page.wait_for_function("document.querySelector('#import-progress').dataset.state === 'polling'")
    page.context.clear_cookies()  # the session ends (signed out elsewhere, expired)
    error = page.locator("#import-progress [data-error]")
    error.wait_for(state="visible")
    assert "无法读取" in error.inner_text() or "could not be read" in error.inner_text()
    page.wait_for_function("document.querySelector('#import-progress').dataset.state === 'stopped'")


def test_import_shows_progress_and_a_report(page, live_server, log_in, tmp_path, screenshot):
    make_department()
    log_in()
    upload(page, live_server, tmp_path, [guide("330300-GA-9001")])
    wait_for_report(page)
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
    wait_for_report(page)
    report = page.inner_text("#import-report")
    assert "category" in report and "nonsense" in report
    screenshot(page, "admin-import-rejected")
    assert not Matter.objects.filter(code__startswith="330300-GA-900").exists()
