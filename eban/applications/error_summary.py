"""The error summary of an application form, as GOV.UK's pattern has it: a box at the top, titled
"There is a problem", one link per error to the field it is about, and each field's own message
next to it (applications/_error_summary.html, applications/_form_field.html; the web and the
kiosk render the same). Read only: it arranges the errors the apply path raised."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ErrorItem:
    href: str  # "#<id of the field>"
    text: str


@dataclass
class Summary:
    items: list[ErrorItem] = field(default_factory=list)
    materials: dict[int, str] = field(default_factory=dict)  # material's index → its message

    def __bool__(self) -> bool:
        return bool(self.items)


def field_id(name: str) -> str:
    """The id of a form field's control (applications/_form_field.html)."""
    return f"f-{name}"


def material_id(index: int) -> str:
    return f"m-{index}"


def for_application_form(message: str, code: str, fields, materials: list[dict], files: Any) -> Summary:
    """The summary for `fields` (with their errors), the materials left out when the apply path
    said so (`code` "materials_missing"), or the form-wide `message` otherwise."""
    summary = Summary()
    for item in fields:
        if item.error:
            text = _("%(label)s: %(error)s") % {"label": item.label, "error": item.error}
            summary.items.append(ErrorItem(f"#{field_id(item.name)}", text))
    if code == "materials_missing":
        for index, material in enumerate(materials):
            if material["required"] and not material["shared"] and not files.get(f"material-{index}"):
                text = _("Attach %(name)s.") % {"name": material["name"]}
                summary.materials[index] = text
                summary.items.append(ErrorItem(f"#{material_id(index)}", text))
    if message and not summary.items:
        summary.items.append(ErrorItem("#apply-form", message))
    return summary
