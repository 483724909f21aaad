"""The import report: every problem with its sheet, row and column, in Chinese and English.

Messages are gettext msgids in English; the Chinese line comes from the zh-hans catalogue
when it has the message, else from the Chinese rendering kept beside the msgid here, so a
report is always bilingual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from eban.core.exceptions import DomainError

# key -> (English msgid, Chinese rendering)
MESSAGES: dict[str, tuple[Any, str]] = {
    "required": (_("This field is required."), "此项必填。"),
    "too_long": (_("Too long: at most %(max)d characters."), "内容过长：最多 %(max)d 个字符。"),
    "not_text": (_("Must be text."), "应为文本。"),
    "not_object": (_("Must be an object with named fields."), "应为包含字段名的对象。"),
    "not_list": (_("Must be a list."), "应为列表。"),
    "empty_item": (_("Each item must be non-empty text on one line."), "每一项都应为单行非空文本。"),
    "bad_code": (
        _("Use 2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
        "编码应为2至64位字母、数字、点、短横线或下划线，并以字母或数字开头。",
    ),
    "duplicate_code": (
        _("The code %(code)s appears more than once (first at %(first)s)."),
        "编码 %(code)s 重复出现（首次出现于 %(first)s）。",
    ),
    "bad_choice": (_("“%(value)s” is not one of: %(choices)s."), "“%(value)s”不是可选值之一：%(choices)s。"),
    "unknown_department": (_("No department has the code “%(value)s”."), "不存在编码为“%(value)s”的部门。"),
    "unknown_division": (_("No division has the code “%(value)s”."), "不存在编码为“%(value)s”的行政区划。"),
    "unknown_theme": (
        _("No theme has the code or name “%(value)s”."),
        "不存在编码或名称为“%(value)s”的主题。",
    ),
    "unknown_life_event": (
        _("No life event has the code or name “%(value)s”."),
        "不存在编码或名称为“%(value)s”的人生事件。",
    ),
    "not_integer": (
        _("Must be a whole number from %(min)d to %(max)d."),
        "应为 %(min)d 至 %(max)d 之间的整数。",
    ),
    "not_boolean": (_("Must be yes or no (是/否)."), "应为“是”或“否”。"),
    "no_channel": (_("Offer the matter through at least one channel."), "至少选择一个办理渠道。"),
    "time_limit_missing": (
        _("Give the promised time limit, or mark the matter completed on the spot."),
        "请填写承诺时限，或标记为当场办结。",
    ),
    "promised_exceeds": (
        _("The promised time limit cannot exceed the statutory one."),
        "承诺时限不能超过法定时限。",
    ),
    "fee_missing": (_("Give the fee, or mark the matter free of charge."), "请填写收费金额，或标记为免费。"),
    "fee_on_free": (_("A free matter has no fee amount."), "免费事项不应填写收费金额。"),
    "bad_amount": (
        _("Must be an amount in yuan, at least 0, with at most 2 decimals."),
        "应为不小于0、最多两位小数的金额（元）。",
    ),
    "unknown_field": (_("Unknown field “%(name)s”."), "无法识别的字段“%(name)s”。"),
    "bad_format": (
        _("Not an eban.matters/1 file: the “format” field must be “eban.matters/1”."),
        "不是 eban.matters/1 格式的文件：“format”字段应为“eban.matters/1”。",
    ),
    "no_matters_list": (_("The file has no “matters” list."), "文件中没有“matters”列表。"),
    "unknown_matter": (
        _("No matter with the code “%(code)s” in the matters sheet."),
        "事项表中没有编码为“%(code)s”的事项。",
    ),
    "missing_sheet": (_("The workbook has no sheet “%(sheet)s”."), "工作簿中缺少工作表“%(sheet)s”。"),
    "missing_column": (_("The required column “%(name)s” is missing."), "缺少必需的列“%(name)s”。"),
    "unknown_column": (_("Unknown column “%(name)s”."), "无法识别的列“%(name)s”。"),
    "unreadable": (_("The file cannot be read: %(error)s"), "无法读取文件：%(error)s"),
    "unsupported_type": (
        _("Unsupported file type “%(ext)s”: use .xlsx or .json."),
        "不支持的文件类型“%(ext)s”：请使用 .xlsx 或 .json 文件。",
    ),
    "file_too_large": (
        _("The file is too large: %(size)d MB, at most %(max)d MB. Split it into several files."),
        "文件过大：%(size)d MB，最多 %(max)d MB。请拆分为多个文件后导入。",
    ),
    "unpacked_too_large": (
        _(
            "The workbook unpacks to more than %(max)d MB (at least %(size)d MB). Split it into several files."
        ),
        "工作簿解压后超过 %(max)d MB（至少 %(size)d MB）。请拆分为多个文件后导入。",
    ),
    "packed_too_tightly": (
        _(
            "The part “%(part)s” of the workbook is compressed more than %(ratio)d times: not a catalogue workbook."
        ),
        "工作簿中的“%(part)s”压缩比超过 %(ratio)d 倍，不是事项目录工作簿。",
    ),
    "too_many_parts": (
        _("The workbook has %(count)d parts, at most %(max)d."),
        "工作簿包含 %(count)d 个部件，最多 %(max)d 个。",
    ),
    "too_many_rows": (
        _("The sheet “%(name)s” has more than %(max)d rows. Split the file into several files."),
        "工作表“%(name)s”超过 %(max)d 行。请拆分为多个文件后导入。",
    ),
    "too_many_matters": (
        _("The file has more than %(max)d matters. Split it into several files."),
        "文件中的事项超过 %(max)d 个。请拆分为多个文件后导入。",
    ),
    "too_many_problems": (
        _("Stopped after %(count)d problems; fix these and import again."),
        "已发现 %(count)d 个问题，后续未再检查；请修正后重新导入。",
    ),
}

MAX_PROBLEMS = 1000


def render(key: str, params: dict[str, Any] | None = None) -> tuple[str, str]:
    """The message in Chinese and in English."""
    msgid, chinese = MESSAGES[key]
    params = params or {}
    with translation.override("en"):
        english = str(msgid)
    with translation.override("zh-hans"):
        translated = str(msgid)
    zh = translated if translated != english else chinese
    return zh % params if params else zh, english % params if params else english


@dataclass
class Problem:
    """What is wrong, and where: sheet (or "matters" for JSON), row, column (or field path)."""

    sheet: str
    row: int | None
    column: str
    message_zh: str
    message_en: str

    @classmethod
    def make(cls, sheet: str, row: int | None, column: str, key: str, **params: Any) -> Problem:
        zh, en = render(key, params)
        return cls(sheet, row, column, zh, en)

    def where_zh(self) -> str:
        parts = [f"工作表“{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列“{self.column}”")
        return "，".join(parts)

    def where_en(self) -> str:
        parts = [f"sheet “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column “{self.column}”")
        return ", ".join(parts)

    def line(self) -> str:
        return f"{self.where_zh()}：{self.message_zh} / {self.where_en()}: {self.message_en}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


@dataclass
class ImportReport:
    """The outcome of an import: what was (or, in a dry run, would be) created and updated."""

    source: str = ""
    total: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, sheet: str, row: int | None, column: str, key: str, **params: Any) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem.make(sheet, row, column, key, **params))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(Problem.make("", None, "", "too_many_problems", count=MAX_PROBLEMS))

    def summary_lines(self) -> list[str]:
        if not self.ok:
            return [
                f"导入被拒绝：发现 {len(self.problems)} 个问题，事项目录未作任何更改。"
                f" / Import refused: {len(self.problems)} problem(s) found; the catalogue was not changed."
            ]
        prefix_zh, prefix_en = (
            ("试导入（未保存）", "Dry run (nothing saved)") if self.dry_run else ("导入完成", "Imported")
        )
        return [
            f"{prefix_zh}：共 {self.total} 个事项，新增 {len(self.created)} 个，更新 {len(self.updated)} 个，"
            f"未变 {self.unchanged} 个。 / {prefix_en}: {self.total} matter(s), {len(self.created)} created, "
            f"{len(self.updated)} updated, {self.unchanged} unchanged."
        ]

    def lines(self) -> list[str]:
        return self.summary_lines() + [p.line() for p in self.problems]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [p.as_dict() for p in self.problems],
            "summary": self.summary_lines(),
        }


class ImportRejected(DomainError):
    """The import found problems; nothing was saved. `report` lists them."""

    code = "import_rejected"

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__("\n".join(report.lines()[:20]), details=report.as_dict())
