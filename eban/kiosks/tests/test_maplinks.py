from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from eban.kiosks import geo
from eban.kiosks.finder import maplinks

TERMINAL = SimpleNamespace(name="五马街道便民服务中心", latitude=28.0205, longitude=120.653)
ORIGIN = (28.0152, 120.6552)


def query(url):
    parts = urlsplit(url)
    return parts.scheme + "://" + parts.netloc + parts.path, {
        k: v[0] for k, v in parse_qs(parts.query).items()
    }


def test_amap_link_is_a_walking_route_in_gcj02():
    base, q = query(maplinks.links_for(TERMINAL, ORIGIN).amap)
    assert base == "https://uri.amap.com/navigation"
    lat, lng = geo.wgs84_to_gcj02(TERMINAL.latitude, TERMINAL.longitude)
    assert q["to"] == f"{lng:.6f},{lat:.6f},{TERMINAL.name}"
    o_lat, o_lng = geo.wgs84_to_gcj02(*ORIGIN)
    assert q["from"].startswith(f"{o_lng:.6f},{o_lat:.6f},")
    assert (q["mode"], q["coordinate"], q["src"]) == ("walk", "gaode", "eban")


def test_baidu_link_is_a_walking_route_in_bd09():
    base, q = query(maplinks.links_for(TERMINAL, ORIGIN).baidu)
    assert base == "https://api.map.baidu.com/direction"
    lat, lng = geo.wgs84_to_bd09(TERMINAL.latitude, TERMINAL.longitude)
    assert q["destination"] == f"latlng:{lat:.6f},{lng:.6f}|name:{TERMINAL.name}"
    o_lat, o_lng = geo.wgs84_to_bd09(*ORIGIN)
    assert q["origin"].startswith(f"latlng:{o_lat:.6f},{o_lng:.6f}|name:")
    assert (q["mode"], q["coord_type"], q["output"]) == ("walking", "bd09ll", "html")
    assert "eban" in q["src"]


def test_baidu_link_without_an_origin_is_a_marker():
    base, q = query(maplinks.links_for(TERMINAL).baidu)
    assert base == "https://api.map.baidu.com/marker"
    lat, lng = geo.wgs84_to_bd09(TERMINAL.latitude, TERMINAL.longitude)
    assert q["location"] == f"{lat:.6f},{lng:.6f}"
    assert q["coord_type"] == "bd09ll" and q["title"] == TERMINAL.name


def test_tencent_link_is_a_walking_route_in_gcj02():
    base, q = query(maplinks.links_for(TERMINAL, ORIGIN).tencent)
    assert base == "https://apis.map.qq.com/uri/v1/routeplan"
    lat, lng = geo.wgs84_to_gcj02(TERMINAL.latitude, TERMINAL.longitude)
    assert q["tocoord"] == f"{lat:.6f},{lng:.6f}"
    o_lat, o_lng = geo.wgs84_to_gcj02(*ORIGIN)
    assert q["fromcoord"] == f"{o_lat:.6f},{o_lng:.6f}"
    assert (q["type"], q["to"], q["coord_type"], q["referer"]) == ("walk", TERMINAL.name, "2", "eban")


def test_without_an_origin_the_phone_starts_from_where_it_is():
    links = maplinks.links_for(TERMINAL)
    assert "from" not in query(links.amap)[1]
    assert "fromcoord" not in query(links.tencent)[1]


def test_the_converted_coordinates_differ_from_wgs84():
    # In Wenzhou the shift is a few hundred metres: a link with raw GPS would lead astray.
    lat, lng = geo.wgs84_to_gcj02(TERMINAL.latitude, TERMINAL.longitude)
    assert geo.haversine_m(lat, lng, TERMINAL.latitude, TERMINAL.longitude) > 100
    assert f"{TERMINAL.longitude:.6f}" not in maplinks.links_for(TERMINAL).amap


def test_separators_in_names_do_not_break_the_links():
    odd = SimpleNamespace(name="A,B|C，D", latitude=28.0, longitude=120.6)
    _base, q = query(maplinks.links_for(odd, ORIGIN).amap)
    assert q["to"].count(",") == 2
    _base, q = query(maplinks.links_for(odd, ORIGIN).baidu)
    assert q["destination"].count("|") == 1


@pytest.mark.parametrize("setting", ["eban-test"])
def test_the_source_is_configurable(settings, setting):
    settings.EBAN_MAP_LINK_SOURCE = setting
    assert query(maplinks.links_for(TERMINAL).tencent)[1]["referer"] == setting
