"""Validating 1,000,000 ID numbers and 1,000,000 credit codes (target: < 5 s each).

The numbers are generated before timing (sample data, seeded): half valid, half invalid in the
ways people and forgers get them wrong — a wrong check character, a date that does not exist
or lies in the future, an unknown county, a wrong length, a letter where a digit belongs,
letters outside the credit-code alphabet, an organisation code whose own check is wrong.
Timed: `is_valid_id_number` / `is_valid_credit_code` over the whole list (the bulk path), and
beside them the full `check_id_number` / `check_credit_code` (with its translated message),
per number, over the first 100,000.

Ceiling (bench/ceilings.py), right before each figure over the same numbers: one Python call
per number that reads only its length, the interpreter's floor for any check made number by
number: the ratio is how many such calls one validation costs.
"""

from __future__ import annotations

import os
import random
from datetime import date

COUNT = 1_000_000
QUICK_COUNT = 100_000
FULL_CHECK_SAMPLE = 100_000
TARGET_S = 5.0
SEED = 20150601
FLOOR = "one Python call per number reading only its length, over the same numbers"

ID_REGIONS = ("330302", "330303", "330304", "330381", "330382", "110105", "440305", "510107", "110103")
CREDIT_PREFIXES = ("91", "91", "91", "92", "92", "93", "12", "52", "N2")
CREDIT_REGIONS = ("330300", "330302", "330303", "330381", "330382", "110000", "440300", "100000")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eban.settings.test")
    import django

    django.setup()


def generate_id_numbers(count: int, rng: random.Random) -> list[str]:
    from eban.accounts.identity.idnumbers import check_character

    start = date(1930, 1, 1).toordinal()
    span = date(2024, 12, 31).toordinal() - start
    values = []
    for i in range(count):
        birth = date.fromordinal(start + rng.randrange(span))
        body = f"{rng.choice(ID_REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + check_character(body)
        kind = i % 20
        if kind < 10:
            pass  # valid
        elif kind < 14:  # a mistyped digit or a made-up check character
            position = rng.randrange(18)
            number = number[:position] + rng.choice("0123456789") + number[position + 1 :]
        elif kind == 14:  # 31 February
            body = body[:10] + "0231" + body[14:]
            number = body + check_character(body)
        elif kind == 15:  # in the future
            body = body[:6] + "2090" + body[10:]
            number = body + check_character(body)
        elif kind == 16:  # an unknown county (goes the long way)
            body = "330399" + body[6:]
            number = body + check_character(body)
        elif kind == 17:  # a digit short
            number = number[:17]
        elif kind == 18:  # a letter in the middle
            number = number[:8] + "A" + number[9:]
        else:  # lower-case x, or valid
            number = number.lower()
        values.append(number)
    return values


def generate_credit_codes(count: int, rng: random.Random) -> list[str]:
    from eban.accounts.identity.creditcodes import ALPHABET, check_character, organisation_check_character

    values = []
    for i in range(count):
        org8 = "".join(rng.choices(ALPHABET, k=8))
        first17 = rng.choice(CREDIT_PREFIXES) + rng.choice(CREDIT_REGIONS) + org8
        first17 += organisation_check_character(org8)
        code = first17 + check_character(first17)
        kind = i % 20
        if kind < 10:
            pass
        elif kind < 14:  # a mistyped character
            position = rng.randrange(18)
            code = code[:position] + rng.choice(ALPHABET) + code[position + 1 :]
        elif kind == 14:  # a letter outside the alphabet
            code = code[:10] + "O" + code[11:]
        elif kind == 15:  # organisation code check wrong, final check right
            wrong = "0" if first17[16] != "0" else "1"
            first17 = first17[:16] + wrong
            code = first17 + check_character(first17)
        elif kind == 16:  # an authority and type that do not exist
            first17 = "94" + first17[2:]
            code = first17 + check_character(first17)
        elif kind == 17:
            code = code[:15]
        elif kind == 18:
            code = code.lower()
        else:  # check character from the wrong direction
            code = code[:17] + ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
        values.append(code)
    return values


def _full(check):
    return lambda value: check(value).valid


def run(quick: bool = False) -> list[dict]:
    _setup_django()
    from django.utils import translation

    from eban.accounts.identity.creditcodes import check_credit_code, is_valid_credit_code
    from eban.accounts.identity.idnumbers import check_id_number, is_valid_id_number

    from .ceilings import bare_length_check, beside, seconds_over
    from .common import result

    count = QUICK_COUNT if quick else COUNT
    label = f"{count:,}"
    rng = random.Random(SEED)
    id_numbers = generate_id_numbers(count, rng)
    credit_codes = generate_credit_codes(count, rng)

    rows = []
    with translation.override("zh-hans"):
        for name, check, values in (
            ("ID numbers (is_valid_id_number)", is_valid_id_number, id_numbers),
            ("credit codes (is_valid_credit_code)", is_valid_credit_code, credit_codes),
        ):
            floor = seconds_over(bare_length_check, values)  # the ceiling, right before, same list
            seconds = seconds_over(check, values)
            rows.append(
                beside(
                    result(
                        f"identity: validate {label} {name}",
                        seconds,
                        "s",
                        f"< {TARGET_S:g}",
                        seconds < TARGET_S,
                    ),
                    floor,
                    FLOOR,
                )
            )
        # The full checks build a result and a translated message: timed per number on a sample.
        sample = min(count, FULL_CHECK_SAMPLE)
        for name, check, values in (
            ("check_id_number", check_id_number, id_numbers),
            ("check_credit_code", check_credit_code, credit_codes),
        ):
            floor = seconds_over(bare_length_check, values[:sample])
            seconds = seconds_over(_full(check), values[:sample])
            rows.append(
                beside(
                    result(
                        f"identity: {name}, per number (with its message; {sample:,} numbers)",
                        seconds / sample * 1e6,
                        "µs",
                        "",
                        None,
                    ),
                    floor / sample * 1e6,
                    FLOOR,
                )
            )
    return rows
