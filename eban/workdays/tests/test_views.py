"""The public deadline calculator /calendar/deadline/."""

import pytest
from django.urls import reverse

from eban.workdays import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("workdays:calculator")


def test_the_calculator_is_at_calendar_deadline(url):
    assert url == "/calendar/deadline/"


def test_empty_form_is_shown(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="start"' in response.text and 'name="working_days"' in response.text


def test_result_shows_the_deadline_and_the_holidays_skipped(client, url):
    response = client.get(url, {"start": "2025-09-30", "working_days": "3"})
    assert response.status_code == 200
    assert 'data-deadline="2025-10-11"' in response.text
    assert "2025年10月11日" in response.text
    assert response.text.count("国庆节") >= 8
    assert "2025年10月6日（星期一） 中秋节" in response.text


def test_result_in_english_names_the_festival_in_english(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url, {"start": "2025-09-30", "working_days": "3"})
    assert "National Day" in response.text and "Saturday 11 October 2025" in response.text


def test_handwritten_chinese_date_is_understood(client, url):
    response = client.get(url, {"start": "2025年9月30日", "working_days": "1"})
    assert 'data-deadline="2025-10-09"' in response.text


def test_unloaded_year_is_refused_naming_2027(client, url):
    response = client.get(url, {"start": "2026-12-31", "working_days": "1"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "2027" in response.text
    assert "data-deadline" not in response.text


def test_after_loading_2027_the_page_answers(client, url, csv_2027):
    actions.load_calendar_file(csv_2027, source="test")
    response = client.get(url, {"start": "2026-12-31", "working_days": "1"})
    assert 'data-deadline="2027-01-04"' in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-02-30", "working_days": "1"},
        {"start": "2025-09-30", "working_days": "-3"},
        {"start": "2025-09-30", "working_days": "1001"},
        {"start": "2025-09-30", "working_days": "abc"},
        {"start": "", "working_days": "3"},
    ],
)
def test_bad_input_gets_a_clear_error(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_elderly_mode_uses_the_large_text_layout(client, url):
    response = client.get(url, {"elderly": "1"})
    assert 'class="elderly' in response.text
