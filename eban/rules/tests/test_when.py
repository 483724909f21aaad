"""When a failing rule will pass: the first birthday at which it holds, or never.

Every answer is also checked against a day-by-day walk of the calendar (the brute force the
module avoids), over many dates of birth, leap days included."""

import datetime

import pytest

from eban.rules.evaluate import passes
from eban.rules.samples import SENIOR_CARD_RULE
from eban.rules.when import birthday, candidate_days, facts_on, first_passing_day

D = datetime.date
AGE = "applicant.age"
# A Wenzhou household, holding no certificate and with no case open (the senior card's other conditions).
WZ = {
    "applicant.household_division": "330302",
    "applicant.valid_certificates": [],
    "applicant.open_applications": [],
}


def age_rule(check, combine="all", extra=()):
    conditions = [{"key": "age", "check": check, "label": {"zh-hans": "年龄", "en": "Age"}}, *extra]
    return {"combine": combine, "conditions": conditions}


def when(rule, birth, today, facts=WZ):
    return first_passing_day(rule, dict(facts), today=today, births={AGE: birth})


def brute_force(rule, birth, today, facts=WZ, days=3 * 366):
    """The first day in the next `days` on which the rule passes, walking one day at a time."""
    for n in range(days + 1):
        day = today + datetime.timedelta(days=n)
        if passes(rule, facts_on(dict(facts), day, {AGE: birth})):
            return day
    return None


# --- birthdays ---------------------------------------------------------------------------------


def test_a_birthday_is_the_same_day_and_month():
    assert birthday(D(1967, 11, 8), 60) == D(2027, 11, 8)


def test_born_on_29_february_the_birthday_is_1_march_in_a_common_year():
    assert birthday(D(1964, 2, 29), 61) == D(2025, 3, 1)


def test_born_on_29_february_the_birthday_is_29_february_in_a_leap_year():
    assert birthday(D(1964, 2, 29), 60) == D(2024, 2, 29)


# --- the senior card ---------------------------------------------------------------------------


def test_the_59_year_old_neighbour_qualifies_on_her_60th_birthday():
    assert when(SENIOR_CARD_RULE, D(1967, 11, 8), D(2026, 12, 7)) == D(2027, 11, 8)


def test_someone_who_qualifies_today_is_told_today():
    assert when(SENIOR_CARD_RULE, D(1964, 3, 15), D(2026, 12, 7)) == D(2026, 12, 7)


def test_on_the_eve_of_the_60th_birthday_the_answer_is_tomorrow():
    assert when(SENIOR_CARD_RULE, D(1966, 12, 8), D(2026, 12, 7)) == D(2026, 12, 8)


def test_on_the_60th_birthday_the_answer_is_today():
    assert when(SENIOR_CARD_RULE, D(1966, 12, 7), D(2026, 12, 7)) == D(2026, 12, 7)


def test_born_29_february_1968_turns_60_on_29_february_2028_a_leap_year():
    assert when(SENIOR_CARD_RULE, D(1968, 2, 29), D(2027, 6, 1)) == D(2028, 2, 29)


def test_born_29_february_turns_61_on_1_march_in_a_common_year():
    rule = age_rule({">=": [{"var": AGE}, 61]})
    assert when(rule, D(1964, 2, 29), D(2024, 12, 1)) == D(2025, 3, 1)
    assert when(rule, D(1964, 2, 29), D(2025, 2, 28)) == D(2025, 3, 1)
    assert when(rule, D(1964, 2, 29), D(2025, 3, 1)) == D(2025, 3, 1)


def test_a_failing_household_condition_never_passes_whatever_the_age():
    outside = {"applicant.household_division": "110101"}
    assert when(SENIOR_CARD_RULE, D(1967, 11, 8), D(2026, 12, 7), facts=outside) is None


def test_an_unknown_date_of_birth_never_passes():
    assert first_passing_day(SENIOR_CARD_RULE, dict(WZ), today=D(2026, 12, 7), births={AGE: None}) is None
    assert first_passing_day(SENIOR_CARD_RULE, dict(WZ), today=D(2026, 12, 7)) is None


# --- rules that never pass, or stop passing ----------------------------------------------------


def test_an_upper_age_bound_already_passed_never_passes_again():
    rule = age_rule({"<": [{"var": AGE}, 35]})
    assert when(rule, D(1980, 1, 1), D(2026, 12, 7)) is None


def test_a_fractional_equality_never_passes():
    rule = age_rule({"==": [{"var": AGE}, 59.5]})
    assert when(rule, D(1967, 11, 8), D(2026, 12, 7)) is None


def test_a_contradiction_never_passes():
    rule = age_rule({"and": [{">=": [{"var": AGE}, 60]}, {"<": [{"var": AGE}, 60]}]})
    assert when(rule, D(1967, 11, 8), D(2026, 12, 7)) is None


def test_a_window_not_yet_open_passes_when_it_opens():
    rule = age_rule({"<=": [16, {"var": AGE}, 18]})
    assert when(rule, D(2012, 5, 20), D(2026, 12, 7)) == D(2028, 5, 20)


def test_equality_with_a_whole_age_passes_on_that_birthday():
    rule = age_rule({"==": [{"var": AGE}, 65]})
    assert when(rule, D(1963, 1, 31), D(2026, 12, 7)) == D(2028, 1, 31)


def test_an_age_in_a_list_passes_at_the_first_listed_age_to_come():
    rule = age_rule({"in": [{"var": AGE}, [70, 80, 90]]})
    assert when(rule, D(1955, 6, 1), D(2026, 12, 7)) == D(2035, 6, 1)


def test_not_under_60_is_the_same_as_at_least_60():
    rule = age_rule({"not": {"<": [{"var": AGE}, 60]}})
    assert when(rule, D(1967, 11, 8), D(2026, 12, 7)) == D(2027, 11, 8)


def test_combine_any_passes_at_the_first_condition_to_pass():
    other = {"key": "abroad", "check": {"var": "applicant.abroad"}, "label": {"zh-hans": "境外"}}
    rule = age_rule({">=": [{"var": AGE}, 60]}, combine="any", extra=[other])
    assert when(rule, D(1967, 11, 8), D(2026, 12, 7), facts={"applicant.abroad": False}) == D(2027, 11, 8)


def test_a_rule_with_no_age_passes_today_or_never():
    rule = {"conditions": [{"key": "wz", "check": {"startsWith": [{"var": "applicant.household_division"}, "3303"]},
                            "label": {"zh-hans": "温州"}}]}  # fmt: skip
    assert when(rule, D(1967, 11, 8), D(2026, 12, 7)) == D(2026, 12, 7)
    assert when(rule, D(1967, 11, 8), D(2026, 12, 7), facts={"applicant.household_division": "1101"}) is None
    assert candidate_days(rule, D(2026, 12, 7), {AGE: D(1967, 11, 8)}) == []


def test_only_the_birthdays_at_the_thresholds_are_tried():
    rule = age_rule({"<=": [18, {"var": AGE}, 60.5]})
    days = candidate_days(rule, D(2026, 12, 7), {AGE: D(2000, 2, 29)})
    # 18 is already past; 60.5 changes truth at 61.
    assert days == [D(2061, 3, 1)]


# --- exhaustively, against the day-by-day walk --------------------------------------------------

RULES = [
    SENIOR_CARD_RULE,
    age_rule({">=": [{"var": AGE}, 60]}),
    age_rule({">": [{"var": AGE}, 59.5]}),
    age_rule({"<": [{"var": AGE}, 61]}),
    age_rule({"<=": [{"var": AGE}, 60]}),
    age_rule({"==": [{"var": AGE}, 61]}),
    age_rule({"!=": [{"var": AGE}, 60]}),
    age_rule({"<=": [61, {"var": AGE}, 62]}),
    age_rule({"in": [{"var": AGE}, [61, 63]]}),
    age_rule({"or": [{"==": [{"var": AGE}, 62]}, {">=": [{"var": AGE}, 70]}]}),
    age_rule({"not": {"in": [{"var": AGE}, [59, 60, 61]]}}),
]
BIRTHS = [
    D(1964, 2, 29),
    D(1966, 2, 28),
    D(1966, 3, 1),
    D(1965, 12, 31),
    D(1966, 1, 1),
    D(1967, 11, 8),
    D(1968, 2, 29),
]
TODAYS = [D(2025, 12, 31), D(2026, 2, 28), D(2026, 3, 1), D(2027, 2, 28), D(2028, 2, 29)]


@pytest.mark.parametrize("rule", RULES, ids=[f"rule{n}" for n in range(len(RULES))])
@pytest.mark.parametrize("birth", BIRTHS, ids=str)
def test_the_answer_is_the_first_day_the_calendar_walk_finds(rule, birth):
    for today in TODAYS:
        found = when(rule, birth, today)
        walked = brute_force(rule, birth, today)
        if walked is not None:
            assert found == walked, (today, found, walked)
        else:
            # Nothing within three years: then the answer lies beyond, or never; check it passes there
            # and that the day before it does not (unless it is today).
            assert found is None or found > today + datetime.timedelta(days=3 * 366)
            if found is not None:
                assert passes(rule, facts_on(dict(WZ), found, {AGE: birth}))
                assert not passes(rule, facts_on(dict(WZ), found - datetime.timedelta(days=1), {AGE: birth}))


def test_never_means_never_for_a_whole_lifetime():
    rule = age_rule({"<=": [{"var": AGE}, 30]})
    birth = D(1964, 2, 29)
    assert when(rule, birth, D(2026, 12, 7)) is None
    day = D(2026, 12, 7)
    while day.year < 2120:
        assert not passes(rule, facts_on(dict(WZ), day, {AGE: birth}))
        day += datetime.timedelta(days=97)
