"""Application forms as data: a small subset of JSON Schema, one per matter (MatterSetup.form_schema).

The same schema is checked when staff save it, rendered on the web and on the kiosk, and
validated on the server when an application arrives:

    {"type": "object",
     "properties": {
        "purpose": {"type": "string", "title": {"zh-hans": "用途", "en": "Purpose"},
                    "enum": ["bank", "school", "other"],
                    "enumNames": {"zh-hans": ["银行", "学校", "其他"], "en": ["Bank", "School", "Other"]}},
        "copies":  {"type": "integer", "title": "份数", "minimum": 1, "maximum": 5, "default": 1},
        "note":    {"type": "string", "title": "备注", "maxLength": 200}},
     "required": ["purpose"]}

Types: string (minLength, maxLength, pattern, enum, format: date | phone | id_number),
integer and number (minimum, maximum, enum), boolean. Titles and descriptions are a string or
a {language: text} mapping. Properties keep the order they are written in.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eban.accounts.identity.idnumbers import check_id_number
from eban.core.exceptions import DomainError

TYPES = {"string", "integer", "number", "boolean"}
KEYWORDS = {
    "string": {"minLength", "maxLength", "pattern", "enum", "enumNames", "format"},
    "integer": {"minimum", "maximum", "enum", "enumNames"},
    "number": {"minimum", "maximum", "enum", "enumNames"},
    "boolean": set(),
}
COMMON = {"type", "title", "description", "default"}
FORMATS = {"date", "phone", "id_number"}
MAX_FIELDS = 50
MAX_STRING = 2000
_PHONE = re.compile(r"^1[3-9]\d{9}$")


class FormSchemaError(DomainError):
    code = "form_schema"


class FormInvalid(DomainError):
    code = "form_invalid"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need correcting."), details={"fields": errors})
        self.errors = errors


def text(value: Any) -> str:
    """A title or description in the current language (a string, or {language: text})."""
    if isinstance(value, dict):
        language = (get_language() or "zh-hans").lower()
        for key in (language, language.split("-")[0], "zh-hans", "en"):
            if key in value:
                return str(value[key])
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _choice_names(spec: dict) -> list[str]:
    names = spec.get("enumNames")
    if isinstance(names, dict):
        language = (get_language() or "zh-hans").lower()
        names = (
            names.get(language)
            or names.get(language.split("-")[0])
            or names.get("zh-hans")
            or names.get("en")
        )
    values = spec.get("enum") or []
    if isinstance(names, list) and len(names) == len(values):
        return [str(n) for n in names]
    return [str(v) for v in values]


def check_schema(schema: Any) -> dict:
    """The schema if it is one eban can render and validate; FormSchemaError naming the place."""
    if schema in (None, {}):
        return {}
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise FormSchemaError(_('A form is an object: {"type": "object", "properties": {...}}.'))
    unknown = set(schema) - {"type", "properties", "required", "title", "description"}
    if unknown:
        raise FormSchemaError(
            _("Unknown keyword in the form: %(words)s.") % {"words": ", ".join(sorted(unknown))}
        )
    properties = schema.get("properties") or {}
    if not isinstance(properties, dict) or len(properties) > MAX_FIELDS:
        raise FormSchemaError(_("“properties” must map field names to fields (at most 50)."))
    for name, spec in properties.items():
        where = f"properties.{name}"
        if not re.match(r"^[a-z][a-z0-9_]{0,39}$", name):
            raise FormSchemaError(
                _("%(where)s: a field name is lower-case letters, digits and _.") % {"where": where}
            )
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            raise FormSchemaError(
                _("%(where)s: “type” must be one of %(types)s.")
                % {"where": where, "types": ", ".join(sorted(TYPES))}
            )
        allowed = COMMON | KEYWORDS[spec["type"]]
        extra = set(spec) - allowed
        if extra:
            raise FormSchemaError(
                _("%(where)s: unknown keyword %(words)s.")
                % {"where": where, "words": ", ".join(sorted(extra))}
            )
        if "format" in spec and spec["format"] not in FORMATS:
            raise FormSchemaError(
                _("%(where)s: “format” must be one of %(formats)s.")
                % {"where": where, "formats": ", ".join(sorted(FORMATS))}
            )
        if "pattern" in spec:
            try:
                re.compile(spec["pattern"])
            except (re.error, TypeError) as error:
                raise FormSchemaError(
                    _("%(where)s: the pattern is not a valid regular expression.") % {"where": where}
                ) from error
        if "enum" in spec and (not isinstance(spec["enum"], list) or not spec["enum"]):
            raise FormSchemaError(_("%(where)s: “enum” must be a non-empty list.") % {"where": where})
        for bound in ("minimum", "maximum", "minLength", "maxLength"):
            if bound in spec and not isinstance(spec[bound], int | float):
                raise FormSchemaError(
                    _("%(where)s: “%(word)s” must be a number.") % {"where": where, "word": bound}
                )
    required = schema.get("required") or []
    if not isinstance(required, list) or any(r not in properties for r in required):
        raise FormSchemaError(_("“required” must list fields of the form."))
    return schema


@dataclass
class FormField:
    """A field as the templates render it."""

    name: str
    kind: str  # text, textarea, number, select, checkbox, date, tel
    label: str
    help: str = ""
    required: bool = False
    value: Any = ""
    error: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


def _kind(spec: dict) -> str:
    if "enum" in spec:
        return "select"
    if spec["type"] == "boolean":
        return "checkbox"
    if spec["type"] in ("integer", "number"):
        return "number"
    if spec.get("format") == "date":
        return "date"
    if spec.get("format") == "phone":
        return "tel"
    if spec.get("maxLength", 0) > 200:
        return "textarea"
    return "text"


def fields(schema: dict, data: dict | None = None, errors: dict | None = None) -> list[FormField]:
    """The fields to render, with the values given (or the defaults) and their errors."""
    data, errors = data or {}, errors or {}
    required = set(schema.get("required") or [])
    out = []
    for name, spec in (schema.get("properties") or {}).items():
        attrs = {}
        for key, attr in (
            ("minimum", "min"),
            ("maximum", "max"),
            ("maxLength", "maxlength"),
            ("minLength", "minlength"),
        ):
            if key in spec:
                attrs[attr] = spec[key]
        choices = list(zip([str(v) for v in spec.get("enum", [])], _choice_names(spec), strict=False))
        out.append(
            FormField(
                name=name,
                kind=_kind(spec),
                label=text(spec.get("title")) or name,
                help=text(spec.get("description")),
                required=name in required,
                value=data.get(name, spec.get("default", "")),
                error=errors.get(name, ""),
                choices=choices,
                attrs=attrs,
            )
        )
    return out


def _clean_value(spec: dict, raw: Any) -> Any:
    """One answer converted to its type, or ValueError with the message to show."""
    kind = spec["type"]
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        return str(raw).lower() in ("1", "true", "on", "yes")
    if kind in ("integer", "number"):
        try:
            value = int(str(raw).strip()) if kind == "integer" else float(str(raw).strip())
        except ValueError:
            raise ValueError(
                _("Enter a whole number.") if kind == "integer" else _("Enter a number.")
            ) from None
        if "minimum" in spec and value < spec["minimum"]:
            raise ValueError(_("At least %(n)s.") % {"n": spec["minimum"]})
        if "maximum" in spec and value > spec["maximum"]:
            raise ValueError(_("At most %(n)s.") % {"n": spec["maximum"]})
        if "enum" in spec and value not in spec["enum"]:
            raise ValueError(_("Choose one of the options."))
        return value
    value = " ".join(str(raw).split()) if spec.get("maxLength", 0) <= 200 else str(raw).strip()
    if len(value) > min(spec.get("maxLength", MAX_STRING), MAX_STRING):
        raise ValueError(
            _("At most %(n)s characters.") % {"n": min(spec.get("maxLength", MAX_STRING), MAX_STRING)}
        )
    if len(value) < spec.get("minLength", 0):
        raise ValueError(_("At least %(n)s characters.") % {"n": spec["minLength"]})
    if "enum" in spec and value not in [str(v) for v in spec["enum"]]:
        raise ValueError(_("Choose one of the options."))
    if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
        raise ValueError(_("This is not in the expected form."))
    fmt = spec.get("format")
    if fmt == "date":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if fmt == "phone" and not _PHONE.match(value):
        raise ValueError(_("Enter an 11-digit mainland mobile number starting with 1."))
    if fmt == "id_number":
        check = check_id_number(value)
        if not check.valid:
            raise ValueError(check.reason)
        return check.normalized
    return value


def validate(schema: dict, submitted: dict) -> dict:
    """The answers cleaned and typed; FormInvalid with a message per field otherwise. Answers to
    fields the form does not have are dropped, never stored."""
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    data, errors = {}, {}
    for name, spec in properties.items():
        raw = submitted.get(name)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty and spec["type"] != "boolean":
            if name in required:
                errors[name] = _("This is required.")
            continue
        try:
            data[name] = _clean_value(spec, False if raw is None else raw)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise FormInvalid(errors)
    return data


def from_post(schema: dict, post) -> dict:
    """The raw answers of a POSTed form (checkboxes absent when unticked)."""
    out = {}
    for name, spec in (schema.get("properties") or {}).items():
        if spec["type"] == "boolean":
            out[name] = name in post
        elif name in post:
            out[name] = post.get(name)
    return out
