"""The kiosk sample: towns.json, the generated terminals.json and settlements.json, and loading
them (terminals, their offered matters, settlements, six months of transactions)."""

from __future__ import annotations

import json
import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from eban.demo import kiosk_sample
from eban.demo.loading import (
    SAMPLE_DIR,
    SampleDataError,
    load_sample,
    load_settlements,
    load_terminals,
    load_transactions,
)
from eban.kiosks.hours import check_hours
from eban.kiosks.models import KioskTransaction, Settlement, Terminal

from .test_sample_files import COUNTIES


def read(name):
    return json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8"))


TOWNS = {t["code"]: t for t in read("towns.json")["towns"]}
DIVISIONS = {d["code"]: d for d in read("divisions.json")["divisions"]}
TERMINALS = read("terminals.json")["terminals"]
SETTLEMENTS = read("settlements.json")["settlements"]

# Rough extents of each county-level division: (south, north, west, east).
EXTENTS = {
    "330302": (27.97, 28.17, 120.45, 120.78), "330303": (27.83, 28.02, 120.70, 120.92),
    "330304": (27.88, 28.08, 120.40, 120.72), "330305": (27.78, 28.05, 120.98, 121.25),
    "330324": (28.02, 28.62, 120.33, 120.95), "330326": (27.45, 27.80, 120.18, 120.72),
    "330327": (27.10, 27.60, 120.10, 120.75), "330328": (27.58, 28.00, 119.80, 120.30),
    "330329": (27.33, 27.80, 119.60, 120.05), "330381": (27.65, 27.95, 120.30, 120.85),
    "330382": (27.98, 28.55, 120.80, 121.25), "330383": (27.48, 27.65, 120.50, 120.70),
}  # fmt: skip


def town_of(division_code: str) -> str:
    """The town centre a terminal stands around: its township, county seat or the city centre."""
    if division_code in TOWNS:
        return division_code
    return DIVISIONS[division_code]["parent"]  # a village: its township (龙港: the city)


def test_files_are_what_the_generator_makes():
    terminals, settlements = kiosk_sample.generate()
    assert read("terminals.json") == terminals
    assert read("settlements.json") == settlements


def test_towns_are_every_township_and_county_seat_inside_their_county():
    wanted = {c for c, d in DIVISIONS.items() if d["level"] in ("county", "township")} | {"330300"}
    assert set(TOWNS) == wanted and len(TOWNS) == 66 + 12 + 1
    assert "approximate" in read("towns.json")["note"]
    for code, town in TOWNS.items():
        assert round(town["lat"], 5) == town["lat"] and round(town["lng"], 5) == town["lng"]
        south, north, west, east = EXTENTS.get(code[:6], EXTENTS["330302"])
        assert south <= town["lat"] <= north and west <= town["lng"] <= east, code
        seat = TOWNS[code[:6]] if code != "330300" else TOWNS["330302"]
        assert kiosk_sample.distance_m(town["lat"], town["lng"], seat["lat"], seat["lng"]) < 40_000, code


def test_more_than_a_thousand_sample_terminals_in_all_twelve_counties():
    assert 1_000 <= len(TERMINALS) <= 1_100
    counties = Counter(t["division"][:6] for t in TERMINALS)
    assert set(COUNTIES) <= set(counties)
    assert all(counties[c] >= 30 for c in COUNTIES)
    assert counties["330302"] > counties["330328"] * 2  # more in the urban districts
    codes = [t["code"] for t in TERMINALS]
    assert len(set(codes)) == len(codes)
    for t in TERMINALS:
        assert re.fullmatch(rf"WZ-{t['division']}-\d{{3}}", t["code"]), t["code"]
        assert t["is_sample"] and t["division"] in DIVISIONS
        assert t["name"].endswith("（样例）") and t["name_en"].endswith("(sample)")
        assert {"id_reader", "printer"} <= set(t["hardware"])


def test_every_terminal_stands_within_6_km_of_its_town_centre():
    for t in TERMINALS:
        town = TOWNS[town_of(t["division"])]
        assert kiosk_sample.distance_m(t["lat"], t["lng"], town["lat"], town["lng"]) <= 6_000, t["code"]


def test_levels_one_village_point_per_village_and_the_mix_of_hours():
    levels = Counter(t["level"] for t in TERMINALS)
    assert levels["city"] >= 1 and levels["county"] >= 12 and levels["township"] >= 66
    villages = [d for d in DIVISIONS.values() if d["level"] == "village"]
    assert sorted(t["division"] for t in TERMINALS if t["level"] == "village") == sorted(
        d["code"] for d in villages
    )
    always = sum(1 for t in TERMINALS if t["opening_hours"] == {"always": True})
    assert 0.10 <= always / len(TERMINALS) <= 0.20
    assert sum(1 for t in TERMINALS if t["matters"]) < len(TERMINALS) / 5  # most offer every kiosk matter


@pytest.mark.django_db
def test_every_terminals_opening_hours_pass_the_check():
    for hours in {json.dumps(t["opening_hours"], sort_keys=True) for t in TERMINALS}:
        check_hours(json.loads(hours))


def test_settlements_villages_and_communities_some_key_some_remote():
    assert 2_000 <= len(SETTLEMENTS) <= 3_000
    codes = [s["code"] for s in SETTLEMENTS]
    assert len(set(codes)) == len(codes)
    for s in SETTLEMENTS:
        assert DIVISIONS[s["division"]]["level"] in ("township", "county")
        assert s["name"].endswith(("村（样例）", "社区（样例）")) and s["is_sample"]
    key = sum(s["key_village"] for s in SETTLEMENTS) / len(SETTLEMENTS)
    assert 0.10 <= key <= 0.20
    assert not any(s["key_village"] for s in SETTLEMENTS if s["kind"] == "community")

    def mean(kind):
        people = [s["population"] for s in SETTLEMENTS if s["kind"] == kind]
        return sum(people) / len(people)

    assert mean("community") > 2 * mean("village")
    # Remote mountain villages: more than 3 km from any terminal, in 永嘉, 文成 or 泰顺.
    points = [(t["lat"], t["lng"]) for t in TERMINALS]
    remote = [
        s
        for s in SETTLEMENTS
        if s["division"][:6] in ("330324", "330328", "330329")
        and min(kiosk_sample.distance_m(s["lat"], s["lng"], a, b) for a, b in points) > 3_000
    ]
    assert len(remote) >= 20


# --- loading ----------------------------------------------------------------------------------


def kiosk_snapshot():
    return {
        "terminals": list(
            Terminal.objects.values_list("code", "name", "latitude", "opening_hours", "updated_at")
        ),
        "offered": sorted(Terminal.matters.through.objects.values_list("terminal_id", "matter_id")),
        "settlements": list(Settlement.objects.values_list("code", "population", "division_id")),
        "transactions": KioskTransaction.objects.count(),
    }


@pytest.mark.django_db
def test_loadsample_loads_the_kiosk_network_once_and_a_second_run_changes_nothing(settings):
    from eban.catalogue.models import Matter

    settings.EBAN_SAMPLE_KIOSK_TRANSACTIONS_PER_MONTH = 400
    report = load_sample(with_users=False)
    assert report.terminals_changed == Terminal.objects.filter(is_sample=True).count() == len(TERMINALS)
    assert report.settlements_changed == Settlement.objects.count() == len(SETTLEMENTS)
    assert report.transactions_created == KioskTransaction.objects.count() == 6 * 400
    kiosk_matters = set(Matter.objects.filter(live=True, channel_kiosk=True).values_list("code", flat=True))
    everything = Terminal.objects.get(code="WZ-330300-001")
    assert set(everything.matters.values_list("code", flat=True)) == kiosk_matters
    listed = next(t for t in TERMINALS if t["matters"])
    assert set(Terminal.objects.get(code=listed["code"]).matters.values_list("code", flat=True)) == set(
        listed["matters"]
    )
    # Transactions: at sample terminals, their division the terminal's, matters offered there.
    row = KioskTransaction.objects.filter(matter__isnull=False).select_related("terminal").first()
    assert row.division_id == row.terminal.division_id
    assert row.terminal.matters.filter(pk=row.matter_id).exists()
    busy = Counter(KioskTransaction.objects.values_list("terminal__level", flat=True))
    assert busy["city"] / 6 > busy["village"] / 203  # city centre terminals far busier than village points

    before = kiosk_snapshot()
    again = load_sample(with_users=False)
    assert (again.terminals_changed, again.terminal_matters_changed, again.settlements_changed) == (0, 0, 0)
    assert again.transactions_created == 0 and not again.changed
    assert kiosk_snapshot() == before


@pytest.mark.django_db
def test_loading_restores_an_edited_sample_terminal_and_its_matters():
    from eban.catalogue.models import Matter

    call_command("loadsample", "--no-users", stdout=StringIO())
    terminal = Terminal.objects.get(code="WZ-330300-001")
    Terminal.objects.filter(pk=terminal.pk).update(latitude=0.0, opening_hours={"always": True})
    terminal.matters.clear()
    changed, offered = load_terminals()
    assert changed == 1 and offered == Matter.objects.filter(channel_kiosk=True, live=True).count()
    terminal.refresh_from_db()
    assert terminal.latitude != 0.0 and terminal.opening_hours != {"always": True}


def write(tmp_path, name, key, rows):
    path = tmp_path / name
    path.write_text(json.dumps({"format": "x", key: rows}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        ({"lat": 95.0}, "out of range"),
        ({"division": "330399999"}, "unknown division"),
        ({"opening_hours": {"weekly": {"mon": [["09:00", "08:00"]]}}}, "opening hours"),
        ({"matters": ["NO-SUCH-MATTER"]}, "no live matter"),
        ({"hardware": ["id_reader", "teleporter"]}, "unknown hardware"),
    ],
)
def test_an_invalid_terminal_row_saves_nothing(tmp_path, change, message):
    from eban.demo.loading import load_divisions

    load_divisions()
    good = [dict(t) for t in TERMINALS[:3]]
    bad = {**TERMINALS[3], **change}
    with pytest.raises(SampleDataError, match=message):
        load_terminals(write(tmp_path, "terminals.json", "terminals", [*good, bad]))
    assert not Terminal.objects.exists()


@pytest.mark.django_db
def test_an_invalid_settlement_row_saves_nothing(tmp_path):
    from eban.demo.loading import load_divisions

    load_divisions()
    rows = [dict(s) for s in SETTLEMENTS[:3]] + [{**SETTLEMENTS[3], "population": -5}]
    with pytest.raises(SampleDataError, match="population"):
        load_settlements(write(tmp_path, "settlements.json", "settlements", rows))
    assert not Settlement.objects.exists()


@pytest.mark.django_db
def test_transactions_are_not_made_without_sample_terminals():
    assert load_transactions(per_month=100) == 0


@pytest.mark.django_db
def test_the_operator_demo_login_runs_the_kiosks_of_all_wenzhou():
    from eban.accounts.permissions import staff_scope
    from eban.kiosks.permissions import may_operate, terminals_for

    call_command("loadsample", stdout=StringIO())
    operator = get_user_model().objects.get(username="operator")
    assert may_operate(operator)
    assert staff_scope(operator).division_codes == ("330300",)
    assert terminals_for(operator).count() == len(TERMINALS)


@pytest.mark.django_db
def test_demo_prints_the_kiosk_pairing_link_and_the_finder():
    from eban.kiosks.pairing import terminal_of_link

    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "operator" in text and "eban-demo-operator" in text
    (link,) = re.findall(r"http://127\.0\.0\.1:\d+(/kiosk/pair/[^/\s]+/)", text)
    assert "15" in text  # says the link expires in 15 minutes
    assert terminal_of_link(link.rstrip("/").rsplit("/", 1)[-1]).code == "WZ-330300-001"
    assert re.search(r"http://127\.0\.0\.1:\d+/kiosks/", text)
