"""The coverage computation (no database): against brute force on random data, the greedy sites
against exhaustive search on tiny cases, and the edges."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from eban.kiosks import geo
from eban.kiosks.coverage import compute as coverage

WENZHOU = (27.99, 120.70)


def random_places(rng, n, *, center=WENZHOU, spread_deg=0.08):
    lat = center[0] + rng.uniform(-spread_deg, spread_deg, n)
    lng = center[1] + rng.uniform(-spread_deg, spread_deg, n)
    return lat, lng


def brute_covered(s_lat, s_lng, t_lat, t_lng, radius):
    return [
        any(geo.haversine_m(a, b, c, d) <= radius for c, d in zip(t_lat, t_lng, strict=True))
        for a, b in zip(s_lat, s_lng, strict=True)
    ]


def reach(lat, lng, radius):
    """Per settlement: the set of settlements within `radius` (brute force)."""
    n = len(lat)
    return [
        {j for j in range(n) if geo.haversine_m(lat[i], lng[i], lat[j], lng[j]) <= radius} for i in range(n)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_covered_settlements_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    s_lat, s_lng = random_places(rng, 400)
    t_lat, t_lng = random_places(rng, 60)
    population = rng.integers(0, 3000, 400)
    settlements = coverage.Settlements.of(s_lat, s_lng, population, rng.random(400) < 0.2)
    terminals = coverage.Terminals.of(t_lat, t_lng)
    report = coverage.compute(settlements, terminals, minutes=15, sites=0)
    expected = brute_covered(s_lat, s_lng, t_lat, t_lng, geo.reach_m(15))
    assert report.covered.tolist() == expected
    assert report.covered_population == int(population[np.array(expected)].sum())
    assert report.share == pytest.approx(report.covered_population / int(population.sum()))
    assert 0 < report.covered_settlements < 400  # the data is neither all in nor all out


def test_large_spread_and_high_latitude_match_brute_force():
    """A province-sized area far from the equator: the projection must not lose pairs."""
    rng = np.random.default_rng(7)
    s_lat, s_lng = random_places(rng, 300, center=(52.0, 125.0), spread_deg=2.0)
    # Terminals near settlements, so many pairs are close to the radius.
    pick = rng.integers(0, 300, 200)
    t_lat = s_lat[pick] + rng.normal(0, 0.006, 200)
    t_lng = s_lng[pick] + rng.normal(0, 0.01, 200)
    report = coverage.compute(
        coverage.Settlements.of(s_lat, s_lng), coverage.Terminals.of(t_lat, t_lng), radius_m=700, sites=0
    )
    assert report.covered.tolist() == brute_covered(s_lat, s_lng, t_lat, t_lng, 700)


def test_pairs_within_finds_every_pair_in_chunks(monkeypatch):
    monkeypatch.setattr(coverage, "CHUNK_PAIRS", 50)  # many small chunks
    rng = np.random.default_rng(4)
    lat, lng = random_places(rng, 120, spread_deg=0.02)
    found = set()
    for q, p in coverage.pairs_within(lat, lng, lat, lng, 600):
        found |= set(zip(q.tolist(), p.tolist(), strict=True))
    expected = {(i, j) for i, near in enumerate(reach(lat, lng, 600)) for j in near}
    assert found == expected


def test_per_county_shares():
    settlements = coverage.Settlements.of(
        [28.0, 28.0, 28.5, 28.5],
        [120.0, 120.5, 120.0, 120.5],
        [100, 300, 50, 0],
        county=["330302", "330302", "330381", "330381"],
    )
    terminals = coverage.Terminals.of([28.0, 28.5], [120.0, 120.5])
    report = coverage.compute(
        settlements, terminals, radius_m=500, sites=0, county_names={"330302": "鹿城区"}
    )
    counties = {c.code: c for c in report.counties}
    assert counties["330302"].name == "鹿城区" and counties["330381"].name == "330381"
    assert (counties["330302"].population, counties["330302"].covered_population) == (400, 100)
    assert counties["330302"].share == pytest.approx(0.25)
    assert (counties["330381"].population, counties["330381"].covered_population) == (50, 0)
    assert counties["330381"].settlements == 2
    assert report.share == pytest.approx(100 / 450)


def test_uncovered_key_villages_most_people_first():
    settlements = coverage.Settlements.of(
        [28.0, 28.1, 28.2, 28.3],
        [120.0, 120.0, 120.0, 120.0],
        [10, 500, 200, 900],
        [True, True, True, False],
        codes=["A", "B", "C", "D"],
        names=["甲村", "乙村", "丙村", "丁村"],
    )
    report = coverage.compute(settlements, coverage.Terminals.of([28.0], [120.0]), sites=0)
    assert [p.code for p in report.uncovered_key_villages] == ["B", "C"]
    assert report.uncovered_key_villages[0].name == "乙村"
    assert report.key_villages == 3


def test_a_settlement_exactly_at_the_radius_is_covered():
    t = (28.0, 120.0)
    s = (28.0, 120.01)
    distance = geo.haversine_m(*t, *s)
    settlements = coverage.Settlements.of([s[0]], [s[1]], [10])
    terminals = coverage.Terminals.of([t[0]], [t[1]])
    assert coverage.compute(settlements, terminals, radius_m=distance, sites=0).covered.tolist() == [True]
    assert coverage.compute(settlements, terminals, radius_m=distance - 0.01, sites=0).covered.tolist() == [
        False
    ]


def test_minutes_and_speed_make_the_radius():
    assert coverage.radius_for() == pytest.approx(geo.reach_m(15))
    assert coverage.radius_for(minutes=10, speed_m_per_min=50) == pytest.approx(10 * 50 / geo.DETOUR_FACTOR)
    assert coverage.radius_for(minutes=10, radius_m=300) == 300
    with pytest.raises(ValueError):
        coverage.radius_for(minutes=0)
    with pytest.raises(ValueError):
        coverage.radius_for(radius_m=-1)
    report = coverage.compute(
        coverage.Settlements.of([], []), coverage.Terminals.of([], []), minutes=20, speed_m_per_min=60
    )
    assert (report.minutes, report.speed_m_per_min) == (20, 60)
    assert report.radius_m == pytest.approx(20 * 60 / geo.DETOUR_FACTOR)


def test_no_terminals_nobody_is_covered_and_sites_are_proposed():
    rng = np.random.default_rng(5)
    lat, lng = random_places(rng, 50, spread_deg=0.03)
    settlements = coverage.Settlements.of(lat, lng, rng.integers(1, 100, 50), np.ones(50, bool))
    report = coverage.compute(settlements, coverage.Terminals.of([], []), sites=3)
    assert report.covered_population == 0 and report.share == 0
    assert len(report.uncovered_key_villages) == 50
    assert len(report.sites) == 3
    assert report.sites[0].people >= report.sites[1].people >= report.sites[2].people > 0


def test_no_settlements():
    report = coverage.compute(
        coverage.Settlements.of([], []), coverage.Terminals.of([28.0], [120.0]), sites=5
    )
    assert (report.settlements, report.population, report.share, report.sites) == (0, 0, None, [])
    assert report.counties == [] and report.uncovered_key_villages == []
    assert json.loads(report.to_json())["share"] is None


def test_everyone_covered_proposes_no_site():
    settlements = coverage.Settlements.of([28.0], [120.0], [100])
    report = coverage.compute(settlements, coverage.Terminals.of([28.0], [120.0]), sites=5)
    assert report.share == 1 and report.sites == []
    assert report.share_with_sites == 1


def test_settlements_with_nobody_get_no_site():
    settlements = coverage.Settlements.of([28.0, 28.5], [120.0, 120.0], [0, 0])
    report = coverage.compute(settlements, coverage.Terminals.of([], []), sites=2)
    assert report.share is None and report.sites == []


def brute_greedy(gain_sets, population, k):
    """Plain greedy: at each step, every candidate's gain computed afresh; ties to the lowest index."""
    covered, picks = set(), []
    for _ in range(k):
        gains = [sum(population[j] for j in s - covered) for s in gain_sets]
        best = max(range(len(gains)), key=lambda i: (gains[i], -i))
        if gains[best] == 0:
            break
        picks.append((best, gains[best]))
        covered |= gain_sets[best]
    return picks


def best_possible(gain_sets, population, k):
    return max(
        sum(population[j] for j in set().union(*(gain_sets[i] for i in combo)))
        for combo in itertools.combinations(range(len(gain_sets)), k)
    )


@pytest.mark.parametrize("seed", range(6))
def test_greedy_sites_against_exhaustive_search(seed):
    rng = np.random.default_rng(100 + seed)
    n = 12
    lat, lng = random_places(rng, n, spread_deg=0.012)
    population = rng.integers(1, 1000, n)
    radius = 700.0
    sets = reach(lat, lng, radius)
    settlements = coverage.Settlements.of(lat, lng, population)
    for k in (1, 2, 3):
        report = coverage.compute(settlements, coverage.Terminals.of([], []), radius_m=radius, sites=k)
        picks = [(int(site.code), site.people) for site in report.sites]
        # CELF makes the same choices as the plain greedy, step by step...
        assert picks == brute_greedy(sets, population.tolist(), k)
        # ...the first pick is the best single site, and k picks are within (1 - 1/e) of the best k.
        total = sum(people for _i, people in picks)
        optimum = best_possible(sets, population.tolist(), len(picks))
        if k == 1:
            assert total == optimum
        assert total >= (1 - 1 / math.e) * optimum
        assert report.sites[-1].cumulative_population == total


def test_greedy_counts_only_the_uncovered_and_reports_cumulative_shares():
    #   covered by the terminal: A (100); uncovered: B (10) near C (20), far D (50)
    lat = [28.0, 28.1, 28.1, 28.4]
    lng = [120.0, 120.0, 120.003, 120.0]
    settlements = coverage.Settlements.of(lat, lng, [100, 10, 20, 50], [False, True, False, True])
    report = coverage.compute(settlements, coverage.Terminals.of([28.0], [120.0]), radius_m=500, sites=3)
    assert [(s.code, s.people, s.settlements, s.key_villages) for s in report.sites] == [
        ("3", 50, 1, 1),
        ("1", 30, 2, 1),
    ]
    assert report.sites[0].cumulative_population == 150
    assert report.sites[1].cumulative_share == pytest.approx(1.0)
    assert report.share_with_sites == pytest.approx(1.0)


def test_progress_reports_phases():
    calls = []
    rng = np.random.default_rng(9)
    lat, lng = random_places(rng, 100)
    coverage.compute(
        coverage.Settlements.of(lat, lng),
        coverage.Terminals.of(*random_places(rng, 10)),
        sites=2,
        progress=lambda phase, done, total: calls.append((phase, done, total)),
    )
    phases = [c[0] for c in calls]
    assert phases[0] == "covering" and phases[-1] == "done"
    assert "candidates" in phases and "choosing" in phases
    assert ("covering", 100, 100) in calls


def test_report_json_has_the_figures_and_not_the_mask():
    settlements = coverage.Settlements.of(
        [28.0, 28.2], [120.0, 120.0], [5, 7], [False, True], names=["甲", "乙"]
    )
    report = coverage.compute(settlements, coverage.Terminals.of([28.0], [120.0]), sites=1)
    data = json.loads(report.to_json())
    assert "covered" not in data
    assert data["uncovered_population"] == 7
    assert data["uncovered_key_villages"][0]["name"] == "乙"
    assert data["sites"][0]["people"] == 7
    assert "乙" in report.to_json()  # not escaped


def test_work_estimate_counts_candidate_pairs():
    lat, lng = [28.0, 28.0001, 29.0], [120.0, 120.0, 120.0]
    # Two settlements share a cell with the terminal (2 pairs) and with each other (2x2 pairs),
    # the third is alone (1 pair with itself).
    assert coverage.work_estimate(np.array(lat), np.array(lng), np.array([28.0]), np.array([120.0]), 500) == 7
    assert coverage.work_estimate(np.array([]), np.array([]), np.array([28.0]), np.array([120.0]), 500) == 0


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        coverage.Settlements.of([28.0], [120.0, 121.0])
    with pytest.raises(ValueError):
        coverage.Settlements.of([28.0], [120.0], [-1])
