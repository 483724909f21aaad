"""GET /api/v1/calendar/..."""

import pytest

from eban.workdays import actions

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/deadline"


def test_deadline_across_national_day_2025(client):
    response = client.get(URL, {"start": "2025-09-30", "working_days": 3})
    assert response.status_code == 200
    assert response.json() == {"deadline": "2025-10-11"}


def test_deadline_across_spring_festival_2026(client):
    assert client.get(URL, {"start": "2026-02-13", "working_days": 2}).json() == {"deadline": "2026-02-24"}


def test_zero_working_days_returns_the_start(client):
    assert client.get(URL, {"start": "2025-10-01", "working_days": 0}).json() == {"deadline": "2025-10-01"}


def test_unloaded_year_is_a_400_naming_the_year(client):
    response = client.get(URL, {"start": "2026-12-31", "working_days": 1})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "calendar_year_missing"
    assert error["details"] == {"year": 2027}
    assert "2027" in error["message"]


def test_after_loading_2027_the_api_answers(client, csv_2027):
    actions.load_calendar_file(csv_2027, source="test")
    assert client.get(URL, {"start": "2026-12-31", "working_days": 1}).json() == {"deadline": "2027-01-04"}


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-13-01", "working_days": 1},
        {"start": "yesterday", "working_days": 1},
        {"start": "2025-09-30", "working_days": -1},
        {"start": "2025-09-30", "working_days": 10**30},
        {"start": "2025-09-30", "working_days": "ten"},
        {"start": "2025-09-30"},
        {"working_days": 3},
    ],
)
def test_bad_parameters_are_a_422_with_a_message(client, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response.json()["error"]["message"]


def test_dates_far_away_are_refused_not_crashed(client):
    response = client.get(URL, {"start": "9999-12-31", "working_days": 1000})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"year": 9999}


def test_years_lists_the_loaded_years(client):
    years = client.get("/api/v1/calendar/years").json()
    assert [y["year"] for y in years][:1] == [2004]
    y2025 = next(y for y in years if y["year"] == 2025)
    assert y2025["workdays"] == 5 and y2025["source"] == "chinese_calendar"


def test_one_year_lists_its_days(client):
    body = client.get("/api/v1/calendar/years/2025").json()
    assert {"date": "2025-10-11", "kind": "workday", "name": "国庆节"} in body["days"]


def test_an_unloaded_year_is_404(client):
    response = client.get("/api/v1/calendar/years/2027")
    assert response.status_code == 404
    assert response.json()["error"]["details"] == {"year": 2027}


def test_the_deadline_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/calendar/deadline" in paths
