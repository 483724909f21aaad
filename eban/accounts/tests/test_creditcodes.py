"""Unified social credit codes (GB 32100-2015): what is accepted, what is refused, what is said."""

import random

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from eban.accounts.identity.creditcodes import (
    ENTITY_TYPES_BY_AUTHORITY,
    check_credit_code,
    is_valid_credit_code,
)

from .reference import (
    CREDIT_ALPHABET,
    credit_code,
    gb11714_check,
    gb32100_check,
    random_credit_code,
)

PUBLISHED = "91350100M000100Y43"  # the example printed in many descriptions of the standard


def english(value):
    with translation.override("en"):
        return check_credit_code(value)


# --- valid codes and their parts -----------------------------------------------------------------


def test_the_published_example_is_valid_with_its_parts():
    result = check_credit_code(PUBLISHED)
    assert result.valid and result.code == "ok"
    assert result.registration_authority == "9"
    assert result.entity_type == "1"
    assert result.region_code == "350100"
    assert result.organisation_code == "M000100Y4"


def test_lower_case_and_spaces_are_accepted_and_normalised():
    result = check_credit_code(" 9135 0100 m000 100y 43 ")
    assert result.valid
    assert result.normalized == PUBLISHED


def test_full_width_characters_are_accepted():
    assert check_credit_code("９１３５０１００Ｍ０００１００Ｙ４３").valid


def test_a_code_of_a_national_registration_authority_is_accepted():
    assert check_credit_code(credit_code("11", "100000", "00001312")).valid


def test_every_authority_and_entity_type_of_the_standard_is_accepted():
    for authority, types in ENTITY_TYPES_BY_AUTHORITY.items():
        for entity_type in types:
            code = credit_code(authority + entity_type, "330302", "MA2H1234")
            assert check_credit_code(code).valid, code


def test_a_county_code_the_list_does_not_know_is_accepted_within_a_known_prefecture():
    # Development-zone offices and districts newer than the list register firms too.
    assert check_credit_code(credit_code("91", "330399", "MA2H1234")).valid


# --- each kind of refusal, and the words used ----------------------------------------------------


def test_empty_input_asks_for_a_code():
    assert english("").reason == "Please enter a unified social credit code."


def test_a_wrong_length_says_how_long_it_should_be():
    result = english("91350100M000100Y4")
    assert result.code == "length"
    assert result.reason == "A unified social credit code has 18 characters; this one has 17."


def test_an_old_business_registration_number_is_recognised():
    result = english("330302000123456")
    assert result.code == "length"
    assert "old 15-digit business registration number" in result.reason


def test_an_organisation_code_alone_is_recognised():
    result = english("M000100Y-4")
    assert result.code == "length"
    assert "characters 9 to 17" in result.reason


@pytest.mark.parametrize(("letter", "meant"), [("I", "1"), ("O", "0"), ("Z", "2"), ("S", "5"), ("V", "U")])
def test_letters_left_out_of_the_alphabet_are_refused_with_what_was_meant(letter, meant):
    code = PUBLISHED[:12] + letter + PUBLISHED[13:]
    result = english(code)
    assert result.code == "characters"
    assert f"character 13 “{letter}” is probably “{meant}”" in result.reason


def test_a_letter_outside_the_alphabet_even_with_a_matching_check_is_refused():
    # Computing the check over 0-9A-Z would "accept" this; the standard's alphabet has no O.
    first17 = "91350100MO00100Y4"
    alphabet36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(alphabet36.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    assert check_credit_code(first17 + alphabet36[(31 - total % 31) % 31]).code == "characters"


def test_a_punctuation_mark_is_refused_naming_it():
    result = english("91350100M000100Y4*")
    assert result.code == "characters"
    assert "“*” (character 18)" in result.reason


def test_an_unknown_registration_authority_is_refused():
    result = english(credit_code("B1", "350100", "M000100Y"))
    assert result.code == "authority"
    assert "“B” is not one" in result.reason


@pytest.mark.parametrize("prefix", ["94", "Y2", "22", "A3", "N4"])
def test_an_entity_type_the_authority_does_not_register_is_refused(prefix):
    result = english(credit_code(prefix, "350100", "M000100Y"))
    assert result.code == "entity_type"
    assert f"for registration authority {prefix[0]}" in result.reason


def test_letters_in_the_region_code_are_refused():
    result = english(credit_code("91", "3501A0", "M000100Y"))
    assert result.code == "region"
    assert "“3501A0” is not" in result.reason


def test_an_unknown_province_or_prefecture_is_refused():
    assert english(credit_code("91", "990100", "M000100Y")).code == "region"
    assert english(credit_code("91", "339900", "M000100Y")).code == "region"
    assert english(credit_code("91", "710000", "M000100Y")).code == "region"
    assert english(credit_code("91", "100100", "M000100Y")).code == "region"


def test_a_wrong_organisation_code_check_is_refused_even_when_the_final_check_matches():
    first17 = "91350100" + "M000100Y" + "5"  # GB 11714 wants 4
    code = first17 + gb32100_check(first17)
    result = english(code)
    assert result.code == "organisation_code"
    assert "one of characters 9 to 17 is probably mistyped" in result.reason
    assert not is_valid_credit_code(code)


def test_a_wrong_check_character_is_refused():
    result = english(PUBLISHED[:17] + "4")
    assert result.code == "checksum"
    assert result.reason == (
        "The last character (the check character) does not match the first 17; one of the "
        "characters is probably mistyped."
    )


def test_a_pre_2016_xiamen_code_that_breaks_the_standard_is_refused():
    # Some codes issued in Xiamen before 2016 do not satisfy the check (docs: known limitation).
    assert check_credit_code("91350203M0001QKT19").code == "checksum"


# --- codes crafted to pass a wrong algorithm -----------------------------------------------------


def reversed_weights(first17):
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, 16 - i, 31) for i, c in enumerate(first17))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def remainder_itself(first17):
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_ALPHABET[total % 31]


def thirty_six_letter_alphabet(first17):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def mod11_like_id_numbers(first17):
    total = sum(
        CREDIT_ALPHABET.index(c) * w
        for c, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3) * 2, strict=False)
    )
    return "10X98765432"[total % 11]


@pytest.mark.parametrize(
    "wrong_algorithm", [reversed_weights, remainder_itself, thirty_six_letter_alphabet, mod11_like_id_numbers]
)
def test_codes_with_a_check_character_from_a_wrong_algorithm_are_refused(wrong_algorithm):
    rng = random.Random(32100)
    crafted = 0
    for _ in range(300):
        first17 = random_credit_code(rng)[:17]
        wrong = wrong_algorithm(first17)
        if wrong == gb32100_check(first17):
            continue
        crafted += 1
        assert check_credit_code(first17 + wrong).code == "checksum", first17 + wrong
        assert not is_valid_credit_code(first17 + wrong)
    assert crafted > 150


def test_codes_whose_organisation_check_comes_from_a_wrong_algorithm_are_refused():
    rng = random.Random(11714)
    crafted = 0
    for _ in range(300):
        org8 = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(8))
        wrong = str(
            sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(org8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
            % 10
        )
        if wrong == gb11714_check(org8):
            continue
        crafted += 1
        first17 = "91330302" + org8 + wrong
        code = first17 + gb32100_check(first17)  # the final check is right
        assert check_credit_code(code).code == "organisation_code", code
        assert not is_valid_credit_code(code)
    assert crafted > 150


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    prefix=st.sampled_from(["91", "92", "93", "12", "52", "N2", "Y1"]),
    region=st.sampled_from(["330302", "110000", "440300", "100000"]),
    org8=st.text(alphabet=CREDIT_ALPHABET, min_size=8, max_size=8),
)
def test_every_code_built_by_the_reference_is_valid(prefix, region, org8):
    code = credit_code(prefix, region, org8)
    assert check_credit_code(code).valid, code
    assert is_valid_credit_code(code)
    assert is_valid_credit_code(code.lower())


def test_every_single_character_change_is_refused():
    rng = random.Random(31)
    for _ in range(30):
        code = random_credit_code(rng)
        for position in range(18):
            for char in CREDIT_ALPHABET:
                if char != code[position]:
                    changed = code[:position] + char + code[position + 1 :]
                    assert not check_credit_code(changed).valid, changed


@settings(max_examples=500, derandomize=True, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=CREDIT_ALPHABET + "IOSVZabc -", min_size=16, max_size=20),
        st.sampled_from([PUBLISHED, PUBLISHED.lower(), " " + PUBLISHED]),
        st.text(max_size=20),
    )
)
def test_the_fast_check_gives_the_same_answer_as_the_full_one(value):
    assert is_valid_credit_code(value) == check_credit_code(value).valid


def test_the_fast_check_agrees_on_realistic_mixes():
    rng = random.Random(5)
    for _ in range(3000):
        code = random_credit_code(rng)
        position = rng.randrange(18)
        mutated = code[:position] + rng.choice(CREDIT_ALPHABET + "IO") + code[position + 1 :]
        for value in (code, mutated, code.lower()):
            assert is_valid_credit_code(value) == check_credit_code(value).valid, value
