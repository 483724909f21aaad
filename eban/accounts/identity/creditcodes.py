"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check one, say which part is wrong.

No I/O, no database. A credit code has 18 characters over `0123456789ABCDEFGHJKLMNPQRTUWXY`
(digits and capital letters without I, O, S, V and Z, which are too easily read as 1, 0, 5, U
and 2):

    9 1 330302 MA2H1234X 7
    | | |      |         check character, ISO 7064 MOD 31-3 over the first 17
    | | |      organisation code (GB 11714): 8 characters and its own MOD 11 check character
    | | region code (GB/T 2260) of the registration office; 100000 for a national one
    | entity type, within the authority (e.g. 9-1 enterprise, 9-2 individual business)
    registration authority (e.g. 1 staffing office, 5 civil affairs, 9 market regulation)

Checked: length, characters, the authority and entity type against the standard's table (with the
later additions A and N), the region's province (and prefecture), the organisation code's own
check character, and the final check character. The county part of the region is not checked:
registration offices of development zones and of districts newer than the packaged list have
codes that the list does not know.

`check_credit_code(value)` answers a `CreditCodeCheck` with a translated sentence for people;
`is_valid_credit_code(value)` answers the same yes/no, fast, for bulk use.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..identity.regions import NATIONAL_REGION, PREFECTURES, PROVINCES

LENGTH = 18
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**(i-1) mod 31

# GB 11714-1997, the organisation code: 8 characters (digits and letters, A=10 ... Z=35) and a
# check character C9 = 11 - (weighted sum mod 11), written X for 10 and 0 for 11.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_VALUES = {char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}

# Registration authority (position 1) -> the entity types (position 2) it registers.
# GB 32100-2015 table 1 with its published additions (A: the Central Military Commission's
# reform and staffing office; N: agriculture, for rural collective economic organisations).
ENTITY_TYPES_BY_AUTHORITY: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直管的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商 (market regulation): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: one kind only
}

# Letters left out of the alphabet, and what the writer probably meant.
LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}

OK = "ok"
EMPTY = "empty"
LENGTH_ERROR = "length"
CHARACTERS = "characters"
AUTHORITY = "authority"
ENTITY_TYPE = "entity_type"
REGION = "region"
ORGANISATION_CODE = "organisation_code"
CHECKSUM = "checksum"
CODES = (OK, EMPTY, LENGTH_ERROR, CHARACTERS, AUTHORITY, ENTITY_TYPE, REGION, ORGANISATION_CODE, CHECKSUM)


@dataclass(frozen=True)
class CreditCodeCheck:
    """The outcome of checking one credit code.

    `code` is a stable machine reason (one of CODES); `reason` a sentence for people in the
    active language; `normalized` the input without spaces, upper-case, NFKC. The parts
    (`registration_authority`, `entity_type`, `region_code`, `organisation_code`) are set whenever the code has
    18 characters of the alphabet.
    """

    valid: bool
    code: str
    reason: str
    normalized: str
    registration_authority: str | None = None
    entity_type: str | None = None
    region_code: str | None = None
    organisation_code: str | None = None


def normalize(value: str) -> str:
    """Full-width to ASCII (NFKC), no whitespace anywhere, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(value.split()).upper()


def check_character(first17: str) -> str:
    """The MOD 31-3 check character (position 18) for the first 17 characters."""
    return ALPHABET[-sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True)) % 31]


def organisation_check_character(first8: str) -> str:
    """The GB 11714 check character (position 9 of an organisation code) for its first 8."""
    remainder = 11 - sum(ORG_VALUES[c] * w for c, w in zip(first8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _fail(code: str, reason: str, normalized: str, **parts: str) -> CreditCodeCheck:
    return CreditCodeCheck(False, code, reason, normalized, **parts)


def _length_reason(normalized: str) -> str:
    count = len(normalized)
    if count == 15 and normalized.isascii() and normalized.isdigit():
        return _(
            "This looks like an old 15-digit business registration number. Since 2015 every "
            "organisation has an 18-character unified social credit code, printed on its licence."
        )
    if count in (9, 10) and normalized.replace("-", "").isalnum():
        return _(
            "This looks like an organisation code. The unified social credit code has 18 "
            "characters and contains the organisation code as characters 9 to 17."
        )
    return _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": count}


def check_credit_code(value: str) -> CreditCodeCheck:
    """Check a credit code; say in plain words which part is wrong. See the module's docstring."""
    normalized = normalize(value)
    if not normalized:
        return _fail(EMPTY, _("Please enter a unified social credit code."), normalized)
    if len(normalized) != LENGTH:
        return _fail(LENGTH_ERROR, _length_reason(normalized), normalized)

    for position, char in enumerate(normalized, start=1):
        if char in VALUES:
            continue
        if char in LOOKALIKES:
            reason = _(
                "Credit codes never use the letters I, O, S, V and Z; character %(position)d "
                "“%(char)s” is probably “%(meant)s”."
            ) % {"position": position, "char": char, "meant": LOOKALIKES[char]}
        else:
            reason = _(
                "“%(char)s” (character %(position)d) is not allowed: credit codes use digits and "
                "capital letters except I, O, S, V and Z."
            ) % {"char": char, "position": position}
        return _fail(CHARACTERS, reason, normalized)

    parts = {
        "registration_authority": normalized[0],
        "entity_type": normalized[1],
        "region_code": normalized[2:8],
        "organisation_code": normalized[8:17],
    }
    authority, entity_type, region = normalized[0], normalized[1], normalized[2:8]

    entity_types = ENTITY_TYPES_BY_AUTHORITY.get(authority)
    if entity_types is None:
        return _fail(
            AUTHORITY,
            _(
                "The first character should be the registration authority (1 to 9, A, N or Y); "
                "“%(char)s” is not one."
            )
            % {"char": authority},
            normalized,
            **parts,
        )
    if entity_type not in entity_types:
        return _fail(
            ENTITY_TYPE,
            _(
                "The second character is the type of organisation; for registration authority "
                "%(authority)s it must be one of %(types)s, not “%(char)s”."
            )
            % {"authority": authority, "types": ", ".join(entity_types), "char": entity_type},
            normalized,
            **parts,
        )

    if not region.isdigit():
        return _fail(
            REGION,
            _("Characters 3 to 8 should be the digits of a region code; “%(part)s” is not.")
            % {"part": region},
            normalized,
            **parts,
        )
    if region != NATIONAL_REGION and (region[:2] not in PROVINCES or region[:4] not in PREFECTURES):
        return _fail(
            REGION,
            _(
                "Characters 3 to 8 should be the region code of the registration office; "
                "%(code)s is not a region code."
            )
            % {"code": region},
            normalized,
            **parts,
        )

    organisation = parts["organisation_code"]
    if organisation_check_character(organisation[:8]) != organisation[8]:
        return _fail(
            ORGANISATION_CODE,
            _(
                "Characters 9 to 17 are the organisation code, whose last character checks the "
                "other eight; it does not match them, so one of characters 9 to 17 is probably mistyped."
            ),
            normalized,
            **parts,
        )

    if check_character(normalized[:17]) != normalized[17]:
        return _fail(
            CHECKSUM,
            _(
                "The last character (the check character) does not match the first 17; one of "
                "the characters is probably mistyped."
            ),
            normalized,
            **parts,
        )

    return CreditCodeCheck(True, OK, _("The credit code is well formed."), normalized, **parts)


# --- the fast path -------------------------------------------------------------------------------

# The weighted value of each character at each of the 17 positions, modulo 31.
_POSITION_VALUES = tuple({c: v * w % 31 for c, v in VALUES.items()} for w in WEIGHTS)
_ORG_POSITION_VALUES = tuple({c: ORG_VALUES[c] * w for c in VALUES} for w in ORG_WEIGHTS)
_ORG_CHECK = {r: {10: "X", 11: "0"}.get(11 - r, str(11 - r)) for r in range(11)}
_AUTHORITY_TYPES = frozenset(a + t for a, types in ENTITY_TYPES_BY_AUTHORITY.items() for t in types)
_REGION_PREFIXES = frozenset(p for p in PREFECTURES) | {NATIONAL_REGION[:4]}


def is_valid_credit_code(value: str) -> bool:
    """The same answer as `check_credit_code(value).valid`, fast: no message, no objects.

    Only input with spaces, punctuation or non-ASCII characters (full-width) goes the long way,
    through `check_credit_code`.
    """
    if not (value.isascii() and value.isalnum()):
        return check_credit_code(value).valid
    if len(value) != LENGTH:
        return False
    value = value.upper()
    if value[:2] not in _AUTHORITY_TYPES:
        return False
    region = value[2:8]
    if not region.isdigit() or region[:4] not in _REGION_PREFIXES:
        return False
    if region[:4] == "1000" and region != NATIONAL_REGION:
        return False
    p = _POSITION_VALUES
    o = _ORG_POSITION_VALUES
    try:
        total = (
            p[0][value[0]] + p[1][value[1]] + p[2][value[2]] + p[3][value[3]] + p[4][value[4]]
            + p[5][value[5]] + p[6][value[6]] + p[7][value[7]] + p[8][value[8]] + p[9][value[9]]
            + p[10][value[10]] + p[11][value[11]] + p[12][value[12]] + p[13][value[13]]
            + p[14][value[14]] + p[15][value[15]] + p[16][value[16]]
        )  # fmt: skip
        org = (
            o[0][value[8]] + o[1][value[9]] + o[2][value[10]] + o[3][value[11]]
            + o[4][value[12]] + o[5][value[13]] + o[6][value[14]] + o[7][value[15]]
        )  # fmt: skip
    except KeyError:  # a character outside the alphabet
        return False
    return _ORG_CHECK[org % 11] == value[16] and ALPHABET[-total % 31] == value[17]
