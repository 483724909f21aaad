"""A matter's whole guide as a plain dict in the interchange format (docs/matter-format.md).

The one serialisation of a guide: the export, the API and the search index read it here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Matter

FORMAT = "eban.matters/1"


def _stream(value) -> list[Any]:
    """The plain values of a StreamField, in order."""
    out = []
    for block in value.raw_data:
        out.append(block["value"])
    return out


def matter_to_dict(matter: Matter) -> dict[str, Any]:
    fee_amount = matter.fee_amount
    return {
        "code": matter.code,
        "name": matter.name,
        "name_en": matter.name_en,
        "short_name": matter.short_name,
        "aliases": matter.alias_list,
        "keywords": matter.keyword_list,
        "summary": matter.summary,
        "category": matter.category,
        "themes": sorted(t.code for t in matter.themes.all()),
        "audience": matter.audience,
        "life_events": sorted(e.code for e in matter.life_events.all()),
        "department": matter.department.code,
        "divisions": sorted(d.code for d in matter.divisions.all()),
        "channels": matter.channels,
        "trips": matter.trips,
        "on_the_spot": matter.on_the_spot,
        "statutory_days": matter.statutory_days,
        "promised_days": matter.promised_days,
        "fee": {
            "free": matter.fee_free,
            "amount": str(fee_amount.quantize(Decimal("0.01"))) if fee_amount is not None else None,
            "basis": matter.fee_basis,
        },
        "legal_basis": _stream(matter.legal_basis),
        "conditions": _stream(matter.conditions),
        "materials": _stream(matter.materials),
        "process": _stream(matter.process),
        "place": matter.place,
        "hours": matter.hours,
        "consult_phone": matter.consult_phone,
        "complaint_phone": matter.complaint_phone,
        "faq": _stream(matter.faq),
        "is_sample": matter.is_sample,
    }
