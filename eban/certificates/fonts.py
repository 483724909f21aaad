"""The CJK font certificates are printed with: Noto Sans / Serif CJK SC from Debian's
`fonts-noto-cjk`, found at run time and embedded (subset) in every PDF by WeasyPrint.

No font file is shipped with eban. WeasyPrint finds fonts through fontconfig, so the check
here asks fontconfig (`fc-list`) for the family; where fontconfig's tools are missing it looks
at the paths the Debian package installs. A machine without the font gets a clear error
instead of a PDF with empty boxes where the Chinese should be.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
KNOWN_PATHS = {
    SANS: [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ],
    SERIF: [
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto-cjk/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    ],
}


class FontMissing(RuntimeError):
    """The CJK font is not installed: no certificate can be printed."""


@dataclass(frozen=True)
class CJKFonts:
    sans: str  # CSS family names, as fontconfig knows them
    serif: str
    sans_path: str
    serif_path: str


def _fc_list(family: str) -> str | None:
    """The file of `family` according to fontconfig, or None."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(
            [fc_list, f"{family}:style=Regular", "file"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        path = line.strip().rstrip(":")
        if path:
            return path
    return None


def _known_path(family: str) -> str | None:
    for candidate in KNOWN_PATHS[family]:
        if Path(candidate).is_file():
            return candidate
    return None


@functools.cache
def cjk_fonts() -> CJKFonts:
    """The installed CJK fonts; raises FontMissing (with the fix) when the sans one is absent."""
    sans = _fc_list(SANS) or _known_path(SANS)
    if not sans:
        raise FontMissing(
            f"The CJK font '{SANS}' is not installed, so certificates cannot be printed in Chinese. "
            "Install Debian's fonts-noto-cjk package (apt-get install fonts-noto-cjk) and restart eban."
        )
    serif = _fc_list(SERIF) or _known_path(SERIF)
    # The serif face is optional (titles fall back to the sans face).
    return CJKFonts(sans=SANS, serif=SERIF if serif else SANS, sans_path=sans, serif_path=serif or sans)
