"""The issuer's seal image on a certificate: a red ring, the department's name around the top,
and 样例 / SAMPLE across the middle.

It is deliberately not a copy of an official seal (公章): an official seal has a five-pointed star
in the middle and is made by a licensed engraver; this one has no star, says 样例 (sample) in
large characters, and is drawn by code from the department's name. The legal force of an
electronic certificate is its digital signature (see signing.py), not this picture.
"""

from __future__ import annotations

import math
from html import escape

RED = "#c8102e"


def seal_svg(department_name: str, *, size: int = 160, font_family: str = "Noto Sans CJK SC") -> str:
    """An inline SVG (square, `size` px) of the sample seal of `department_name`."""
    name = (department_name or "").strip()
    c = 100.0  # drawn in a 200×200 box, scaled to `size`
    ring, text_radius = 92.0, 72.0
    count = max(len(name), 1)
    font_size = 22.0 if count <= 10 else max(12.0, 22.0 * 10 / count)
    span = min(250.0, font_size * 1.08 * count / text_radius * 180 / math.pi)
    chars = []
    for i, ch in enumerate(name):
        angle = -90 - span / 2 + span * (i + 0.5) / count
        x = c + text_radius * math.cos(math.radians(angle))
        y = c + text_radius * math.sin(math.radians(angle))
        chars.append(
            f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({angle + 90:.2f} {x:.2f} {y:.2f})" '
            f'text-anchor="middle" dominant-baseline="central" font-size="{font_size:.1f}">{escape(ch)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seal" width="{size}" height="{size}" '
        f'viewBox="0 0 200 200" role="img" aria-label="{escape(name)} (样例 sample seal)">'
        f'<g fill="{RED}" font-family="{escape(font_family)}" font-weight="bold">'
        f'<circle cx="100" cy="100" r="{ring}" fill="none" stroke="{RED}" stroke-width="6"/>'
        f'<circle cx="100" cy="100" r="{ring - 9}" fill="none" stroke="{RED}" stroke-width="1.5"/>'
        + "".join(chars)
        + '<text x="100" y="118" text-anchor="middle" font-size="46" letter-spacing="4">样例</text>'
        + '<text x="100" y="150" text-anchor="middle" font-size="15" letter-spacing="3">SAMPLE</text>'
        + "</g></svg>"
    )
