"""Masked display of personal values, for anyone not entitled to see them whole.

- ID number (居民身份证号码): the first 6 characters (the region) and the last 4 kept,
  `330302196401011234` -> `330302********1234` (the common display on government
  sites, and the issue's `330302********123X`). An old 15-digit number: `330302640101123` -> `330302*****1123`.
- Mobile number: the first 3 and last 4 digits kept, `13812345678` -> `138****5678`;
  a `+86` prefix and separators are kept as written.
- Name: the first character kept, every other character starred, one star each:
  `张三` -> `张*`, `张小三` -> `张**`, `欧阳娜娜` -> `欧***` (a compound surname loses its
  second character: no surname list to keep, and it reveals less). Separators of
  minority and foreign names (`·`, spaces) stay: `阿依古丽·买买提` -> `阿***·***`.
  A one-character value is starred whole.
- Passport number: the first 2 and last 2 kept, `E12345678` -> `E1*****78`.
- Unified social credit codes are public (they are printed on every business licence):
  there is no masking for them.

Every function takes None or "" and returns "", and masks a value too short for its
rule entirely (never shows more than the rule allows). Template filters of the same
names: `{% load masking %}{{ citizen.id_number|mask_id_number }}`.
"""

from __future__ import annotations

import re

STAR = "*"
_NAME_SEPARATORS = frozenset(" ·•・.-")
_PHONE = re.compile(r"^(\+?86[\s-]?)?(1\d{2})([\s-]?)(\d{4})([\s-]?)(\d{4})$")


def _keep_ends(value: str, head: int, tail: int) -> str:
    """Keep `head` characters and `tail` characters, star the rest; star all when too short."""
    hidden = len(value) - head - tail
    if hidden < 1 or hidden < min(head + tail, 4):
        return STAR * len(value)
    return value[:head] + STAR * hidden + value[len(value) - tail :]


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def mask_id_number(value: str | None) -> str:
    """`330302196401011234` -> `330302********1234`."""
    return _keep_ends(_clean(value), 6, 4)


def mask_phone(value: str | None) -> str:
    """`13812345678` -> `138****5678`; `+86 138-1234-5678` -> `+86 138-****-5678`."""
    text = _clean(value)
    match = _PHONE.match(text)
    if match:
        prefix, head, sep1, _middle, sep2, tail = match.groups()
        return f"{prefix or ''}{head}{sep1}{STAR * 4}{sep2}{tail}"
    return _keep_ends(text, 3, 4)


def mask_name(value: str | None) -> str:
    """`张三` -> `张*`, `欧阳娜娜` -> `欧***`: the first character kept."""
    text = _clean(value)
    if len(text) < 2:
        return STAR * len(text)
    return text[0] + "".join(ch if ch in _NAME_SEPARATORS else STAR for ch in text[1:])


def mask_passport(value: str | None) -> str:
    """`E12345678` -> `E1*****78`."""
    return _keep_ends(_clean(value), 2, 2)
