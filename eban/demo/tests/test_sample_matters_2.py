"""The second half of the sample catalogue (eban/demo/sample/matters-2.json) follows docs/matter-format.md.

Plain checks on the JSON file, no database: every matter carries a complete guide with valid codes.
"""

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from eban.catalogue.reference import LIFE_EVENTS, THEMES

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "matters-2.json"

COUNTIES = [
    "330302", "330303", "330304", "330305", "330324", "330326",
    "330327", "330328", "330329", "330381", "330382", "330383",
]  # fmt: skip
CITY_DEPARTMENTS = [
    "GA", "RS", "YB", "MZ", "ZJ", "WJ", "SJ", "SWJ", "GJJ", "DSJ",
    "ZRZY", "JY", "JT", "SF", "SMK", "CZ", "QW", "TJ", "CL",
]  # fmt: skip
DEPARTMENTS = {f"330300-{d}" for d in CITY_DEPARTMENTS} | {
    f"{county}-{d}" for county in COUNTIES for d in ("GA", "RS", "MZ", "YB", "SJ")
}
DIVISIONS = {"330000", "330300", *COUNTIES}
# sample-1 numbers these departments 0001-0099; sample-2 uses 0100 and up there.
SHARED_DEPARTMENTS = {"GA", "RS", "YB", "MZ", "WJ", "TJ", "CL", "QW"}

THEME_CODES = {code for code, _name, _en in THEMES}
LIFE_EVENT_CODES = {code for code, _name, _en, _audience in LIFE_EVENTS}
CATEGORIES = {"approval", "certificate", "self_payment", "public_payment"}
AUDIENCES = {"person", "enterprise", "both"}
CHANNELS = {"kiosk", "online", "window", "overseas"}
FORMS = {"original", "copy", "electronic"}
SOURCES = {"applicant", "shared"}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
SAMPLE_CODE_RE = re.compile(r"^(?P<department>\d{6}-[A-Z]+)-(?P<number>\d{4})$")
FIELDS = [
    "code", "name", "name_en", "short_name", "aliases", "keywords", "summary", "category", "themes",
    "audience", "life_events", "department", "divisions", "channels", "trips", "on_the_spot",
    "statutory_days", "promised_days", "fee", "legal_basis", "conditions", "materials", "process",
    "place", "hours", "consult_phone", "complaint_phone", "faq", "is_sample",
]  # fmt: skip
PHONE_RE = re.compile(r"^(0577-)?\d{5,8}$")


def load():
    with SAMPLE.open(encoding="utf-8") as f:
        return json.load(f)


DATA = load()
MATTERS = DATA["matters"]


def each():
    return pytest.mark.parametrize("matter", MATTERS, ids=[m["code"] for m in MATTERS])


def nonempty_strings(values):
    return isinstance(values, list) and all(isinstance(v, str) and v.strip() for v in values)


def test_file_declares_the_interchange_format():
    assert DATA["format"] == "eban.matters/1"


def test_file_holds_at_least_63_matters():
    assert len(MATTERS) >= 63


def test_codes_are_unique():
    duplicates = [code for code, n in Counter(m["code"] for m in MATTERS).items() if n > 1]
    assert duplicates == []


def test_names_are_unique():
    duplicates = [name for name, n in Counter(m["name"] for m in MATTERS).items() if n > 1]
    assert duplicates == []


@each()
def test_matter_has_every_field_in_the_documented_order(matter):
    assert list(matter) == FIELDS


@each()
def test_code_is_department_plus_running_number(matter):
    assert CODE_RE.match(matter["code"])
    parts = SAMPLE_CODE_RE.match(matter["code"])
    assert parts, matter["code"]
    assert parts["department"] == matter["department"]
    if matter["department"].split("-")[1] in SHARED_DEPARTMENTS:
        assert int(parts["number"]) >= 100, "sample-1 owns 0001-0099 of this department"


@each()
def test_names_and_texts_are_filled_in(matter):
    assert 0 < len(matter["name"]) <= 200
    for field in ("name_en", "short_name", "summary", "place", "hours"):
        assert matter[field].strip(), field
    assert matter["is_sample"] is True


@each()
def test_category_audience_and_channels_are_valid(matter):
    assert matter["category"] in CATEGORIES
    assert matter["audience"] in AUDIENCES
    assert matter["channels"] and set(matter["channels"]) <= CHANNELS
    assert len(set(matter["channels"])) == len(matter["channels"])


@each()
def test_themes_and_life_events_come_from_the_reference_lists(matter):
    assert matter["themes"] and set(matter["themes"]) <= THEME_CODES
    assert set(matter["life_events"]) <= LIFE_EVENT_CODES


@each()
def test_department_and_divisions_exist_in_the_sample_government(matter):
    assert matter["department"] in DEPARTMENTS
    assert set(matter["divisions"]) <= DIVISIONS
    department_division = matter["department"].split("-")[0]
    if department_division != "330300":
        assert matter["divisions"] == [department_division]


@each()
def test_trips_are_between_0_and_9(matter):
    assert isinstance(matter["trips"], int) and 0 <= matter["trips"] <= 9


@each()
def test_time_limits_are_on_the_spot_or_promised_within_the_statutory_limit(matter):
    promised, statutory = matter["promised_days"], matter["statutory_days"]
    assert isinstance(matter["on_the_spot"], bool)
    if not matter["on_the_spot"]:
        assert isinstance(promised, int) and promised >= 0
    for days in (promised, statutory):
        assert days is None or (isinstance(days, int) and days >= 0)
    if promised is not None and statutory is not None:
        assert statutory >= promised


@each()
def test_fee_is_free_without_amount_or_an_amount_with_its_basis(matter):
    fee = matter["fee"]
    assert set(fee) == {"free", "amount", "basis"}
    if fee["free"]:
        assert fee["amount"] is None
    else:
        amount = Decimal(fee["amount"])
        assert amount >= 0 and amount.as_tuple().exponent == -2
        assert fee["basis"].strip()


@each()
def test_lists_of_strings_hold_no_empty_entries(matter):
    for field in ("aliases", "keywords", "conditions"):
        assert nonempty_strings(matter[field]), field
    assert matter["aliases"] and matter["keywords"] and matter["conditions"]


@each()
def test_legal_basis_names_a_law_or_regulation(matter):
    assert matter["legal_basis"]
    for item in matter["legal_basis"]:
        assert set(item) == {"title", "article"}
        assert item["title"].startswith("《") and "》" in item["title"]
        assert len(item["title"]) <= 200


@each()
def test_materials_are_complete(matter):
    assert matter["materials"]
    for item in matter["materials"]:
        assert set(item) == {"name", "form", "copies", "required", "source", "note"}
        assert item["name"].strip() and len(item["name"]) <= 200
        assert item["form"] in FORMS
        assert item["source"] in SOURCES
        assert isinstance(item["copies"], int) and 0 <= item["copies"] <= 99
        assert isinstance(item["required"], bool)
        assert len(item["note"]) <= 500


@each()
def test_process_has_titled_steps(matter):
    assert len(matter["process"]) >= 2
    for step in matter["process"]:
        assert set(step) == {"title", "description"}
        assert step["title"].strip() and len(step["title"]) <= 100
        assert step["description"].strip()


@each()
def test_faq_has_one_to_three_answered_questions(matter):
    assert 1 <= len(matter["faq"]) <= 3
    for qa in matter["faq"]:
        assert set(qa) == {"question", "answer"}
        assert qa["question"].strip() and len(qa["question"]) <= 300
        assert qa["answer"].strip()


@each()
def test_phones_are_hotlines_or_wenzhou_numbers(matter):
    assert PHONE_RE.match(matter["consult_phone"])
    assert PHONE_RE.match(matter["complaint_phone"])


@each()
def test_payment_matters_sit_in_the_payment_theme(matter):
    if matter["category"] in {"self_payment", "public_payment"}:
        assert "payment" in matter["themes"]


def test_at_least_eight_matters_in_each_payment_category():
    counts = Counter(m["category"] for m in MATTERS)
    assert counts["self_payment"] >= 8
    assert counts["public_payment"] >= 8


def test_every_category_is_used():
    assert {m["category"] for m in MATTERS} == CATEGORIES


def test_required_themes_are_covered():
    used = {t for m in MATTERS for t in m["themes"]}
    required = {
        "housing", "housing_fund", "citizen_card", "payment", "enterprise",
        "tax", "education", "traffic", "public_service", "employment",
    }  # fmt: skip
    assert required <= used


def test_business_life_events_are_covered():
    used = {e for m in MATTERS for e in m["life_events"]}
    assert {
        "birth",
        "schooling",
        "employment",
        "home",
        "start_business",
        "run_business",
        "close_business",
    } <= used


@pytest.mark.parametrize(
    "name",
    ["市民卡挂失", "营业执照", "住房公积金提取", "不动产登记", "公积金缴存证明", "不动产登记资料查询"],
)
def test_the_named_matters_of_the_issue_are_present(name):
    texts = [" ".join([m["name"], m["short_name"], *m["aliases"]]) for m in MATTERS]
    assert any(name in text for text in texts)


def test_shared_materials_exist_so_applicants_can_bring_nothing():
    shared_only = [
        m["code"]
        for m in MATTERS
        if all(item["source"] == "shared" or not item["required"] for item in m["materials"])
    ]
    assert len(shared_only) >= 5


def test_codes_and_names_do_not_collide_with_the_other_sample_files():
    others = [p for p in SAMPLE.parent.glob("matters-*.json") if p != SAMPLE]
    other_matters = [m for p in others for m in json.loads(p.read_text(encoding="utf-8"))["matters"]]
    assert {m["code"] for m in MATTERS}.isdisjoint(m["code"] for m in other_matters)
    assert {m["name"] for m in MATTERS}.isdisjoint(m["name"] for m in other_matters)
