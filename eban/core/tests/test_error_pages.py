import pytest

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_a_helpful_404_in_chinese(client):
    response = client.get("/matters/NO-SUCH-MATTER/")
    assert response.status_code == 404
    assert "页面不存在" in response.text and 'href="/search/"' in response.text
