"""Evaluating a rule for one applicant: the decision and its explanation, condition by condition."""

import datetime

import pytest
from django.utils import translation

from eban.rules.evaluate import Evaluation, evaluate, passes
from eban.rules.language import RuleError
from eban.rules.samples import SENIOR_CARD_MATTER, SENIOR_CARD_RULE, SENIOR_CARD_TYPE
from eban.rules.variables import age_on, latest_birth_at_age

# The sample's first two conditions (age, household): how a rule is evaluated.
AGE_AND_HOUSEHOLD = {**SENIOR_CARD_RULE, "conditions": SENIOR_CARD_RULE["conditions"][:2]}
WENZHOU_62 = {"applicant.age": 62, "applicant.household_division": "330302"}
NOTHING_YET = {"applicant.valid_certificates": [], "applicant.open_applications": []}


def test_a_62_year_old_from_lucheng_qualifies():
    result = evaluate(AGE_AND_HOUSEHOLD, WENZHOU_62)
    assert result.passed
    assert [c.passed for c in result.conditions] == [True, True]
    assert result.failed == []


def test_a_59_year_old_fails_the_age_condition_only_with_the_advice():
    with translation.override("en"):
        result = evaluate(AGE_AND_HOUSEHOLD, {**WENZHOU_62, "applicant.age": 59})
        assert not result.passed
        (failed,) = result.failed
        assert failed.key == "age" and failed.label == "Aged 60 or over"
        assert failed.advice == "You can apply for the senior citizen card from your 60th birthday."
        assert failed.values == {"applicant.age": 59}
        assert failed.reason == ""
        assert failed.read() == [("Age", "59")]


def test_the_explanation_follows_the_active_language():
    result = evaluate(AGE_AND_HOUSEHOLD, {**WENZHOU_62, "applicant.age": 59})
    with translation.override("zh-hans"):
        assert result.failed[0].label == "年满60周岁"
    with translation.override("en"):
        assert result.failed[0].label == "Aged 60 or over"


def test_a_passed_condition_gives_no_advice():
    result = evaluate(AGE_AND_HOUSEHOLD, WENZHOU_62)
    assert all(c.advice == "" for c in result.conditions)


def test_a_missing_fact_fails_its_condition_with_a_reason_never_an_exception():
    with translation.override("en"):
        result = evaluate(AGE_AND_HOUSEHOLD, {"applicant.age": 62})
        assert not result.passed
        (failed,) = result.failed
        assert failed.key == "household"
        assert failed.reason == "no household registration on record"
        assert failed.missing == ["applicant.household_division"]
        assert failed.values == {"applicant.household_division": None}


def test_an_unreadable_fact_counts_as_missing():
    result = evaluate(
        AGE_AND_HOUSEHOLD, {"applicant.age": "sixty-two", "applicant.household_division": 330302}
    )
    assert [c.missing for c in result.conditions] == [["applicant.age"], ["applicant.household_division"]]


def test_a_missing_fact_fails_the_condition_even_under_not():
    rule = {
        "conditions": [
            {"key": "not-wz", "check": {"!": {"startsWith": [{"var": "applicant.household_division"}, "3303"]}},
             "label": {"zh-hans": "非温州户籍"}}
        ]
    }  # fmt: skip
    assert not evaluate(rule, {}).passed
    assert evaluate(rule, {"applicant.household_division": "330102"}).passed


def test_nested_facts_are_read_too():
    assert evaluate(AGE_AND_HOUSEHOLD, {"applicant": {"age": 70, "household_division": "330381"}}).passed


def test_any_passes_when_one_condition_passes():
    rule = {**AGE_AND_HOUSEHOLD, "combine": "any"}
    assert evaluate(rule, {"applicant.age": 61, "applicant.household_division": "110101"}).passed
    assert not evaluate(rule, {"applicant.age": 50}).passed


def test_to_json_keeps_both_languages_and_reads_back():
    result = evaluate(AGE_AND_HOUSEHOLD, {"applicant.age": 59})
    data = result.to_json()
    first, second = data["conditions"]
    assert first["label"] == {"zh-hans": "年满60周岁", "en": "Aged 60 or over"}
    assert first["values"] == {"applicant.age": 59}
    assert set(second["reason"]) == {"zh-hans", "en"}
    assert second["reason"]["en"] == "no household registration on record"
    again = Evaluation.from_json(data)
    assert again.passed is False and [c.key for c in again.failed] == ["age", "household"]
    with translation.override("en"):
        assert again.failed[0].label == "Aged 60 or over" and again.failed[1].reason.startswith(
            "no household"
        )


def test_to_json_is_plain_json():
    import json

    rule = {
        "conditions": [
            {"key": "founded", "check": {"<": [{"var": "enterprise.founded_on"}, "2020-01-01"]},
             "label": {"zh-hans": "2020年前成立"}},
            {"key": "capital", "check": {">=": [{"var": "enterprise.registered_capital"}, 100.5]},
             "label": {"zh-hans": "注册资本"}},
            {"key": "tags", "check": {"in": ["高新技术企业", {"var": "enterprise.tags"}]}, "label": {"zh-hans": "高新"}},
        ]
    }  # fmt: skip
    facts = {
        "enterprise.founded_on": datetime.date(2019, 5, 1),
        "enterprise.registered_capital": "100.50",
        "enterprise.tags": ["高新技术企业"],
    }
    result = evaluate(rule, facts)
    assert result.passed
    text = json.dumps(result.to_json(), ensure_ascii=False)
    assert '"2019-05-01"' in text and '"100.50"' in text and '["高新技术企业"]' in text


def test_passes_agrees_with_evaluate():
    for facts in [WENZHOU_62, {"applicant.age": 59}, {}, {"applicant.household_division": "3303"}]:
        assert passes(AGE_AND_HOUSEHOLD, facts) == evaluate(AGE_AND_HOUSEHOLD, facts).passed


def test_an_invalid_rule_raises_rule_error():
    with pytest.raises(RuleError):
        evaluate({"conditions": []}, {})


@pytest.mark.parametrize(
    "birth, on, age",
    [
        (datetime.date(1964, 2, 29), datetime.date(2024, 2, 28), 59),
        (datetime.date(1964, 2, 29), datetime.date(2024, 2, 29), 60),
        (datetime.date(1964, 2, 29), datetime.date(2025, 2, 28), 60),
        (datetime.date(1963, 2, 28), datetime.date(2023, 2, 28), 60),
        (datetime.date(1965, 2, 28), datetime.date(2025, 2, 28), 60),
        (datetime.date(1964, 3, 1), datetime.date(2024, 2, 29), 59),
    ],
)
def test_age_in_completed_years(birth, on, age):
    assert age_on(birth, on) == age


def test_someone_born_on_29_february_turns_a_year_older_on_1_march_in_common_years():
    born = datetime.date(1964, 2, 29)
    assert age_on(born, datetime.date(2025, 2, 28)) == 60
    assert age_on(born, datetime.date(2025, 3, 1)) == 61


def test_the_last_birth_date_at_an_age_is_the_same_day_or_28_february():
    assert latest_birth_at_age(60, datetime.date(2024, 6, 15)) == datetime.date(1964, 6, 15)
    assert latest_birth_at_age(61, datetime.date(2024, 2, 29)) == datetime.date(1963, 2, 28)
    assert latest_birth_at_age(60, datetime.date(2024, 2, 29)) == datetime.date(1964, 2, 29)


def test_the_sample_refuses_a_second_card_and_a_second_application():
    assert evaluate(SENIOR_CARD_RULE, {**WENZHOU_62, **NOTHING_YET}).passed
    with translation.override("en"):
        held = evaluate(
            SENIOR_CARD_RULE,
            {**WENZHOU_62, **NOTHING_YET, "applicant.valid_certificates": [SENIOR_CARD_TYPE]},
        )
        (failed,) = held.failed
        assert (
            failed.key == "no-card-yet" and failed.label == "Holds no valid senior citizen card of the city"
        )
        open_case = evaluate(
            SENIOR_CARD_RULE,
            {**WENZHOU_62, **NOTHING_YET, "applicant.open_applications": [SENIOR_CARD_MATTER]},
        )
        assert [c.key for c in open_case.failed] == ["no-open-application"]
    other = {
        **WENZHOU_62,
        "applicant.valid_certificates": ["household_registration_certificate"],
        "applicant.open_applications": ["330300-GA-0001"],
    }
    assert evaluate(SENIOR_CARD_RULE, other).passed


def test_what_the_applicant_holds_unknown_fails_the_sample_never_grants():
    result = evaluate(SENIOR_CARD_RULE, WENZHOU_62)
    assert not result.passed
    assert {c.key for c in result.failed} == {"no-card-yet", "no-open-application"}
