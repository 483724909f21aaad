"""Certificate numbers: `LNYD-20250612-000123-K7QX`.

The type's prefix, the day of issue, the day's sequence number for that type, and four random
characters. The sequence makes numbers readable and sortable; the random part makes them
unguessable, so the public verification page cannot be walked by counting (with the per-address
rate limit, 31⁴ ≈ 920,000 guesses per real sequence number). The alphabet leaves out 0/O and
1/I/L, which people misread when they type a number from paper.
"""

from __future__ import annotations

import datetime
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters, no 0 O 1 I L
RANDOM_LENGTH = 4
SEQUENCE_DIGITS = 6
PATTERN = re.compile(r"^[A-Z0-9]{1,8}-\d{8}-\d{6,}-[" + ALPHABET + r"]{4}$")


def format_number(prefix: str, day: datetime.date, sequence: int, random_part: str | None = None) -> str:
    if random_part is None:
        random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{prefix}-{day:%Y%m%d}-{sequence:0{SEQUENCE_DIGITS}d}-{random_part}"


# Any dash, underscore or space a person may type between the parts (after NFKC, which makes
# full-width characters and the ideographic space ASCII).
SEPARATORS = re.compile(r"[\s\-_‐‑‒–—―−ー－]+")
COMPACT = re.compile(r"^([A-Z0-9]{1,8})(\d{8})(\d{" + str(SEQUENCE_DIGITS) + r",})([" + ALPHABET + r"]{4})$")


def normalize(text: str) -> str:
    """What a person typed or scanned, in the stored form: full-width to ASCII, upper case, and
    the parts joined by single hyphens whatever stood between them (spaces, other dashes, or
    nothing at all). Text that has not the shape of a number is only trimmed and upper-cased.

    Without separators a prefix ending in digits is ambiguous with a longer sequence: the
    prefix takes the longest reading, so the sequence has its usual six digits."""
    import unicodedata

    tidy = unicodedata.normalize("NFKC", text or "").strip().upper()
    if looks_like_number(tidy):
        return tidy
    compact = SEPARATORS.sub("", tidy)
    found = COMPACT.match(compact)
    if found is None:
        return tidy
    parts = SEPARATORS.split(tidy)
    if len(parts) == 4 and looks_like_number("-".join(parts)):
        return "-".join(parts)  # the person's own split (a prefix with digits, a long sequence)
    return "-".join(found.groups())


def looks_like_number(text: str) -> bool:
    return bool(PATTERN.match(text))
