import pytest
from django.urls import reverse

from eban.catalogue.testing import make_matter
from eban.kiosks import geo
from eban.kiosks.models import Settlement

from .finder_factories import OFFICE, county, fresh_calendar, terminal, township  # noqa: F401

pytestmark = pytest.mark.django_db
NEVER_OPEN = {"weekly": {}, "holidays": []}


def test_the_page_works_without_anything_chosen(client):
    terminal(is_sample=True)
    response = client.get(reverse("kiosks:find"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="use-location"' in html
    assert 'name="place"' in html and 'name="division"' in html
    assert 'data-testid="sample-banner"' in html
    assert "eban-finder.js" in html


def test_a_position_lists_the_nearest_open_terminals_with_links_and_a_map(client):
    near = terminal(28.0205, 120.653, name="五马街道便民服务中心")
    response = client.get(reverse("kiosks:find"), {"lat": "28.0152", "lng": "120.6552"})
    html = response.content.decode()
    assert near.name in html
    assert [c.terminal for c in response.context["cards"]] == [near]
    lat, lng = geo.wgs84_to_gcj02(28.0205, 120.653)
    assert f"{lng:.6f}%2C{lat:.6f}" in html  # AMap, GCJ-02
    assert 'data-map="baidu"' in html and 'data-map="tencent"' in html
    assert 'id="eban-map"' in html
    kinds = [p["kind"] for p in response.context["map_points"]]
    assert kinds[0] == "me" and "ok" in kinds


def test_closed_nearer_terminals_are_shown_with_their_hours(client):
    closed = terminal(28.0, 120.65, opening_hours=NEVER_OPEN, name="近处但关门")
    open_ = terminal(28.05, 120.65, name="远处开门")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("kiosks:find"), {"lat": "28.0", "lng": "120.65"})
    assert [c.terminal for c in response.context["closed_nearer"]] == [closed]
    assert [c.terminal for c in response.context["cards"]] == [open_]
    html = response.content.decode()
    assert 'data-testid="closed-nearer"' in html
    assert "The nearest terminals are closed now" in html


def test_a_place_name_is_looked_up_offline(client):
    division = township("330302006", "藤桥镇")
    Settlement.objects.create(code="S1", name="上岙村", kind="village", division=division, population=500,
                              latitude=28.09, longitude=120.52)  # fmt: skip
    t = terminal(28.091, 120.521, division=division)
    response = client.get(reverse("kiosks:find"), {"place": "上岙村"})
    assert response.context["place"].label == "上岙村"
    assert [c.terminal for c in response.context["cards"]] == [t]


@pytest.mark.parametrize("typed", ["瑞安", "瑞安市", "ruian"])
def test_a_county_typed_as_people_say_it_lists_its_terminals(client, typed):
    ruian = county("330381", "瑞安市")
    t = terminal(27.7786, 120.6553, division=ruian, level="county", name="瑞安市行政服务中心自助机")
    response = client.get(reverse("kiosks:find"), {"place": typed})
    assert "no_place" not in response.context
    assert response.context["place"].label == "瑞安市"
    assert [c.terminal for c in response.context["cards"]] == [t]


def test_an_unknown_place_is_said_plainly(client):
    terminal()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("kiosks:find"), {"place": "火星基地"})
    html = response.content.decode()
    assert 'data-testid="no-place"' in html
    assert "No known place matches" in html
    assert response.context["cards"] == []


def test_a_division_lists_its_terminals_and_offers_its_townships(client):
    lucheng = county("330302", "鹿城区")
    wuma = township("330302001", "五马街道", lucheng)
    t = terminal(division=wuma)
    response = client.get(reverse("kiosks:find"), {"division": "330302"})
    assert [c.terminal for c in response.context["cards"]] == [t]
    assert [d.code for d, _n in response.context["townships"]] == ["330302001"]
    assert 'id="township"' in response.content.decode()


def test_bad_positions_are_ignored(client):
    terminal()
    for params in ({"lat": "x", "lng": "1"}, {"lat": "nan", "lng": "120"}, {"lat": "95", "lng": "120"}):
        response = client.get(reverse("kiosks:find"), params)
        assert response.status_code == 200 and response.context["origin"] is None


def test_the_terminal_page(client):
    matter = make_matter(name="老年人优待证办理", channel_kiosk=True)
    t = terminal(28.0, 120.65, opening_hours=OFFICE, is_sample=True, hardware=["id_reader", "camera"])
    t.matters.add(matter)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("kiosks:detail", args=[t.code]), {"lat": "28.01", "lng": "120.65"})
    html = response.content.decode()
    assert response.status_code == 200
    assert t.name in html and t.address in html and matter.name in html
    assert "Mon–Fri 08:30–12:00, 13:30–17:30" in html
    assert "ID card reader" in html and "Camera" in html
    assert 'data-testid="sample-banner"' in html
    assert "api.map.baidu.com/direction" in html  # an origin: a route, not only a marker
    assert response.context["card"].distance_m == pytest.approx(geo.haversine_m(28.01, 120.65, 28.0, 120.65))


def test_an_unknown_or_inactive_terminal_is_404(client):
    t = terminal(active=False)
    assert client.get(reverse("kiosks:detail", args=[t.code])).status_code == 404
    assert client.get(reverse("kiosks:detail", args=["NOPE-1"])).status_code == 404


def test_chinese_is_the_default_language(client):
    terminal()
    html = client.get(reverse("kiosks:find")).content.decode()
    assert 'lang="zh-Hans"' in html


def test_no_sign_in_and_no_cookie_needed(client):
    terminal()
    response = client.get(reverse("kiosks:find"), {"lat": "28", "lng": "120.65"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
