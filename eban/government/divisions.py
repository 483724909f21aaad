"""Pure helpers on 行政区划 codes (GB/T 2260 and its township and village extensions)."""

from __future__ import annotations


def code_prefix(code: str) -> str:
    """What the codes of a division and of everything under it start with. GB/T 2260 pads
    province and city codes with zeros (330000 → 33…, 330300 → 3303…); a county's code (330302)
    and the township (9 digits) and village (12) codes under it extend it as they are."""
    if len(code) == 6:
        while len(code) > 2 and code.endswith("00"):
            code = code[:-2]
    return code
