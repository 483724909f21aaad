import pytest
from django.core.cache import cache

from eban.kiosks import geo
from eban.kiosks.models import Terminal

from .finder_factories import OFFICE, fresh_calendar, terminal  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/kiosks/nearest"


@pytest.fixture(autouse=True)
def no_rate_limits_left_over():
    cache.clear()
    yield
    cache.clear()


def test_nearest_answers_each_result_with_its_fields(client):
    near = terminal(28.0205, 120.653, name="五马街道便民服务中心", is_sample=True)
    terminal(28.2, 120.9)
    body = client.get(URL, {"lat": 28.0152, "lng": 120.6552, "limit": 1}).json()
    assert len(body["results"]) == 1
    r = body["results"][0]
    assert r["code"] == near.code and r["name"] == near.name
    assert r["distance_m"] == round(geo.haversine_m(28.0152, 120.6552, 28.0205, 120.653))
    assert (r["walk_m"], r["minutes"]) == geo.walking(geo.haversine_m(28.0152, 120.6552, 28.0205, 120.653))
    assert r["open_now"] is True and r["is_sample"] is True
    assert r["address"] == near.address and r["level"] == "township"
    assert (r["latitude"], r["longitude"]) == (28.0205, 120.653)
    lat, lng = geo.wgs84_to_gcj02(28.0205, 120.653)
    assert f"{lng:.6f}%2C{lat:.6f}" in r["links"]["amap"]
    assert set(r["links"]) == {"amap", "baidu", "tencent"}
    assert r["url"].endswith(f"/kiosks/{near.code}/")


def test_default_limit_is_five_and_order_is_nearest_first(client):
    for i in range(8):
        terminal(28.0 + i * 0.01, 120.65)
    results = client.get(URL, {"lat": 28.0, "lng": 120.65}).json()["results"]
    assert len(results) == 5
    assert [r["distance_m"] for r in results] == sorted(r["distance_m"] for r in results)


def test_open_now_keeps_only_open_terminals(client):
    terminal(28.0, 120.65, opening_hours={"weekly": {}, "holidays": []})  # never open
    always = terminal(28.1, 120.65)
    results = client.get(URL, {"lat": 28.0, "lng": 120.65, "open_now": "true"}).json()["results"]
    assert [r["code"] for r in results] == [always.code]
    results = client.get(URL, {"lat": 28.0, "lng": 120.65}).json()["results"]
    assert [r["open_now"] for r in results] == [False, True]


def test_inactive_terminals_are_not_listed(client):
    terminal(28.0, 120.65, active=False)
    assert client.get(URL, {"lat": 28.0, "lng": 120.65}).json()["results"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"lng": 120.6}, "lat"),
        ({"lat": 91, "lng": 120.6}, "lat"),
        ({"lat": 28, "lng": 181}, "lng"),
        ({"lat": "abc", "lng": 120.6}, "lat"),
        ({"lat": "nan", "lng": 120.6}, "lat"),
        ({"lat": 28, "lng": 120.6, "limit": 0}, "limit"),
        ({"lat": 28, "lng": 120.6, "limit": 51}, "limit"),
    ],
)
def test_bad_input_answers_the_standard_error_in_chinese_and_english(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == field
    english = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert english.startswith("The request is not valid")


def test_the_rate_limit_answers_429_with_retry_after(client, settings):
    settings.EBAN_KIOSK_NEAREST_RATE = "3/minute"
    for _ in range(3):
        assert client.get(URL, {"lat": 28, "lng": 120.6}).status_code == 200
    response = client.get(URL, {"lat": 28, "lng": 120.6})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_positions_are_not_logged(client, caplog):
    terminal(28.0, 120.65)
    with caplog.at_level("DEBUG"):
        client.get(URL, {"lat": 28.123456, "lng": 120.654321})
    assert "28.123456" not in caplog.text and "120.654321" not in caplog.text


def test_hours_follow_the_request_language(client):
    terminal(28.0, 120.65, opening_hours=OFFICE)
    result = client.get(URL, {"lat": 28, "lng": 120.65}, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert result["hours"][0] == "Mon–Fri 08:30–12:00, 13:30–17:30"
    assert Terminal.objects.count() == 1
