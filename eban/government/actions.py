"""Writes to divisions and departments. Every change by staff goes to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from eban.core import audit

from .models import Department, Division

DIVISION_CREATE = "government.division.create"
DIVISION_UPDATE = "government.division.update"
DEPARTMENT_CREATE = "government.department.create"
DEPARTMENT_UPDATE = "government.department.update"

DIVISION_FIELDS = ("name", "name_en", "level", "is_sample")
DEPARTMENT_FIELDS = ("name", "name_en", "short_name", "phone", "address", "is_sample")


def _apply(instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ; return {field: [old, new]} for those."""
    changed = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if old != new:
            changed[field] = [old, new]
            setattr(instance, field, new)
    return changed


def upsert_division(
    *,
    code: str,
    name: str,
    level: str,
    parent_code: str | None = None,
    name_en: str = "",
    is_sample: bool = False,
    actor: Any = None,
) -> tuple[Division, bool]:
    """Create or update the division with this code; returns (division, changed). Writes nothing when
    the stored row already matches."""
    with transaction.atomic():
        parent = Division.objects.get(code=parent_code) if parent_code else None
        values = {"name": name, "name_en": name_en, "level": level, "is_sample": is_sample}
        division = Division.objects.filter(code=code).first()
        if division is None:
            division = Division.objects.create(code=code, parent=parent, **values)
            audit.record(actor, DIVISION_CREATE, division, data={"code": code})
            return division, True
        changed = _apply(division, values)
        if division.parent_id != (parent.pk if parent else None):
            changed["parent"] = [division.parent.code if division.parent else None, parent_code]
            division.parent = parent
        if not changed:
            return division, False
        division.save()
        audit.record(actor, DIVISION_UPDATE, division, data={"changed": _printable(changed)})
        return division, True


def upsert_department(
    *,
    code: str,
    name: str,
    division_code: str,
    name_en: str = "",
    short_name: str = "",
    phone: str = "",
    address: str = "",
    is_sample: bool = False,
    actor: Any = None,
) -> tuple[Department, bool]:
    """Create or update the department with this code; returns (department, changed)."""
    with transaction.atomic():
        division = Division.objects.get(code=division_code)
        values = {
            "name": name,
            "name_en": name_en,
            "short_name": short_name,
            "phone": phone,
            "address": address,
            "is_sample": is_sample,
        }
        department = Department.objects.filter(code=code).first()
        if department is None:
            department = Department.objects.create(code=code, division=division, **values)
            audit.record(actor, DEPARTMENT_CREATE, department, data={"code": code})
            return department, True
        changed = _apply(department, values)
        if department.division_id != division.pk:
            changed["division"] = [department.division.code, division_code]
            department.division = division
        if not changed:
            return department, False
        department.save()
        audit.record(actor, DEPARTMENT_UPDATE, department, data={"changed": _printable(changed)})
        return department, True


def _printable(changed: dict[str, list[Any]]) -> dict[str, list[str]]:
    return {field: [str(old), str(new)] for field, (old, new) in changed.items()}
