"""What a new visitor saw twice or broken: one sign-in link, one elderly-mode toggle, a favicon,
and no "0 copies" in a guide."""

import pytest
from django.test import override_settings

from eban.catalogue.testing import make_matter

pytestmark = pytest.mark.django_db


def material(name, copies, source="applicant"):
    value = {
        "name": name,
        "form": "original",
        "copies": copies,
        "required": True,
        "source": source,
        "note": "",
    }
    return {"type": "material", "value": value}


@pytest.fixture
def matter():
    return make_matter(
        code="330300-MZ-0077",
        name="居住证明开具",
        materials=[material("居民身份证", 0), material("近期免冠一寸照片", 2)],
    )


def test_the_header_has_one_sign_in_link(client):
    html = client.get("/").content.decode()
    assert html.count('href="/account/sign-in/') + html.count('href="/account/sign_in/') <= 1
    assert html.count('data-testid="sign-in"') == 1


def test_a_guide_has_one_elderly_mode_toggle(client, matter):
    html = client.get(f"/matters/{matter.code}/").content.decode()
    assert html.count("elderly=1") == 1
    html = client.get(f"/matters/{matter.code}/?elderly=1").content.decode()
    assert html.count("elderly=0") == 1


def test_a_material_with_no_copies_does_not_say_zero(client, matter):
    from django.utils import translation

    with translation.override("en"):
        html = client.get(f"/matters/{matter.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    first, second = rows[0], rows[1]
    assert '<td data-label="份数">0</td>' not in first and ">0</td>" not in first
    assert ">2</td>" in second


def test_favicon_is_served_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/img/favicon.ico")
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html


@override_settings(DEBUG=True)
def test_the_icon_file_is_a_real_icon():
    from django.contrib.staticfiles import finders

    path = finders.find("img/favicon.ico")
    with open(path, "rb") as handle:
        assert handle.read(4) == b"\x00\x00\x01\x00"  # the ICO header


def test_a_search_for_nonsense_says_so_and_offers_ways_on(client, matter):
    from eban.catalogue.search import reindex_all

    reindex_all()
    html = client.get("/search/", {"q": "xyz不存在的事"}).content.decode()
    assert 'data-testid="no-results"' in html
    assert 'data-testid="popular"' in html and matter.name in html
    assert 'data-testid="categories"' in html
