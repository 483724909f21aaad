"""The State Council's yearly holiday notice as a CSV file: decoded, read and checked, with no
I/O of its own (`eban.workdays.actions.load_calendar_file` stores what it returns).

The file has the columns `date,kind,name`; every row is checked and all the problems are
reported at once (`CalendarFileRejected`), each with its row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from eban.core.exceptions import DomainError

from .calendar import HOLIDAY, WORKDAY, CalendarRow, special_day_problem

# Spellings accepted in a CSV file for each kind.
KIND_ALIASES = {
    "holiday": HOLIDAY,
    "休": HOLIDAY,
    "放假": HOLIDAY,
    "假": HOLIDAY,
    "workday": WORKDAY,
    "班": WORKDAY,
    "上班": WORKDAY,
}
CSV_COLUMNS = ("date", "kind", "name")
NAME_MAX_LENGTH = 50


@dataclass(frozen=True)
class RowError:
    """One problem in a holiday file. `row` counts lines from 1 (the header is row 1)."""

    row: int
    column: str
    template: str
    params: dict

    @property
    def message(self) -> str:
        text = str(self.template) % self.params
        if self.row:
            where = (
                _("Row %(row)s, column %(column)s") % {"row": self.row, "column": self.column}
                if self.column
                else _("Row %(row)s") % {"row": self.row}
            )
            return f"{where}: {text}"
        return text

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class CalendarFileRejected(DomainError):
    """A holiday file with problems; nothing was loaded. `errors` lists them all."""

    code = "calendar_file_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(
            _("The holiday file was refused (%(count)s problems); nothing was loaded.")
            % {"count": len(errors)},
            details=[e.as_dict() for e in errors],
        )


def decode_calendar_file(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else GB18030 (Excel in China)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise CalendarFileRejected(
                [RowError(0, "", _("The file is not a UTF-8 or GBK text (CSV) file."), {})]
            ) from exc


def parse_calendar_csv(text: str) -> list[CalendarRow]:
    """Read a holiday file with the columns `date,kind,name`; every row is checked and
    all the problems are reported at once (`CalendarFileRejected`)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    errors: list[RowError] = []
    header = next(reader, None)
    wanted = ", ".join(CSV_COLUMNS)
    if header is None:
        raise CalendarFileRejected(
            [RowError(0, "", _("The file is empty; expected the columns %(columns)s."), {"columns": wanted})]
        )
    if [h.strip().lower() for h in header] != list(CSV_COLUMNS):
        raise CalendarFileRejected(
            [
                RowError(
                    1,
                    "",
                    _("The first row must be the header %(columns)s, not %(found)s."),
                    {"columns": wanted, "found": ", ".join(header) or "—"},
                )
            ]
        )
    rows: list[CalendarRow] = []
    seen: dict[date, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(CSV_COLUMNS):
            errors.append(
                RowError(
                    number,
                    "",
                    _("Expected 3 values (date, kind, name), found %(count)s."),
                    {"count": len(cells)},
                )
            )
            continue
        raw_date, raw_kind, name = (c.strip() for c in cells)
        row_errors = len(errors)
        try:
            d = date.fromisoformat(raw_date)
            if len(raw_date) != 10:
                raise ValueError(raw_date)
        except ValueError:
            d = None
            errors.append(
                RowError(
                    number,
                    "date",
                    _("“%(value)s” is not a date; write it as YYYY-MM-DD."),
                    {"value": raw_date},
                )
            )
        kind = KIND_ALIASES.get(raw_kind.lower())
        if kind is None:
            errors.append(
                RowError(
                    number,
                    "kind",
                    _("“%(value)s” is not a kind of day; write holiday or workday."),
                    {"value": raw_kind},
                )
            )
        if len(name) > NAME_MAX_LENGTH:
            errors.append(
                RowError(
                    number, "name", _("The name is longer than %(max)s characters."), {"max": NAME_MAX_LENGTH}
                )
            )
        if d is not None and kind is not None:
            problem = special_day_problem(d, kind)
            if problem:
                errors.append(RowError(number, "date", *problem))
        if d is not None and d in seen:
            errors.append(
                RowError(
                    number,
                    "date",
                    _("%(date)s is already listed in row %(other)s."),
                    {"date": d.isoformat(), "other": seen[d]},
                )
            )
        if d is not None:
            seen.setdefault(d, number)
        if len(errors) == row_errors:
            rows.append(CalendarRow(d, kind, name))
    if not rows and not errors:
        errors.append(RowError(0, "", _("The file has no days in it, only the header."), {}))
    if errors:
        raise CalendarFileRejected(errors)
    return rows
