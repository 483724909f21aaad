"""Resident identity numbers (公民身份号码, GB 11643-1999): check one, and say which part is wrong.

No I/O, no database. An ID number has 18 characters:

    330302 19900307 123 X
    region birth    seq check

- positions 1-6: the code (GB/T 2260) of the county that first issued the number. Checked
  against every code that existed from 1980 to 2020 (`regions.py`); the province part must be
  one of the 31 mainland provinces, or the number must be a residence permit of a Hong Kong,
  Macao or Taiwan resident (810000 / 820000 / 830000).
- positions 7-14: the birth date, YYYYMMDD: a real date, not in the future, not before 1900.
- positions 15-17: a sequence number, odd for men and even for women.
- position 18: the check character of ISO 7064 MOD 11-2 over the first 17 digits (0-9 or X).

`check_id_number(value)` answers an `IdNumberCheck` with a translated sentence for people;
`is_valid_id_number(value)` answers the same yes/no about ten times faster, for bulk use.

Input is forgiving where people are: spaces anywhere, a lower-case x, full-width digits
(normalised with Unicode NFKC) are accepted. The old 15-digit numbers are refused with a
message saying so (they stopped being valid on 2013-01-01).
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from ..identity.regions import (
    COUNTIES,
    DATA_COMPLETE_UNTIL_YEAR,
    PREFECTURES,
    PROVINCES,
    RESIDENCE_PERMIT_REGIONS,
)

LENGTH = 18
OLD_LENGTH = 15
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH_YEAR = 1900
CHINA = ZoneInfo("Asia/Shanghai")

MALE = "male"
FEMALE = "female"

OK = "ok"
EMPTY = "empty"
LENGTH_ERROR = "length"
CHARACTERS = "characters"
REGION = "region"
BIRTH_DATE = "birth_date"
FUTURE_BIRTH_DATE = "future_birth_date"
CHECKSUM = "checksum"
CODES = (OK, EMPTY, LENGTH_ERROR, CHARACTERS, REGION, BIRTH_DATE, FUTURE_BIRTH_DATE, CHECKSUM)


@dataclass(frozen=True)
class IdNumberCheck:
    """The outcome of checking one ID number.

    `code` is a stable machine reason (one of CODES); `reason` a sentence for people in the
    active language. `normalized` is the input without spaces, upper-case, NFKC. The derived
    facts (`birth_date`, `sex`) are set only when the number is valid; `region_code` as soon
    as the number has the right length and characters.
    """

    valid: bool
    code: str
    reason: str
    normalized: str
    birth_date: date | None = None
    sex: str | None = None
    region_code: str | None = None


def normalize(value: str) -> str:
    """Full-width to ASCII (NFKC), no whitespace anywhere, upper case (x -> X)."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(value.split()).upper()


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def china_today() -> date:
    """Today's date in China (birth dates on ID numbers are Beijing dates)."""
    return datetime.now(CHINA).date()


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (周岁). Someone born on 29 February turns a year older on
    1 March in common years."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _fail(code: str, reason: str, normalized: str, region_code: str | None = None) -> IdNumberCheck:
    return IdNumberCheck(False, code, reason, normalized, region_code=region_code)


def _region_problem(region: str, birth: date | None) -> str | None:
    """Why the first six digits cannot be a region code, or None when they can."""
    if region in RESIDENCE_PERMIT_REGIONS or region in COUNTIES:
        return None
    province = region[:2]
    if province == "71":
        return _(
            "The first 2 digits should be a province code; 71 (Taiwan) is not used in ID numbers. "
            "Residence permits of Taiwan residents begin with 830000."
        )
    if province in ("81", "82", "83"):
        return _(
            "Residence permits of Hong Kong, Macao and Taiwan residents begin with 810000, 820000 "
            "or 830000; %(code)s is not one of these."
        ) % {"code": region}
    if region[0] == "9":
        return _(
            "The first 2 digits should be a province code. A number beginning with 9 is a "
            "foreigner's permanent residence card, which is not a resident ID number."
        )
    if province not in PROVINCES:
        return _("The first 2 digits should be a province code; %(code)s is not one.") % {"code": province}
    # A county created after the packaged list (newer than 2020) appears only on the numbers of
    # people registered since: accept it for them when its prefecture is known.
    if birth is not None and birth.year >= DATA_COMPLETE_UNTIL_YEAR and region[:4] in PREFECTURES:
        return None
    return _(
        "The first 6 digits should be the code of the county where the number was issued; "
        "%(code)s is not such a code."
    ) % {"code": region}


def _birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def check_id_number(value: str, *, today: date | None = None) -> IdNumberCheck:
    """Check an ID number; say in plain words which part is wrong. See the module's docstring."""
    normalized = normalize(value)
    if not normalized:
        return _fail(EMPTY, _("Please enter an ID number."), normalized)

    if len(normalized) == OLD_LENGTH and normalized.isascii() and normalized.isdigit():
        return _fail(
            LENGTH_ERROR,
            _(
                "This is an old 15-digit ID number. 15-digit numbers were replaced in 2013; "
                "please use the 18-digit number on your current ID card."
            ),
            normalized,
        )
    if len(normalized) != LENGTH:
        return _fail(
            LENGTH_ERROR,
            _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(normalized)},
            normalized,
        )

    plain = normalized.isascii() and normalized[:17].isdigit() and normalized[17] in "0123456789X"
    for position, char in enumerate("" if plain else normalized, start=1):
        allowed = "0123456789X" if position == LENGTH else "0123456789"
        if char not in allowed:
            if char == "X":
                reason = _(
                    "Only the last character of an ID number may be X; here it is character %(position)d."
                ) % {"position": position}
            else:
                reason = _(
                    "An ID number has 17 digits followed by a digit or X; “%(char)s” (character "
                    "%(position)d) is not allowed."
                ) % {"char": char, "position": position}
            return _fail(CHARACTERS, reason, normalized)

    region = normalized[:6]
    birth_digits = normalized[6:14]
    birth = _birth_date(birth_digits)

    problem = _region_problem(region, birth)
    if problem:
        return _fail(REGION, problem, normalized, region)

    if birth is None:
        return _fail(
            BIRTH_DATE,
            _("The 7th to 14th digits should be the birth date; %(digits)s is not a real date.")
            % {"digits": birth_digits},
            normalized,
            region,
        )
    if birth.year < EARLIEST_BIRTH_YEAR:
        return _fail(
            BIRTH_DATE,
            _("The 7th to 14th digits should be the birth date; %(date)s is before 1900.")
            % {"date": birth.isoformat()},
            normalized,
            region,
        )
    if birth > (today or china_today()):
        return _fail(
            FUTURE_BIRTH_DATE,
            _("The 7th to 14th digits should be the birth date; %(date)s is in the future.")
            % {"date": birth.isoformat()},
            normalized,
            region,
        )

    if check_character(normalized[:17]) != normalized[17]:
        return _fail(
            CHECKSUM,
            _(
                "The last character (the check digit) does not match the first 17 digits; "
                "one of the digits is probably mistyped."
            ),
            normalized,
            region,
        )

    return IdNumberCheck(
        valid=True,
        code=OK,
        reason=_("The ID number is well formed."),
        normalized=normalized,
        birth_date=birth,
        sex=MALE if int(normalized[16]) % 2 else FEMALE,
        region_code=region,
    )


# --- the fast path -------------------------------------------------------------------------------


def _chunk_tables() -> tuple[dict[str, int], ...]:
    """For each 3-digit slice of the first 17 digits: every slice's weighted sum. Three
    dictionary look-ups replace 17 multiplications; a slice that is not digits is not a key."""
    tables = []
    for start in range(0, 17, 3):
        weights = WEIGHTS[start : start + 3]
        width = len(weights)
        tables.append(
            {
                f"{n:0{width}d}": sum(int(c) * w for c, w in zip(f"{n:0{width}d}", weights, strict=True))
                for n in range(10**width)
            }
        )
    return tuple(tables)


_T0, _T1, _T2, _T3, _T4, _T5 = _chunk_tables()
# The last day of each month as two digits (29 for February; 29 February is checked apart).
_LAST_DAY = dict(
    zip([f"{m:02d}" for m in range(1, 13)], "31 29 31 30 31 30 31 31 30 31 30 31".split(), strict=True)
)
_NEWER_COUNTIES_FROM = str(DATA_COMPLETE_UNTIL_YEAR)
_today_cache: list = [0.0, ""]  # [valid until (epoch seconds), today as YYYYMMDD]


def _today_digits() -> str:
    now = time.time()
    if now >= _today_cache[0]:
        _today_cache[1] = china_today().strftime("%Y%m%d")
        _today_cache[0] = now + 60
    return _today_cache[1]


def is_valid_id_number(value: str) -> bool:
    """The same answer as `check_id_number(value).valid`, fast: no message, no objects.

    Only input with spaces, punctuation or non-ASCII characters (full-width digits) goes the
    long way, through `check_id_number`.
    """
    if not (value.isascii() and value.isalnum()):
        return check_id_number(value).valid
    if len(value) != LENGTH:
        return False
    try:
        total = (
            _T0[value[0:3]]
            + _T1[value[3:6]]
            + _T2[value[6:9]]
            + _T3[value[9:12]]
            + _T4[value[12:15]]
            + _T5[value[15:17]]
        )
    except KeyError:  # not 17 digits
        return False
    last = value[17]
    if last == "x":
        last = "X"
    if CHECK_CHARS[total % 11] != last:
        return False
    year = value[6:10]
    day = value[12:14]
    last_day = _LAST_DAY.get(value[10:12])
    if last_day is None or not ("01" <= day <= last_day) or year < "1900" or value[6:14] > _today_digits():
        return False
    if day == "29" and value[10:12] == "02":
        y = int(year)
        if y % 4 or (y % 100 == 0 and y % 400):
            return False
    region = value[:6]
    if region in COUNTIES or region in RESIDENCE_PERMIT_REGIONS:
        return True
    # The same allowance as `_region_problem`: a newer county of a known prefecture.
    return year >= _NEWER_COUNTIES_FROM and region[:4] in PREFECTURES
