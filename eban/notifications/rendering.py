"""Templates with named fields: `您的{matter}申请（办件编号{case_number}）已受理。`

- A field is a plain name in braces; `{{` and `}}` write a brace itself. Nothing else is
  allowed inside braces (no `{a.b}`, `{a[0]}`, `{a!r}`, `{a:>5}`, `{}` or `{0}`): a template
  edited in the back office cannot reach into the objects behind the values.
- `check(text, allowed)` lists what is wrong with a text (malformed braces, fields outside
  `allowed`); the back office shows it when a template is saved.
- `render(text, context, language=)` refuses a field the template uses but the context lacks
  (or gives as None or empty), and a field that is not a known one, with an error naming them.
  Context keys the template does not use are ignored: a caller passes every field of the kind
  and a version of the template may use fewer.

Values: dates as 2025年10月9日 / 9 October 2025, times added for datetimes (local time), lists
joined with "；" / "; ", anything else through str() in the message's language.
"""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from .kinds import FIELDS

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class TemplateError(DomainError):
    """A template cannot be saved or rendered; `errors` lists each problem in plain words."""

    code = "template"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors), details=list(errors))
        self.errors = list(errors)


def _parse(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(text or ""))
    except ValueError as error:
        raise TemplateError(
            [
                _(
                    "The text has a brace that does not open or close a field (%(problem)s). Write {{ or }} for a brace itself."
                )
                % {"problem": str(error)}
            ]
        ) from None


def _field_errors(text: str) -> tuple[set[str], list[str]]:
    """The plain field names used in `text`, and the errors of anything else in braces."""
    names: set[str] = set()
    errors: list[str] = []
    for _literal, name, spec, conversion in _parse(text):
        if name is None:
            continue
        if not _NAME.match(name) or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            errors.append(
                _("%(field)s is not a field: write a field as its name in braces, such as {case_number}.")
                % {"field": shown}
            )
            continue
        names.add(name)
    return names, errors


def fields_of(*texts: str) -> set[str]:
    """The named fields used in the texts (a subject and a body)."""
    names: set[str] = set()
    for text in texts:
        found, errors = _field_errors(text)
        if errors:
            raise TemplateError(errors)
        names |= found
    return names


def fields(template: Any) -> set[str]:
    """The named fields a template (anything with `.subject` and `.body`) uses."""
    return fields_of(template.subject or "", template.body or "")


def check(texts: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """What is wrong with these texts for a template whose kind supplies `allowed`: [] when fine."""
    allowed = set(allowed)
    errors: list[str] = []
    used: set[str] = set()
    for text in texts:
        try:
            found, problems = _field_errors(text)
        except TemplateError as error:
            errors.extend(error.errors)
            continue
        errors.extend(problems)
        used |= found
    unknown = sorted(used - allowed)
    if unknown:
        errors.append(
            _("Unknown fields: %(unknown)s. This message can use: %(allowed)s.")
            % {
                "unknown": ", ".join("{" + name + "}" for name in unknown),
                "allowed": ", ".join("{" + name + "}" for name in sorted(allowed)) or "—",
            }
        )
    return errors


def format_value(value: Any, language: str) -> str:
    chinese = not language.startswith("en")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{format_value(value.date(), language)} {value:%H:%M}"
    if isinstance(value, datetime.date):
        if chinese:
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, list | tuple):
        return ("；" if chinese else "; ").join(format_value(item, language) for item in value)
    return str(value)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    return False


def render(text: str, context: Mapping[str, Any], *, language: str) -> str:
    """The text with each field replaced by its value from `context` (see the module's doc)."""
    parts = _parse(text)
    used, errors = _field_errors(text)
    if errors:
        raise TemplateError(errors)
    unknown = sorted(used - set(FIELDS))
    missing = sorted(name for name in used - set(unknown) if _missing(context.get(name)))
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(
                _("The template uses unknown fields: %(fields)s.")
                % {"fields": ", ".join("{" + n + "}" for n in unknown)}
            )
        if missing:
            problems.append(
                _("No value was given for: %(fields)s.")
                % {"fields": ", ".join("{" + n + "}" for n in missing)}
            )
        raise TemplateError(problems)
    out: list[str] = []
    with translation.override(language):
        for literal, name, _spec, _conversion in parts:
            out.append(literal)
            if name is not None:
                out.append(format_value(context[name], language))
    return "".join(out)


def one_line(text: str) -> str:
    """A subject on one line (a newline in an e-mail header would be refused)."""
    return " ".join((text or "").split())
