"""The sample data files: divisions, departments and matters part 1 (docs/matter-format.md)."""

import json
import re
from pathlib import Path

import pytest

from eban.catalogue.interchange import import_matters
from eban.catalogue.reference import LIFE_EVENTS, THEMES
from eban.demo.loading import SAMPLE_DIR, load_departments, load_divisions

COUNTIES = {
    "330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区", "330305": "洞头区",
    "330324": "永嘉县", "330326": "平阳县", "330327": "苍南县", "330328": "文成县",
    "330329": "泰顺县", "330381": "瑞安市", "330382": "乐清市", "330383": "龙港市",
}  # fmt: skip
CITY_DEPARTMENTS = [
    "GA", "RS", "YB", "MZ", "ZJ", "WJ", "SJ", "SWJ", "GJJ", "DSJ",
    "ZRZY", "JY", "JT", "SF", "SMK", "CZ", "QW", "TJ", "CL",
]  # fmt: skip
CODE_LENGTH = {"province": 6, "city": 6, "county": 6, "township": 9, "village": 12}


def read(name):
    return json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8"))


DIVISIONS = read("divisions.json")["divisions"]
DEPARTMENTS = read("departments.json")["departments"]
MATTERS = read("matters-1.json")["matters"]


def test_divisions_hold_wenzhou_and_its_twelve_counties_with_official_codes():
    counties = {d["code"]: d["name"] for d in DIVISIONS if d["level"] == "county"}
    assert counties == COUNTIES
    assert all(d["parent"] == "330300" for d in DIVISIONS if d["level"] == "county")


def test_every_division_code_extends_its_parent_and_has_its_levels_length():
    by_code = {}
    for d in DIVISIONS:
        assert len(d["code"]) == CODE_LENGTH[d["level"]], d
        if d["parent"]:
            assert d["parent"] in by_code, f"{d['code']} comes before its parent"
            if d["level"] in ("township", "village"):
                assert d["code"].startswith(d["parent"][:6]), d
        by_code[d["code"]] = d


def test_each_county_with_townships_has_three_to_six_and_only_made_up_codes_are_sample():
    for code in COUNTIES:
        towns = [d for d in DIVISIONS if d["parent"] == code and d["level"] == "township"]
        if code != "330383":  # 龙港市 has no township level: communities hang under the city
            assert 3 <= len(towns) <= 6, code
    for d in DIVISIONS:
        assert d["is_sample"] == (d["level"] in ("township", "village")), d["code"]
        assert d["name_en"], d["code"]


def test_departments_are_exactly_the_agreed_list():
    expected = {f"330300-{a}" for a in CITY_DEPARTMENTS} | {
        f"{county}-{a}" for county in COUNTIES for a in ("GA", "RS", "MZ", "YB", "SJ")
    }
    assert {d["code"] for d in DEPARTMENTS} == expected
    assert len(DEPARTMENTS) == len(expected)


def test_departments_have_english_names_and_sample_phones():
    for d in DEPARTMENTS:
        assert d["name_en"] and d["is_sample"], d["code"]
        assert re.fullmatch(r"0577-\d{8}", d["phone"]), d["phone"]
        assert "样例" in d["address"]


def test_matters_part_one_has_at_least_62_complete_sample_guides():
    assert len(MATTERS) >= 62
    for m in MATTERS:
        assert m["is_sample"] is True
        assert m["name_en"] and m["summary"] and m["aliases"] and m["keywords"], m["code"]
        assert m["conditions"] and m["materials"] and m["process"] and m["legal_basis"], m["code"]
        assert m["place"] and m["hours"] and m["consult_phone"] and m["complaint_phone"], m["code"]
        assert 1 <= len(m["faq"]) <= 3, m["code"]
        assert all(law["title"].startswith("《") for law in m["legal_basis"]), m["code"]
        for material in m["materials"]:
            assert material["form"] in ("original", "copy", "electronic")
            assert material["source"] in ("applicant", "shared")
            assert 0 <= material["copies"] <= 99


def test_matters_part_one_codes_are_unique_and_numbered_below_0100():
    codes = [m["code"] for m in MATTERS]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"330300-[A-Z]+-00\d\d", code), code


def test_senior_citizen_card_is_there_with_the_aliases_people_use():
    (card,) = [m for m in MATTERS if m["code"] == "330300-MZ-0001"]
    assert card["name"] == "老年人优待证办理"
    assert {"老年证", "老人优待证", "敬老卡"} <= set(card["aliases"])


@pytest.mark.parametrize(
    "name, alias",
    [
        ("往来港澳通行证再次签注", "港澳通行证续签"),
        ("往来港澳通行证再次签注", "港澳签注"),
        ("机动车交通违法处理", "违章处理"),
        ("机动车交通违法处理", "交通违法处理"),
        ("社会保障卡挂失与补换", "社保卡丢了"),
    ],
)
def test_well_known_matters_carry_the_words_people_say(name, alias):
    (matter,) = [m for m in MATTERS if m["name"] == name]
    assert alias in matter["aliases"]


def test_matters_part_one_covers_the_required_themes_and_categories():
    themes = {t for m in MATTERS for t in m["themes"]}
    required = {
        "social_security", "household", "exit_entry", "vehicles", "health",
        "civil_affairs", "public_service", "traffic", "employment",
    }  # fmt: skip
    assert required <= themes
    assert themes <= {code for code, _name, _en in THEMES}
    assert {e for m in MATTERS for e in m["life_events"]} <= {code for code, *_ in LIFE_EVENTS}
    categories = {m["category"] for m in MATTERS}
    assert {"approval", "certificate", "self_payment"} <= categories


def test_fees_with_an_amount_name_their_basis():
    passport = next(m for m in MATTERS if m["name"] == "普通护照申领")
    assert passport["fee"] == {"free": False, "amount": "120.00", "basis": passport["fee"]["basis"]}
    for m in MATTERS:
        fee = m["fee"]
        assert fee["free"] == (fee["amount"] is None), m["code"]
        assert fee["free"] or fee["basis"], m["code"]


@pytest.mark.django_db
def test_matters_part_one_passes_the_catalogue_importer():
    load_divisions()
    load_departments()
    data = json.loads(Path(SAMPLE_DIR / "matters-1.json").read_text(encoding="utf-8"))
    report = import_matters(data, dry_run=True)
    assert report.ok
    assert len(report.created) == len(MATTERS)
