"""The .xlsx form of the interchange format: one sheet of matters, one sheet per list part.

Every header cell reads `<中文> <key>` (e.g. `事项编码 code`); the reader goes by the key (the
last word) or by the Chinese label alone. Rows of the list sheets are keyed by the matter code
and kept in the order of their `序号 no` column (then of the rows). See docs/catalogue.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from . import limits
from .report import ImportReport
from .schema import PARTS
from .xlsx_fast import FastWorkbook

MATTERS_SHEET = "事项 matters"
MAIN_COLUMNS = [
    ("code", "事项编码"),
    ("name", "事项名称"),
    ("name_en", "英文名称"),
    ("short_name", "简称"),
    ("aliases", "别名"),
    ("keywords", "关键词"),
    ("summary", "概述"),
    ("category", "事项类别"),
    ("themes", "主题"),
    ("audience", "服务对象"),
    ("life_events", "人生事件"),
    ("department", "实施部门"),
    ("divisions", "实施区划"),
    ("channels", "办理渠道"),
    ("trips", "跑动次数"),
    ("on_the_spot", "当场办结"),
    ("statutory_days", "法定时限"),
    ("promised_days", "承诺时限"),
    ("fee_free", "免费"),
    ("fee_amount", "收费金额"),
    ("fee_basis", "收费依据"),
    ("place", "办理地点"),
    ("hours", "办理时间"),
    ("consult_phone", "咨询电话"),
    ("complaint_phone", "投诉电话"),
    ("is_sample", "示例数据"),
]
PART_SHEETS = {
    "legal_basis": "法律依据 legal_basis",
    "conditions": "受理条件 conditions",
    "materials": "申请材料 materials",
    "process": "办理流程 process",
    "faq": "常见问题 faq",
}
PART_LABELS = {
    "title": "标题",
    "article": "条款",
    "condition": "条件",
    "name": "材料名称",
    "form": "形式",
    "copies": "份数",
    "required": "必需",
    "source": "来源",
    "note": "备注",
    "description": "说明",
    "question": "问题",
    "answer": "解答",
}
PART_TITLES = {("process", "title"): "步骤", ("legal_basis", "title"): "法律法规"}
REQUIRED_MAIN = ["code", "name", "category", "department", "channels"]
LIST_FIELDS = {"aliases", "keywords", "themes", "life_events", "divisions", "channels"}
CODE_LIST_FIELDS = {"themes", "life_events", "divisions", "channels"}
INT_FIELDS = {"trips", "statutory_days", "promised_days", "copies", "no"}
BOOL_FIELDS = {"on_the_spot", "fee_free", "is_sample", "required"}
TRUE = {"是", "yes", "y", "true", "1", "√", "✓", "必需", "需要"}
FALSE = {"否", "no", "n", "false", "0", "×", "非必需", "不需要", ""}
SPLIT_TEXT = re.compile(r"[\n;；]+")
SPLIT_CODES = re.compile(r"[\n;；,，、\s]+")


def part_columns(part: str) -> list[tuple[str, str]]:
    cols = [("code", "事项编码"), ("no", "序号")]
    for sub, _max, _req in PARTS[part]:
        cols.append((sub, PART_TITLES.get((part, sub), PART_LABELS[sub])))
    return cols


def header(key: str, label: str) -> str:
    return f"{label} {key}"


# --- writing ------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "\n".join(value)
    return value


def write_xlsx(data: dict[str, Any]) -> bytes:
    wb = Workbook(write_only=True)
    matters = data["matters"]
    ws = wb.create_sheet(MATTERS_SHEET)
    ws.freeze_panes = "B2"
    ws.append([header(k, label) for k, label in MAIN_COLUMNS])
    for m in matters:
        row = []
        for key, _label in MAIN_COLUMNS:
            if key.startswith("fee_"):
                value = m["fee"][key.removeprefix("fee_")]
            else:
                value = m[key]
            row.append(_cell(value))
        ws.append(row)
    for part, title in PART_SHEETS.items():
        ws = wb.create_sheet(title)
        ws.freeze_panes = "C2"
        cols = part_columns(part)
        ws.append([header(k, label) for k, label in cols])
        for m in matters:
            for n, item in enumerate(m[part], start=1):
                if part == "conditions":
                    ws.append([m["code"], n, item])
                else:
                    ws.append([m["code"], n] + [_cell(item[k]) for k, _l in cols[2:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------


def _convert(key: str, value: Any) -> Any:
    """Best-effort conversion of a cell to the JSON form; anything odd is left for the checks."""
    if isinstance(value, str):
        value = value.strip()
    if key in LIST_FIELDS:
        if value is None:
            return []
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        if isinstance(value, str):
            splitter = SPLIT_CODES if key in CODE_LIST_FIELDS else SPLIT_TEXT
            return [v.strip() for v in splitter.split(value) if v.strip()]
        return value
    if key in INT_FIELDS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return None if value == "" else value
    if key in BOOL_FIELDS:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in TRUE:
            return True
        if isinstance(value, str) and value.lower() in FALSE:
            return False if value else None
        return value
    if key == "code" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    if key == "fee_amount":
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "" if value is None else value


def _strip_or(key: str):
    """A converter for column `key`: strips text cells at once (most cells), else `_convert`."""
    if key in LIST_FIELDS or key in INT_FIELDS or key in BOOL_FIELDS:
        return lambda value: _convert(key, value)

    def convert(value: Any) -> Any:
        if value.__class__ is str:
            return value.strip()
        return _convert(key, value)

    return convert


def _column_map(
    sheet: str, headers: tuple, known: list[tuple[str, str]], required: list[str], report: ImportReport
) -> dict[str, int] | None:
    by_key = {k: k for k, _l in known} | {label: k for k, label in known}
    columns: dict[str, int] = {}
    for i, cell in enumerate(headers):
        if cell is None or str(cell).strip() == "":
            continue
        text = str(cell).strip()
        key = (
            by_key.get(text.split()[-1].lower())
            or by_key.get(text.split()[-1])
            or by_key.get(text.split()[0])
        )
        if key is None:
            report.add(sheet, 1, f"{get_column_letter(i + 1)} ({text})", "unknown_column", name=text)
        else:
            columns[key] = i
    missing = [k for k in required if k not in columns]
    for key in missing:
        label = dict(known)[key]
        report.add(sheet, 1, header(key, label), "missing_column", name=header(key, label))
    return None if missing else columns


class _Where:
    """Maps a field of one matter to its sheet, row and column in the workbook."""

    def __init__(self, row: int, main_cols: dict[str, int], parts: dict[str, list[int]], part_cols):
        self.row = row
        self.main_cols = main_cols
        self.parts = parts  # part -> row numbers of its items
        self.part_cols = part_cols  # part -> {sub: column index}

    def __call__(
        self, field: str, index: int | None = None, sub: str | None = None
    ) -> tuple[str, int | None, str]:
        if field in PART_SHEETS:
            rows = self.parts.get(field, [])
            row = rows[index] if index is not None and index < len(rows) else None
            col = self.part_cols.get(field, {}).get(sub or "")
            label = dict(part_columns(field)).get(sub or "", "")
            column = (
                f"{get_column_letter(col + 1)} ({header(sub, label)})" if col is not None else (sub or field)
            )
            return PART_SHEETS[field], row, column
        key = f"fee_{sub}" if field == "fee" and sub else field
        if key == "fee":
            key = "fee_free"
        col = self.main_cols.get(key)
        label = dict(MAIN_COLUMNS).get(key, "")
        column = f"{get_column_letter(col + 1)} ({header(key, label)})" if col is not None else key
        return MATTERS_SHEET, self.row, column


def _blank(value: Any) -> bool:
    return value is None or (value.strip() == "" if value.__class__ is str else str(value).strip() == "")


def _rows(ws) -> Iterator[tuple[int, tuple]]:
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > limits.MAX_ROWS:  # a hard stop, whatever the checks before parsing let through
            limits.check_row_number(ws.title, n)
        if n == 1 or not all(map(_blank, row)):
            yield n, row


def read_xlsx(content: bytes, report: ImportReport) -> list[tuple[dict[str, Any], _Where]]:
    """The matters of a workbook with where each field came from (problems go to `report`)."""
    try:
        wb = FastWorkbook(io.BytesIO(content))
    except Exception:  # not a plain workbook: let openpyxl try (and say what is wrong)
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            report.add("", None, "", "unreadable", error=str(exc) or type(exc).__name__)
            return []
    try:
        return _read(wb, report)
    except limits.TooLarge as too_large:
        too_large.report_to(report)
        return []
    finally:
        wb.close()


def _find_sheet(wb, title: str):
    key = title.split()[-1]
    for ws in wb.worksheets:
        name = ws.title.strip()
        if name == title or name.split()[-1].lower() == key or name.split()[0] == title.split()[0]:
            return ws
    return None


def _read(wb, report: ImportReport) -> list[tuple[dict[str, Any], _Where]]:
    ws = _find_sheet(wb, MATTERS_SHEET)
    if ws is None:
        report.add(MATTERS_SHEET, None, "", "missing_sheet", sheet=MATTERS_SHEET)
        return []
    sheet = ws.title
    rows = _rows(ws)
    first = next(rows, None)
    cols = (
        _column_map(sheet, first[1] if first else (), MAIN_COLUMNS, REQUIRED_MAIN, report) if first else None
    )
    if first is None:
        report.add(sheet, 1, "", "missing_column", name=header("code", "事项编码"))
    if cols is None:
        return []
    records: list[tuple[dict[str, Any], _Where]] = []
    by_code: dict[str, tuple[dict[str, Any], _Where]] = {}
    part_cols: dict[str, dict[str, int]] = {}
    main = [(key, i, _strip_or(key)) for key, i in cols.items() if not key.startswith("fee_")]
    fees = [
        (key.removeprefix("fee_"), i, _strip_or(key)) for key, i in cols.items() if key.startswith("fee_")
    ]
    for n, row in rows:
        width = len(row)
        raw: dict[str, Any] = {key: convert(row[i] if i < width else None) for key, i, convert in main}
        fee = {key: convert(row[i] if i < width else None) for key, i, convert in fees}
        if fee:
            raw["fee"] = fee
        for part in PART_SHEETS:
            raw[part] = []
        where = _Where(n, cols, {part: [] for part in PART_SHEETS}, part_cols)
        records.append((raw, where))
        if len(records) > limits.MAX_MATTERS:
            limits.check_matter_count(len(records))
        code = raw.get("code")
        if isinstance(code, str) and code and code not in by_code:
            by_code[code] = (raw, where)

    for part, title in PART_SHEETS.items():
        ws = _find_sheet(wb, title)
        if ws is None:
            continue  # a workbook may leave out a part it does not use
        known = part_columns(part)
        rows = _rows(ws)
        first = next(rows, None)
        if first is None:
            continue
        required = ["code", PARTS[part][0][0]]
        pcols = _column_map(ws.title, first[1], known, required, report)
        if pcols is None:
            continue
        part_cols[part] = pcols
        items: dict[str, list[tuple[Any, int, Any]]] = {}
        converters = [(key, i, _strip_or(key)) for key, i in pcols.items()]
        for n, row in rows:
            width = len(row)
            values = {key: convert(row[i] if i < width else None) for key, i, convert in converters}
            code = values.pop("code")
            number = values.pop("no", None)
            if code not in by_code:
                column = f"{get_column_letter(pcols['code'] + 1)} ({header('code', '事项编码')})"
                report.add(ws.title, n, column, "unknown_matter", code=code)
                continue
            if number is not None and not isinstance(number, int):
                column = f"{get_column_letter(pcols['no'] + 1)} ({header('no', '序号')})"
                report.add(ws.title, n, column, "not_integer", min=1, max=9999)
                number = None
            item = values.get("condition") if part == "conditions" else values
            items.setdefault(code, []).append((number if number is not None else 10**9, n, item))
        for code, found in items.items():
            found.sort(key=lambda t: (t[0], t[1]))
            raw, where = by_code[code]
            raw[part] = [item for _no, _n, item in found]
            where.parts[part] = [n for _no, n, _item in found]
    return records
