"""GB/T 2260 administrative division codes, as found on ID numbers and credit codes. No I/O but
reading the packaged list once.

`data/region_codes.txt` holds every code that existed at any time from 1980 to 2020 (see
`data/make_region_codes.py` for its sources). The list is the union of all revisions because a
code stays on an ID number for life: a county renamed in 1995 is still on the cards of the
people registered there before.
"""

from __future__ import annotations

from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "region_codes.txt"

# The last year the packaged list covers: a county created later is not in it.
DATA_COMPLETE_UNTIL_YEAR = 2020

# The provinces' two-digit codes (GB/T 2260). 71 (Taiwan) is left out on purpose: no ID number or
# credit code is issued with it (Taiwan residents' residence permits use 830000, see below).
PROVINCES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
    }
)  # fmt: skip

# Residence permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证, since
# 2018-09) carry an 18-digit number of the same form with these region codes and no other.
RESIDENCE_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})

# Positions 3 to 8 of a credit code registered by a national authority.
NATIONAL_REGION = "100000"


def _load(path: Path = DATA_FILE) -> frozenset[str]:
    codes = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        prefix, *tails = line.split()
        codes.update(prefix + tail for tail in tails)
    return frozenset(codes)


# Every known six-digit code (historic ones included) whose province is in PROVINCES.
COUNTIES = frozenset(code for code in _load() if code[:2] in PROVINCES)
# The four-digit prefixes (province + prefecture) of those codes.
PREFECTURES = frozenset(code[:4] for code in COUNTIES)
