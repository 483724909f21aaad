"""The rule language: strict validation naming the place of each problem, the fields a rule reads,
the readable rendering."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from eban.rules import language
from eban.rules.language import RuleError
from eban.rules.samples import SENIOR_CARD_RULE

LABEL = {"zh-hans": "条件", "en": "Condition"}


def doc(*checks, combine=None):
    document = {"conditions": [{"key": f"c{i}", "check": c, "label": LABEL} for i, c in enumerate(checks)]}
    if combine:
        document["combine"] = combine
    return document


def problems(document):
    with translation.override("en"):
        return language.problems(document)


def only_problem(document):
    found = problems(document)
    assert len(found) == 1, found
    return f"{found[0][0]}: {found[0][1]}"


AGE = {"var": "applicant.age"}
DIVISION = {"var": "applicant.household_division"}


def test_the_sample_senior_card_rule_is_valid():
    assert problems(SENIOR_CARD_RULE) == []


def test_fields_lists_the_variables_a_rule_reads_sorted():
    rule = doc(
        {"and": [{">=": [AGE, 60]}, {"!": {"var": "applicant.abroad"}}]}, {"startsWith": [DIVISION, "3303"]}
    )
    assert language.fields(rule) == ["applicant.abroad", "applicant.age", "applicant.household_division"]


def test_an_unknown_operator_is_named_with_its_place_and_a_hint():
    rule = doc({">=": [AGE, 60]}, {"gte": [AGE, 60]})
    assert only_problem(rule) == "conditions[1].check: unknown operator 'gte' (did you mean '>='?)"


def test_an_unknown_variable_is_named_with_a_suggestion():
    message = only_problem(doc({">=": [{"var": "applicant.agee"}, 60]}))
    assert message == (
        "conditions[0].check.>=[0].var: unknown variable 'applicant.agee' (did you mean 'applicant.age'?)"
    )


def test_a_wrong_number_of_arguments_is_refused():
    assert only_problem(doc({">=": [AGE]})) == "conditions[0].check.>=: takes 2 arguments, not 1"
    assert "takes 2 or 3 arguments" in only_problem(doc({"<=": [AGE, 1, 2, 3]}))
    assert only_problem(doc({"not": [True, False]})) == "conditions[0].check.not: takes one check"
    assert "one check or more" in only_problem(doc({"and": []}))


def test_a_literal_of_the_wrong_type_is_refused():
    assert only_problem(doc({">=": [AGE, "60"]})) == (
        "conditions[0].check.>=[1]: 'applicant.age' is a number: \"60\" is not"
    )
    assert "'applicant.abroad' is a yes or no: 1 is not" in only_problem(
        doc({"==": [{"var": "applicant.abroad"}, 1]})
    )


def test_ordering_is_for_numbers_and_dates_only():
    message = only_problem(doc({"<": [DIVISION, "3303"]}))
    assert message == (
        "conditions[0].check.<: '<' compares numbers or dates, and 'applicant.household_division' is a text"
    )


def test_a_choice_outside_the_variables_choices_is_refused():
    message = only_problem(doc({"==": [{"var": "applicant.sex"}, "M"]}))
    assert message == "conditions[0].check.==[1]: 'applicant.sex' is one of male, female, not \"M\""


def test_an_age_out_of_range_is_refused():
    assert "out of range" in only_problem(doc({">=": [AGE, 200]}))
    assert "out of range" in only_problem(doc({">=": [AGE, -1]}))


def test_dates_are_written_iso_and_compared_with_date_variables():
    founded = {"var": "enterprise.founded_on"}
    rule = language.parse(doc({"<": [founded, "2020-01-01"]}))
    assert rule.conditions[0].check.right.value == datetime.date(2020, 1, 1)
    assert "YYYY-MM-DD" in only_problem(doc({"<": [founded, "2020/01/01"]}))
    assert "YYYY-MM-DD" in only_problem(doc({"<": [founded, "2023-02-29"]}))


def test_two_constants_cannot_be_compared():
    assert "one side must be a variable" in only_problem(doc({"==": [1, 1]}))


def test_a_number_variable_is_not_a_check_on_its_own():
    assert "not a yes-or-no check" in only_problem(doc(AGE))


def test_a_yes_or_no_variable_is_a_check_on_its_own():
    rule = language.parse(doc({"var": "applicant.abroad"}))
    assert isinstance(rule.conditions[0].check, language.Truth)


def test_in_takes_a_variable_and_a_list_or_a_name_and_a_set_variable():
    language.parse(doc({"in": [{"var": "applicant.sex"}, ["male"]]}))
    language.parse(doc({"in": ["高新技术企业", {"var": "enterprise.tags"}]}))
    assert "a list of literal values" in only_problem(doc({"in": [{"var": "applicant.sex"}, "male"]}))
    assert "not a set" in only_problem(doc({"in": ["male", {"var": "applicant.sex"}]}))
    assert "only literal values" in only_problem(doc({"in": [AGE, [AGE]]}))


def test_starts_with_needs_a_text_variable_and_a_prefix():
    assert "a text variable" in only_problem(doc({"startsWith": [AGE, "6"]}))
    assert "non-empty" in only_problem(doc({"startsWith": [DIVISION, ""]}))


def test_three_argument_less_than_reads_as_between():
    rule = language.parse(doc({"<=": [18, AGE, 60]}))
    check = rule.conditions[0].check
    assert isinstance(check, language.And) and len(check.items) == 2


def test_jsonlogic_spellings_are_accepted():
    rule = language.parse(
        doc({"===": [{"var": "applicant.sex"}, "male"]}, {"!": [{"var": "applicant.abroad"}]})
    )
    assert rule.conditions[0].check.op == "=="
    assert isinstance(rule.conditions[1].check, language.Not)


def test_every_problem_of_a_document_is_reported():
    found = problems(
        {
            "combine": "most",
            "extra": 1,
            "conditions": [
                {"key": "Age!", "check": {">=": [AGE, 60]}, "label": {"en": "no Chinese"}},
                {"key": "b", "check": {"gte": [AGE, 60]}, "label": LABEL},
            ],
        }
    )
    places = [place for place, _message in found]
    assert places == [
        "document",
        "combine",
        "conditions[0].key",
        "conditions[0].label",
        "conditions[1].check",
    ]


def test_keys_are_unique():
    rule = {
        "conditions": [
            {"key": "a", "check": True, "label": LABEL},
            {"key": "a", "check": False, "label": LABEL},
        ]
    }
    assert only_problem(rule) == "conditions[1].key: 'a' is used twice"


def test_labels_need_the_default_language_and_known_languages_only():
    rule = {"conditions": [{"key": "a", "check": True, "label": {"zh-hans": "是", "fr": "oui"}}]}
    assert only_problem(rule) == "conditions[0].label: unknown language 'fr'"


def test_the_error_is_a_domain_error_whose_message_names_the_place():
    with translation.override("en"), pytest.raises(RuleError) as caught:
        language.parse(doc({"gte": [AGE, 60]}))
    assert caught.value.message.startswith("conditions[0].check: unknown operator 'gte'")
    assert caught.value.problems[0][0] == "conditions[0].check"


def test_json_syntax_errors_give_line_and_column():
    with translation.override("en"), pytest.raises(RuleError) as caught:
        language.loads('{"conditions": [\n  {"key": "a",}\n]}')
    assert caught.value.problems[0][0] == "line 2, column 15"


def test_nesting_is_limited():
    check = True
    for _ in range(30):
        check = {"not": check}
    assert "nested too deeply" in only_problem(doc(check))


def test_numbers_become_decimals_exactly():
    rule = language.parse(doc({">=": [{"var": "enterprise.registered_capital"}, 0.1]}))
    assert rule.conditions[0].check.right.value == Decimal("0.1")


def test_describe_renders_a_check_in_words():
    rule = language.parse(
        doc(
            {
                "and": [
                    {"<=": [60, AGE]},
                    {
                        "or": [
                            {"startsWith": [DIVISION, "3303"]},
                            {"in": [{"var": "applicant.sex"}, ["female"]]},
                        ]
                    },
                    {"not": {"var": "applicant.abroad"}},
                ]
            }
        )
    )
    with translation.override("en"):
        text = language.describe(rule.conditions[0].check)
    assert text == (
        "Age ≥ 60 and (Household registration (division code) starts with “3303” or Sex is one of Female)"
        " and not (Lives abroad)"
    )


def test_pick_falls_back_to_the_default_language():
    assert language.pick({"zh-hans": "年满60周岁"}, "en") == "年满60周岁"
    assert language.pick({"zh-hans": "年满60周岁", "en": "Aged 60"}, "en") == "Aged 60"
