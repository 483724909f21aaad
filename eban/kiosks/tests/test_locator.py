import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eban.kiosks import geo
from eban.kiosks.finder import locator
from eban.kiosks.models import Settlement, Terminal

from .finder_factories import OFFICE, county, fresh_calendar, holiday_calendar, terminal, township  # noqa: F401

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2031, 9, 29, 10, tzinfo=SH)
MONDAY_NIGHT = datetime(2031, 9, 29, 22, tzinfo=SH)


def brute_force(lat, lng, limit, open_at=None):
    rows = []
    for t in Terminal.objects.filter(active=True):
        if open_at is not None:
            from eban.kiosks.hours import is_open

            if not is_open(t, open_at):
                continue
        rows.append((geo.haversine_m(lat, lng, t.latitude, t.longitude), t.code))
    rows.sort()
    return [code for _d, code in rows[:limit]]


def scatter(n, seed, *, clustered=True):
    """n terminals over an area the size of Wenzhou, some in dense clusters (towns)."""
    rng = random.Random(seed)
    division = township()
    towns = [(rng.uniform(27.0, 28.6), rng.uniform(119.6, 121.2)) for _ in range(8)]
    objs = []
    for i in range(n):
        if clustered and rng.random() < 0.6:
            c_lat, c_lng = rng.choice(towns)
            lat, lng = c_lat + rng.gauss(0, 0.01), c_lng + rng.gauss(0, 0.01)
        else:
            lat, lng = rng.uniform(27.0, 28.6), rng.uniform(119.6, 121.2)
        hours = OFFICE if rng.random() < 0.7 else {"always": True}
        objs.append(
            Terminal(code=f"R-{seed}-{i:05d}", name=f"终端{i}", level="village", address="路", latitude=lat,
                     longitude=lng, division=division, opening_hours=hours, active=rng.random() > 0.05)
        )  # fmt: skip
    Terminal.objects.bulk_create(objs)
    return rng, towns


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nearest_is_exactly_the_brute_force_answer(seed):
    rng, towns = scatter(600, seed)
    for _ in range(40):
        if rng.random() < 0.5:
            c_lat, c_lng = rng.choice(towns)
            lat, lng = c_lat + rng.gauss(0, 0.02), c_lng + rng.gauss(0, 0.02)
        else:  # anywhere, including far outside the area (the box must grow a lot)
            lat, lng = rng.uniform(25.0, 31.0), rng.uniform(118.0, 123.0)
        limit = rng.choice([1, 3, 5, 10, 50])
        found = locator.nearest(lat, lng, limit=limit, at=MONDAY_10)
        assert [f.terminal.code for f in found] == brute_force(lat, lng, limit)
        distances = [f.distance_m for f in found]
        assert distances == sorted(distances)


def test_nearest_open_now_is_the_brute_force_answer_among_open_ones():
    rng, towns = scatter(400, 7)
    for _ in range(25):
        c_lat, c_lng = rng.choice(towns)
        lat, lng = c_lat + rng.gauss(0, 0.05), c_lng + rng.gauss(0, 0.05)
        found = locator.nearest(lat, lng, limit=5, open_now=True, at=MONDAY_NIGHT)
        assert [f.terminal.code for f in found] == brute_force(lat, lng, 5, open_at=MONDAY_NIGHT)
        assert all(f.open_now for f in found)


def test_results_carry_distance_walk_and_open_state():
    near = terminal(28.0, 120.65, opening_hours=OFFICE)
    found = locator.nearest(28.001, 120.65, limit=1, at=MONDAY_NIGHT)
    assert [f.terminal for f in found] == [near]
    f = found[0]
    assert f.distance_m == pytest.approx(geo.haversine_m(28.001, 120.65, 28.0, 120.65))
    assert (f.walk_m, f.minutes) == geo.walking(f.distance_m)
    assert f.open_now is False


def test_open_now_skips_closed_terminals():
    closed = terminal(28.0, 120.65, opening_hours=OFFICE)
    open_ = terminal(28.05, 120.65)
    assert [f.terminal for f in locator.nearest(28.0, 120.65, limit=1, at=MONDAY_NIGHT)] == [closed]
    found = locator.nearest(28.0, 120.65, limit=1, open_now=True, at=MONDAY_NIGHT)
    assert [f.terminal for f in found] == [open_]
    assert [f.terminal for f in locator.nearest(28.0, 120.65, limit=1, open_now=True, at=MONDAY_10)] == [
        closed
    ]


def test_a_holiday_closes_office_hours_terminals():
    holiday_calendar()  # 2031-10-01 is a holiday, 10:00 on a Wednesday
    office = terminal(28.0, 120.65, opening_hours=OFFICE)
    always = terminal(28.02, 120.65)
    holiday_10 = datetime(2031, 10, 1, 10, tzinfo=SH)
    assert [f.terminal for f in locator.nearest(28.0, 120.65, limit=1, open_now=True, at=holiday_10)] == [
        always
    ]
    makeup_saturday = datetime(2031, 9, 27, 10, tzinfo=SH)
    assert [
        f.terminal for f in locator.nearest(28.0, 120.65, limit=1, open_now=True, at=makeup_saturday)
    ] == [office]


def test_inactive_terminals_are_never_found():
    terminal(28.0, 120.65, active=False)
    far = terminal(28.3, 120.65)
    assert [f.terminal for f in locator.nearest(28.0, 120.65, limit=5)] == [far]


def test_no_terminals_gives_an_empty_list():
    assert locator.nearest(28.0, 120.65) == []


def test_queryset_narrows_the_search():
    a = terminal(28.0, 120.65, division=township("330302001", "五马街道"))
    b = terminal(28.1, 120.65, division=township("330302002", "南汇街道"))
    assert [f.terminal for f in locator.nearest(28.0, 120.65, queryset=locator.in_division("330302002"))] == [
        b
    ]
    assert a in locator.in_division("330302")


def test_guaranteed_radius_holds_every_point_of_the_box_circle():
    rng = random.Random(5)
    for _ in range(2000):
        lat = rng.uniform(-60, 60)
        radius = rng.choice([100, 2_000, 50_000, 900_000])
        dlat, dlng = geo.degrees_box(lat, radius)
        g = locator.guaranteed_radius_m(lat, dlat, dlng)
        # a point at distance g in any direction stays inside the box
        bearing = rng.uniform(0, 360)
        import math

        d = g / geo.EARTH_RADIUS_M
        p1, b = math.radians(lat), math.radians(bearing)
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
        dl = math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
        assert abs(math.degrees(p2) - lat) <= dlat + 1e-9
        assert abs(math.degrees(dl)) <= dlng + 1e-9


def test_in_division_includes_everything_under_it():
    lucheng = county("330302", "鹿城区")
    longwan = county("330303", "龙湾区")
    t1 = terminal(division=township("330302001", "五马街道", lucheng))
    t2 = terminal(division=lucheng, level="county")
    t3 = terminal(division=township("330303001", "永中街道", longwan))
    assert set(locator.in_division("330302")) == {t1, t2}
    assert set(locator.in_division("330300")) == {t1, t2, t3}
    assert list(locator.in_division("330302001")) == [t1]


def test_division_choices_count_active_terminals():
    lucheng = county("330302", "鹿城区")
    county("330303", "龙湾区")
    terminal(division=township("330302001", "五马街道", lucheng))
    terminal(division=township("330302001", "五马街道", lucheng), active=False)
    choices = locator.division_choices()
    assert [(d.code, n) for d, n in choices] == [("330302", 1)]
    assert [(d.code, n) for d, n in locator.division_choices("330302")] == [("330302001", 1)]


def test_place_position_finds_a_settlement_by_name():
    division = township("330302006", "藤桥镇")
    Settlement.objects.create(code="S1", name="上岙村", kind="village", division=division, population=800,
                              latitude=28.09, longitude=120.52)  # fmt: skip
    place = locator.place_position("  上岙村 ")
    assert (place.lat, place.lng, place.kind, place.label) == (28.09, 120.52, "settlement", "上岙村")
    assert locator.place_position("温州市鹿城区藤桥镇上岙村18号").label == "上岙村"


def test_place_position_prefers_the_longest_most_specific_match():
    wuma = township("330302001", "五马街道")
    terminal(28.02, 120.653, division=wuma, name="五马街道便民服务中心", level="township")
    terminal(28.03, 120.66, division=wuma, name="五马街道某村服务点", level="village")
    place = locator.place_position("鹿城区五马街道")
    assert place.kind == "division" and place.label == "五马街道"
    assert (place.lat, place.lng) == (pytest.approx(28.025), pytest.approx(120.6565))


def test_place_position_finds_a_terminal_by_name_or_address():
    t = terminal(28.1, 120.7, name="温州市民中心自助区", address="温州市鹿城区市府路500号")
    assert locator.place_position("市民中心自助区").code == t.code
    assert locator.place_position("市府路500号").code == t.code


def test_place_position_says_none_when_nothing_matches():
    terminal()
    assert locator.place_position("火星基地") is None
    assert locator.place_position("") is None
    assert locator.place_position("村") is None


def test_same_township_name_in_two_counties_follows_the_county_given():
    a = county("330302", "鹿城区")
    b = county("330324", "永嘉县")
    t_a = terminal(28.0, 120.6, division=township("330302010", "城关镇", a), level="township")
    t_b = terminal(28.2, 120.7, division=township("330324010", "城关镇", b), level="township")
    assert locator.place_position("永嘉县城关镇").lat == t_b.latitude
    assert locator.place_position("鹿城区城关镇").lat == t_a.latitude


@pytest.fixture
def wenzhou_counties():
    """Four real counties of Wenzhou, each with a terminal at its seat, and one township."""
    seats = {
        "330381": ("瑞安市", 27.7786, 120.6553),
        "330382": ("乐清市", 28.1127, 120.9836),
        "330324": ("永嘉县", 28.1531, 120.6907),
        "330328": ("文成县", 27.7868, 120.0917),
    }
    found = {}
    for code, (name, lat, lng) in seats.items():
        division = county(code, name)
        terminal(lat, lng, division=division, level="county", name=f"{name}行政服务中心自助机")
        found[code] = (lat, lng)
    tangxia = township("330381102", "塘下镇", parent=county("330381", "瑞安市"))
    terminal(27.85, 120.60, division=tangxia, name="塘下镇便民服务中心自助机")
    return found


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("瑞安", "330381"),
        ("瑞安市", "330381"),
        (" 乐清 ", "330382"),
        ("永嘉", "330324"),
        ("永嘉县", "330324"),
        ("文成", "330328"),
        ("ruian", "330381"),
        ("Yong Jia", "330324"),
        ("yueqing", "330382"),
        ("塘下", "330381102"),
        ("瑞安塘下", "330381102"),
    ],
)
def test_a_place_typed_without_its_suffix_or_in_pinyin_finds_the_division(wenzhou_counties, typed, code):
    """The finder did not find "瑞安" although 瑞安市 is in its own list of divisions."""
    place = locator.place_position(typed)
    assert place is not None, typed
    assert (place.kind, place.code) == ("division", code)


def test_a_stem_alone_does_not_match_inside_another_word(wenzhou_counties):
    assert locator.place_position("安市") is None
    assert locator.place_position("xyz") is None
