"""ID numbers (GB 11643-1999): what is accepted, what is refused and what the user is told."""

import random
from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from eban.accounts.identity import idnumbers
from eban.accounts.identity.idnumbers import age_on, check_id_number, is_valid_id_number

from .reference import ID_REGIONS, id_number, mod11_2, random_id_number

STANDARD_EXAMPLE = "11010519491231002X"  # the example of GB 11643-1999
TODAY = date(2025, 6, 15)


def english(value, **kwargs):
    with translation.override("en"):
        return check_id_number(value, **kwargs)


# --- valid numbers and what they tell ------------------------------------------------------------


def test_the_standards_example_is_valid_with_its_birth_date_and_sex():
    result = check_id_number(STANDARD_EXAMPLE)
    assert result.valid and result.code == "ok"
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex == "female"
    assert result.region_code == "110105"
    assert result.normalized == STANDARD_EXAMPLE


def test_an_odd_sequence_number_is_a_man():
    assert check_id_number(id_number("330302", date(1990, 3, 7), 123)).sex == "male"


def test_an_even_sequence_number_is_a_woman():
    assert check_id_number(id_number("330302", date(1990, 3, 7), 124)).sex == "female"


def test_a_lower_case_x_is_accepted_and_normalised():
    result = check_id_number(STANDARD_EXAMPLE.lower())
    assert result.valid
    assert result.normalized == STANDARD_EXAMPLE


def test_spaces_anywhere_are_ignored():
    assert check_id_number(" 110105 19491231 002X ").normalized == STANDARD_EXAMPLE
    assert check_id_number(" 110105 19491231 002X ").valid


def test_full_width_digits_and_x_are_accepted():
    result = check_id_number("１１０１０５１９４９１２３１００２ｘ")
    assert result.valid
    assert result.normalized == STANDARD_EXAMPLE


def test_a_county_code_abolished_long_ago_is_still_accepted():
    # 110103 (Chongwen district, Beijing) was merged away in 2010; its people keep their numbers.
    assert check_id_number(id_number("110103", date(1970, 5, 1), 11)).valid
    # 330325 (Rui'an county) became the city 330381 in 1987.
    assert check_id_number(id_number("330325", date(1960, 1, 1), 11)).valid


def test_residence_permits_of_hong_kong_macao_and_taiwan_residents_are_accepted():
    for region in ("810000", "820000", "830000"):
        assert check_id_number(id_number(region, date(1985, 8, 8), 21)).valid


def test_a_county_newer_than_the_list_is_accepted_for_people_born_since():
    assert "330399" not in idnumbers.COUNTIES
    assert check_id_number(id_number("330399", date(2021, 5, 1), 11), today=TODAY).valid
    assert is_valid_id_number(id_number("330399", date(2021, 5, 1), 11))


def test_born_today_is_valid():
    assert check_id_number(id_number("330302", TODAY, 11), today=TODAY).valid


def test_29_february_of_a_leap_year_is_a_real_date():
    assert check_id_number(id_number("330302", date(2000, 2, 29), 11)).valid


# --- each kind of refusal, and the words used ----------------------------------------------------


def test_empty_input_asks_for_a_number():
    result = english("   ")
    assert (result.valid, result.code) == (False, "empty")
    assert result.reason == "Please enter an ID number."


def test_a_wrong_length_says_how_long_it_should_be():
    result = english("1101051949123100")
    assert result.code == "length"
    assert result.reason == "An ID number has 18 characters; this one has 16."


def test_an_old_15_digit_number_is_refused_with_what_to_use_instead():
    result = english("110105491231002")
    assert result.code == "length"
    assert "15-digit numbers were replaced in 2013" in result.reason
    assert "18-digit number" in result.reason


def test_a_letter_in_the_middle_is_refused_naming_it():
    result = english("1101051949A231002X")
    assert result.code == "characters"
    assert "“A” (character 11)" in result.reason


def test_an_x_anywhere_but_last_is_refused():
    result = english("11010519491231X021")
    assert result.code == "characters"
    assert "Only the last character of an ID number may be X" in result.reason


def test_an_unknown_province_is_refused_naming_the_digits():
    result = english(id_number("000105", date(1980, 1, 1), 11))
    assert result.code == "region"
    assert result.reason == "The first 2 digits should be a province code; 00 is not one."


def test_taiwans_province_code_is_refused_with_the_permit_code_to_use():
    result = english(id_number("710101", date(1980, 1, 1), 11))
    assert result.code == "region"
    assert "830000" in result.reason


def test_a_foreigners_permanent_residence_number_is_told_apart():
    result = english(id_number("933156", date(1980, 1, 1), 11))
    assert result.code == "region"
    assert "foreigner's permanent residence card" in result.reason


def test_a_residence_permit_needs_the_exact_region_code():
    result = english(id_number("810100", date(1985, 8, 8), 21))
    assert result.code == "region"
    assert "810100" in result.reason


def test_an_unknown_county_is_refused_naming_the_six_digits():
    result = english(id_number("330399", date(1990, 1, 1), 11))
    assert result.code == "region"
    assert not is_valid_id_number(id_number("330399", date(1990, 1, 1), 11))
    assert result.reason == (
        "The first 6 digits should be the code of the county where the number was issued; "
        "330399 is not such a code."
    )


def test_an_unknown_prefecture_is_refused_even_for_a_newborn():
    assert english(id_number("339901", date(2023, 1, 1), 11), today=TODAY).code == "region"


def test_an_impossible_date_is_refused_naming_the_digits():
    result = english("110105" + "19650231" + "011" + mod11_2("11010519650231011"))
    assert result.code == "birth_date"
    assert result.reason == "The 7th to 14th digits should be the birth date; 19650231 is not a real date."


def test_29_february_of_a_common_year_is_not_a_real_date():
    body = "110105" + "19000229" + "011"
    assert english(body + mod11_2(body)).code == "birth_date"


def test_a_birth_date_before_1900_is_refused():
    result = english(id_number("110105", date(1899, 12, 31), 11))
    assert result.code == "birth_date"
    assert "1899-12-31 is before 1900" in result.reason


def test_a_birth_date_in_the_future_is_refused():
    result = english(id_number("110105", date(2025, 6, 16), 11), today=TODAY)
    assert result.code == "future_birth_date"
    assert "2025-06-16 is in the future" in result.reason


def test_a_wrong_check_digit_is_refused_without_giving_away_the_right_one():
    result = english("110105194912310021")
    assert result.code == "checksum"
    assert result.reason == (
        "The last character (the check digit) does not match the first 17 digits; "
        "one of the digits is probably mistyped."
    )


def test_derived_facts_are_empty_when_invalid():
    result = check_id_number("110105194912310021")
    assert result.birth_date is None and result.sex is None
    assert result.region_code == "110105"


# --- numbers crafted to pass a wrong algorithm ---------------------------------------------------


def luhn_digit(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def mod10_digit(body: str) -> str:
    return str(sum(int(d) for d in body) % 10)


def reversed_weights_digit(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(body, reversed(idnumbers.WEIGHTS), strict=True))
    return "10X98765432"[total % 11]


def remainder_as_digit(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(body, idnumbers.WEIGHTS, strict=True))
    return "0123456789X"[total % 11]


def eleven_minus_remainder(body: str) -> str:  # GB 11714's rule, off by one here
    value = 11 - sum(int(d) * w for d, w in zip(body, idnumbers.WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


@pytest.mark.parametrize(
    "wrong_algorithm",
    [luhn_digit, mod10_digit, reversed_weights_digit, remainder_as_digit, eleven_minus_remainder],
)
def test_numbers_with_a_check_digit_from_a_wrong_algorithm_are_refused(wrong_algorithm):
    rng = random.Random(11643)
    crafted = 0
    for _ in range(300):
        body = random_id_number(rng)[:17]
        wrong = wrong_algorithm(body)
        if wrong == mod11_2(body):
            continue  # the two algorithms happen to agree: not a crafted number
        crafted += 1
        assert check_id_number(body + wrong).code == "checksum", body + wrong
        assert not is_valid_id_number(body + wrong)
    assert crafted > 150


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    region=st.sampled_from(ID_REGIONS),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    sequence=st.integers(0, 999),
)
def test_every_number_built_by_the_reference_is_valid(region, birth, sequence):
    number = id_number(region, birth, sequence)
    result = check_id_number(number)
    assert result.valid, number
    assert result.birth_date == birth
    assert result.sex == ("male" if sequence % 2 else "female")
    assert is_valid_id_number(number)


def test_every_single_character_change_is_refused():
    rng = random.Random(7064)
    for _ in range(40):
        number = random_id_number(rng)
        for position in range(18):
            for char in "0123456789X":
                if char == number[position]:
                    continue
                changed = number[:position] + char + number[position + 1 :]
                assert not check_id_number(changed).valid, changed


def test_every_swap_of_two_neighbouring_digits_is_refused():
    rng = random.Random(2)
    for _ in range(200):
        number = random_id_number(rng)
        for i in range(17):
            if number[i] != number[i + 1]:
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
                assert not check_id_number(swapped).valid, swapped


@settings(max_examples=500, derandomize=True, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789Xx ", min_size=14, max_size=20),
        st.sampled_from([STANDARD_EXAMPLE, STANDARD_EXAMPLE.lower(), " " + STANDARD_EXAMPLE]),
        st.text(max_size=20),
    )
)
def test_the_fast_check_gives_the_same_answer_as_the_full_one(value):
    assert is_valid_id_number(value) == check_id_number(value).valid


def test_the_fast_check_agrees_on_realistic_mixes():
    rng = random.Random(3)
    for _ in range(3000):
        number = random_id_number(rng)
        position = rng.randrange(18)
        mutated = number[:position] + rng.choice("0123456789X") + number[position + 1 :]
        for value in (number, mutated, "330399" + number[6:], number[:10] + "0229" + number[14:]):
            assert is_valid_id_number(value) == check_id_number(value).valid, value


# --- age ----------------------------------------------------------------------------------------


def test_age_goes_up_on_the_birthday():
    born = date(1990, 6, 15)
    assert age_on(born, date(2025, 6, 14)) == 34
    assert age_on(born, date(2025, 6, 15)) == 35


def test_someone_born_on_29_february_is_a_year_older_on_1_march_in_common_years():
    born = date(2004, 2, 29)
    assert age_on(born, date(2022, 2, 28)) == 17
    assert age_on(born, date(2022, 3, 1)) == 18
    assert age_on(born, date(2024, 2, 29)) == 20


def test_age_on_the_day_of_birth_is_zero():
    assert age_on(date(2025, 1, 1), date(2025, 1, 1)) == 0
