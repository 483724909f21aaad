"""Adding and changing terminals (the back office's writes; tokens are in actions/tokens.py).

    create_terminal({"code": "WZ-LC-0001", "name": "...", "level": "township", "division": division,
                     "address": "...", "latitude": 28.0, "longitude": 120.6, "hardware": ["printer"],
                     "opening_hours": {"always": True}, "matters": [matter.pk]}, actor=official)
    update_terminal(terminal, {"name": "...", ...}, actor=official)   # only the keys given change

Every field is checked before anything is written; a refusal is a TerminalInvalid (a
DomainError) whose `details` maps each field to its problem. The official must be a kiosk
operator whose scope holds the division (before and after a change). Atomic and audited
("kiosks.terminal.created" / "kiosks.terminal.changed", with the names of the fields changed).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eban.catalogue.models import Matter
from eban.core import audit
from eban.core.exceptions import DomainError, PermissionDenied
from eban.government.models import Division

from ..enums import Hardware, Level
from ..models import Terminal, terminal_code_validator
from ..permissions import divisions_for, may_operate, terminals_for

EDITABLE = (
    "code", "name", "name_en", "level", "division", "address", "latitude", "longitude", "hardware",
    "opening_hours", "active",
)  # fmt: skip


class TerminalInvalid(DomainError):
    status_code = 422
    code = "invalid_terminal"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            _("The terminal was not saved: %(problems)s") % {"problems": " ".join(errors.values())},
            details=errors,
        )
        self.errors = errors


def _text(data: dict, name: str, limit: int, errors: dict, *, required: bool, label: str) -> str:
    value = data.get(name, "")
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors[name] = _("%(field)s is required.") % {"field": label}
    elif len(value) > limit:
        errors[name] = _("%(field)s is at most %(limit)d characters.") % {"field": label, "limit": limit}
    return value


def _float(data: dict, name: str, low: float, high: float, errors: dict, label: str) -> float | None:
    try:
        value = float(str(data.get(name, "")).strip())
    except (TypeError, ValueError):
        errors[name] = _("%(field)s must be a number.") % {"field": label}
        return None
    if not math.isfinite(value) or not low <= value <= high:
        errors[name] = _("%(field)s must be between %(low)s and %(high)s.") % {
            "field": label,
            "low": low,
            "high": high,
        }
        return None
    return value


def _hours(value: Any, errors: dict) -> Any:
    """The opening hours checked by eban.kiosks.hours.check_hours (its normalised form if it
    returns one)."""
    from ..hours import check_hours

    try:
        checked = check_hours(value)
    except DomainError as error:
        errors["opening_hours"] = error.message
        return value
    except ValidationError as error:
        errors["opening_hours"] = " ".join(error.messages)
        return value
    except (TypeError, ValueError) as error:
        errors["opening_hours"] = str(error) or _("The opening hours are not valid.")
        return value
    if isinstance(checked, list | tuple):  # a list of problems
        if checked:
            errors["opening_hours"] = " ".join(str(p) for p in checked)
        return value
    return checked if isinstance(checked, dict) else value


def _division(value: Any, actor: Any, errors: dict) -> Division | None:
    if isinstance(value, Division):
        value = value.pk
    allowed = divisions_for(actor)
    division = None
    if value not in (None, ""):
        key = str(value).strip()
        division = (
            allowed.filter(pk=int(key)).first() if key.isdigit() and len(key) < 12 else None
        ) or allowed.filter(code=key).first()
    if division is None:
        errors["division"] = _("Choose a division within your scope.")
    return division


def clean(data: dict[str, Any], actor: Any, *, instance: Terminal | None = None) -> dict[str, Any]:
    """The checked values of the keys in `data` (all of them for a new terminal)."""
    new = instance is None
    wanted = set(EDITABLE) if new else {k for k in EDITABLE if k in data}
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if "code" in wanted:
        code = str(data.get("code") or "").strip().upper()
        try:
            terminal_code_validator(code)
        except ValidationError:
            errors["code"] = _("A terminal code is 3 to 32 capital letters, digits and hyphens.")
        else:
            others = Terminal.objects.filter(code=code)
            if instance is not None:
                others = others.exclude(pk=instance.pk)
            if instance is not None and code != instance.code and instance.token_hash:
                errors["code"] = _("The code of a terminal holding a token cannot change: revoke it first.")
            elif others.exists():
                errors["code"] = _("Another terminal has this code.")
        out["code"] = code
    if "name" in wanted:
        out["name"] = _text(data, "name", 100, errors, required=True, label=_("Name"))
    if "name_en" in wanted:
        out["name_en"] = _text(data, "name_en", 150, errors, required=False, label=_("English name"))
    if "address" in wanted:
        out["address"] = _text(data, "address", 200, errors, required=True, label=_("Address"))
    if "level" in wanted:
        level = str(data.get("level") or "")
        if level not in Level.values:
            errors["level"] = _("Choose a level.")
        out["level"] = level
    if "division" in wanted:
        out["division"] = _division(data.get("division"), actor, errors)
    if "latitude" in wanted:
        out["latitude"] = _float(data, "latitude", -90.0, 90.0, errors, _("Latitude"))
    if "longitude" in wanted:
        out["longitude"] = _float(data, "longitude", -180.0, 180.0, errors, _("Longitude"))
    if "hardware" in wanted:
        hardware = data.get("hardware") or []
        if isinstance(hardware, str) or not isinstance(hardware, list | tuple):
            hardware = [hardware]
        hardware = [str(h) for h in hardware]
        unknown = [h for h in hardware if h not in Hardware.values]
        if unknown:
            errors["hardware"] = _("Unknown hardware: %(codes)s.") % {"codes": ", ".join(unknown[:5])[:100]}
        out["hardware"] = [h for h in Hardware.values if h in hardware]  # known order, no repeats
    if "opening_hours" in wanted:
        out["opening_hours"] = _hours(data.get("opening_hours"), errors)
    if "active" in wanted:
        out["active"] = bool(data.get("active", True))
    if "matters" in data or new:
        raw = data.get("matters") or []
        ids = []
        for item in raw:
            item = item.pk if isinstance(item, Matter) else item
            if not str(item).isdigit() or len(str(item)) > 12:
                errors["matters"] = _("Unknown matter.")
                break
            ids.append(int(item))
        matters = list(Matter.objects.filter(pk__in=ids))
        if len(matters) != len(set(ids)):
            errors["matters"] = _("Unknown matter.")
        out["matters"] = matters
    if errors:
        raise TerminalInvalid(errors)
    return out


def _ensure_operator(actor: Any) -> None:
    if not may_operate(actor):
        raise PermissionDenied(_("Only kiosk operators may change terminals."))


def create_terminal(data: dict[str, Any], *, actor: Any) -> Terminal:
    _ensure_operator(actor)
    values = clean(data, actor)
    matters = values.pop("matters")
    with transaction.atomic():
        terminal = Terminal(**values)
        terminal.save()
        terminal.matters.set(matters)
        audit.record(
            actor,
            "kiosks.terminal.created",
            terminal,
            data={"code": terminal.code, "division": terminal.division.code, "level": terminal.level},
        )
    return terminal


def update_terminal(terminal: Terminal, data: dict[str, Any], *, actor: Any) -> Terminal:
    """Change the fields given in `data`; nothing is written (or audited) when nothing changed."""
    _ensure_operator(actor)
    with transaction.atomic():
        locked = terminals_for(actor).select_for_update().filter(pk=terminal.pk).first()
        if locked is None:
            raise PermissionDenied(_("This terminal is not within your scope."))
        values = clean(data, actor, instance=locked)
        matters = values.pop("matters", None)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        matters_changed = False
        if matters is not None:
            before = set(locked.matters.values_list("pk", flat=True))
            matters_changed = before != {m.pk for m in matters}
        if not changed and not matters_changed:
            return locked
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if matters_changed:
            locked.matters.set(matters)
        audit.record(
            actor,
            "kiosks.terminal.changed",
            locked,
            data={"fields": [*changed, *(["matters"] if matters_changed else [])]},
        )
    return locked
