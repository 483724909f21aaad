import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_even_when_the_browser_asks_for_english(client):
    response = client.get("/calendar/deadline/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "e办是开源软件" in response.text


def test_the_language_switch_cookie_gives_english_pages(client):
    client.cookies["django_language"] = "en"
    response = client.get("/calendar/deadline/")
    assert response.headers["Content-Language"] == "en"
    assert "eban is open-source software" in response.text


def test_api_clients_may_ask_for_english_with_accept_language(client):
    response = client.get("/api/v1/calendar/deadline", {"start": "bad"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
