"""Independent reference implementations of the check characters, for the tests.

Written from the standards' definitions, not from the code under test: ISO 7064 MOD 11-2 in its
recursive form (no weight table), and the weights of GB 32100 and GB 11714 computed as powers
(3^(i-1) mod 31 and 2^(9-i) mod 11) instead of copied.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

ID_REGIONS = ("110105", "330302", "330381", "440305", "510107", "650102")
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_PREFIXES = ("91", "92", "93", "11", "12", "51", "52", "53", "N2", "Y1")
CREDIT_REGIONS = ("110000", "330300", "330302", "440300", "350100", "100000")


def mod11_2(digits: str) -> str:
    """ISO 7064 MOD 11-2, recursive form: P = ((P + d) * 2) mod 11; check = (12 - P) mod 11."""
    p = 0
    for d in digits:
        p = ((p + int(d)) * 2) % 11
    value = (12 - p) % 11
    return "X" if value == 10 else str(value)


def id_number(region: str, birth: date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + mod11_2(body)


def random_id_number(rng: random.Random, *, region: str | None = None) -> str:
    birth = date(1920, 1, 1) + timedelta(days=rng.randrange(0, 365 * 100))
    return id_number(region or rng.choice(ID_REGIONS), birth, rng.randrange(0, 1000))


def gb32100_check(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def gb11714_check(first8: str) -> str:
    values = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(values.index(c) * pow(2, 8 - i, 11) for i, c in enumerate(first8))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code(prefix: str, region: str, org8: str) -> str:
    first17 = prefix + region + org8 + gb11714_check(org8)
    return first17 + gb32100_check(first17)


def random_credit_code(rng: random.Random) -> str:
    org8 = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(8))
    return credit_code(rng.choice(CREDIT_PREFIXES), rng.choice(CREDIT_REGIONS), org8)
