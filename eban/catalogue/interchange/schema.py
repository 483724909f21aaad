"""Checking one matter of the interchange format and bringing it to its one canonical form.

The canonical form is exactly what `eban.catalogue.guide.matter_to_dict` returns, so an
incoming matter and a stored one compare equal when nothing changed. Every problem goes to
the report with the place it was found (`where(field, index, subfield)` gives sheet, row, column).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from eban.government.models import Department, Division

from ..enums import Audience, Category, Channel, MaterialForm, MaterialSource
from ..models import LifeEvent, Theme
from .report import ImportReport

FORMAT = "eban.matters/1"

# The fields of a matter, in canonical order (as matter_to_dict gives them).
FIELDS = [
    "code", "name", "name_en", "short_name", "aliases", "keywords", "summary", "category", "themes",
    "audience", "life_events", "department", "divisions", "channels", "trips", "on_the_spot",
    "statutory_days", "promised_days", "fee", "legal_basis", "conditions", "materials", "process",
    "place", "hours", "consult_phone", "complaint_phone", "faq", "is_sample",
]  # fmt: skip
FEE_FIELDS = ["free", "amount", "basis"]

# List parts of a guide: field -> (subfield, max length, required) in canonical order.
# "conditions" is a list of strings: its one subfield is "condition".
PARTS: dict[str, list[tuple[str, int | None, bool]]] = {
    "legal_basis": [("title", 200, True), ("article", None, False)],
    "conditions": [("condition", None, True)],
    "materials": [
        ("name", 200, True),
        ("form", None, False),
        ("copies", None, False),
        ("required", None, False),
        ("source", None, False),
        ("note", 500, False),
    ],
    "process": [("title", 100, True), ("description", None, False)],
    "faq": [("question", 300, True), ("answer", None, True)],
}

# Chinese labels accepted beside the codes (as people type them in Excel).
CATEGORY_LABELS = {
    "行政审批": "approval",
    "常用证明": "certificate",
    "自助缴费": "self_payment",
    "公共支付": "public_payment",
}
AUDIENCE_LABELS = {
    "个人": "person",
    "企业": "enterprise",
    "个人和企业": "both",
    "个人、企业": "both",
    "法人": "enterprise",
}
CHANNEL_LABELS = {"自助终端": "kiosk", "自助机": "kiosk", "网上": "online", "网办": "online", "网上办理": "online",
                  "窗口": "window", "海外": "overseas", "海外服务点": "overseas"}  # fmt: skip
FORM_LABELS = {"原件": "original", "复印件": "copy", "电子": "electronic", "电子件": "electronic"}
SOURCE_LABELS = {"申请人": "applicant", "申请人提供": "applicant", "共享": "shared", "数据共享": "shared"}
CHANNEL_ORDER = [c.value for c in Channel]
# The codes of each choice (Django's `Choices.values` builds a new list at each call).
CATEGORIES, AUDIENCES = Category.values, Audience.values
FORMS, SOURCES = MaterialForm.values, MaterialSource.values

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
AMOUNT_MAX = Decimal("99999999.99")

Where = Callable[..., tuple[str, int | None, str]]


@dataclass
class Refs:
    """The codes a matter may refer to, loaded once per import."""

    departments: set[str]
    divisions: set[str]
    themes: dict[str, str]  # code or name -> code
    life_events: dict[str, str]

    @classmethod
    def load(cls) -> Refs:
        themes, events = {}, {}
        for code, name in Theme.objects.values_list("code", "name"):
            themes[code] = themes[name] = code
        for code, name in LifeEvent.objects.values_list("code", "name"):
            events[code] = events[name] = code
        return cls(
            departments=set(Department.objects.values_list("code", flat=True)),
            divisions=set(Division.objects.values_list("code", flat=True)),
            themes=themes,
            life_events=events,
        )


class _Checker:
    def __init__(self, where: Where, report: ImportReport):
        self.where = where
        self.report = report
        self.failed = False

    def error(
        self, field: str, key: str, index: int | None = None, sub: str | None = None, **params: Any
    ) -> None:
        self.failed = True
        self.report.add(*self.where(field, index, sub), key, **params)

    def text(self, value: Any, field: str, *, max_len: int | None = None, required: bool = False,
             one_line: bool = False, index: int | None = None, sub: str | None = None) -> str:  # fmt: skip
        if value is None:
            value = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # a phone number typed as a number in Excel
        if not isinstance(value, str):
            self.error(field, "not_text", index, sub)
            return ""
        value = value.strip()
        if one_line and "\n" in value:
            value = " ".join(value.split())
        if required and not value:
            self.error(field, "required", index, sub)
        elif max_len is not None and len(value) > max_len:
            self.error(field, "too_long", index, sub, max=max_len)
        return value

    def boolean(self, value: Any, field: str, *, default: bool, index: int | None = None,
                sub: str | None = None) -> bool:  # fmt: skip
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        self.error(field, "not_boolean", index, sub)
        return default

    def integer(self, value: Any, field: str, *, low: int, high: int, default: int | None,
                index: int | None = None, sub: str | None = None) -> int | None:  # fmt: skip
        if value is None or value == "":
            return default
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.error(field, "not_integer", index, sub, min=low, max=high)
        return default

    def choice(self, value: Any, field: str, choices: list[str], labels: dict[str, str], *,
               default: str | None = None, index: int | None = None, sub: str | None = None) -> str:  # fmt: skip
        if (value is None or value == "") and default is not None:
            return default
        if isinstance(value, str):
            value = value.strip()
            value = labels.get(value, value)
            if value in choices:
                return value
        if value is None or value == "":
            self.error(field, "required", index, sub)
        else:
            self.error(field, "bad_choice", index, sub, value=value, choices=", ".join(choices))
        return choices[0]

    def str_list(self, value: Any, field: str) -> list[str]:
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            self.error(field, "not_list")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip() or "\n" in item.strip():
                self.error(field, "empty_item", i)
                continue
            out.append(item.strip())
        return out


def clean_matter(raw: Any, where: Where, refs: Refs, report: ImportReport) -> dict[str, Any] | None:
    """The canonical form of one matter, or None when it has problems (then in `report`)."""
    c = _Checker(where, report)
    if not isinstance(raw, dict):
        c.error("", "not_object")
        return None
    for key in raw:
        if key not in FIELDS:
            c.error(key, "unknown_field", name=key)

    out: dict[str, Any] = {}
    code = c.text(raw.get("code"), "code", required=True)
    if code and not CODE_RE.match(code):
        c.error("code", "bad_code")
    out["code"] = code
    out["name"] = c.text(raw.get("name"), "name", max_len=200, required=True, one_line=True)
    out["name_en"] = c.text(raw.get("name_en"), "name_en", max_len=300, one_line=True)
    out["short_name"] = c.text(raw.get("short_name"), "short_name", max_len=60, one_line=True)
    out["aliases"] = c.str_list(raw.get("aliases"), "aliases")
    out["keywords"] = c.str_list(raw.get("keywords"), "keywords")
    out["summary"] = c.text(raw.get("summary"), "summary")
    out["category"] = c.choice(raw.get("category"), "category", CATEGORIES, CATEGORY_LABELS)
    out["themes"] = _codes(c, raw.get("themes"), "themes", refs.themes, "unknown_theme")
    out["audience"] = c.choice(raw.get("audience"), "audience", AUDIENCES, AUDIENCE_LABELS, default="person")
    out["life_events"] = _codes(
        c, raw.get("life_events"), "life_events", refs.life_events, "unknown_life_event"
    )
    department = c.text(raw.get("department"), "department", required=True)
    if department and department not in refs.departments:
        c.error("department", "unknown_department", value=department)
    out["department"] = department
    out["divisions"] = _codes(
        c, raw.get("divisions"), "divisions", {d: d for d in refs.divisions}, "unknown_division"
    )
    channels = c.str_list(raw.get("channels"), "channels")
    chosen = set()
    for i, channel in enumerate(channels):
        chosen.add(c.choice(channel, "channels", CHANNEL_ORDER, CHANNEL_LABELS, index=i))
    if not channels and "channels" in raw:
        c.error("channels", "no_channel")
    elif not channels:
        c.error("channels", "required")
    out["channels"] = [ch for ch in CHANNEL_ORDER if ch in chosen]
    out["trips"] = c.integer(raw.get("trips"), "trips", low=0, high=9, default=0)
    out["on_the_spot"] = c.boolean(raw.get("on_the_spot"), "on_the_spot", default=False)
    out["statutory_days"] = c.integer(
        raw.get("statutory_days"), "statutory_days", low=0, high=999, default=None
    )
    out["promised_days"] = c.integer(raw.get("promised_days"), "promised_days", low=0, high=999, default=None)
    if not out["on_the_spot"] and raw.get("promised_days") in (None, ""):
        c.error("promised_days", "time_limit_missing")
    if (
        out["statutory_days"] is not None
        and out["promised_days"] is not None
        and out["promised_days"] > out["statutory_days"]
    ):
        c.error("promised_days", "promised_exceeds")
    out["fee"] = _fee(c, raw.get("fee"))
    for part in ("legal_basis", "conditions", "materials", "process"):
        out[part] = _part(c, raw.get(part), part)
    out["place"] = c.text(raw.get("place"), "place")
    out["hours"] = c.text(raw.get("hours"), "hours")
    out["consult_phone"] = c.text(raw.get("consult_phone"), "consult_phone", max_len=60, one_line=True)
    out["complaint_phone"] = c.text(raw.get("complaint_phone"), "complaint_phone", max_len=60, one_line=True)
    out["faq"] = _part(c, raw.get("faq"), "faq")
    out["is_sample"] = c.boolean(raw.get("is_sample"), "is_sample", default=False)
    return None if c.failed else {key: out[key] for key in FIELDS}


def _codes(c: _Checker, value: Any, field: str, known: dict[str, str], unknown_key: str) -> list[str]:
    found = set()
    for i, item in enumerate(c.str_list(value, field)):
        if item in known:
            found.add(known[item])
        else:
            c.error(field, unknown_key, i, value=item)
    return sorted(found)


def _fee(c: _Checker, value: Any) -> dict[str, Any]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        c.error("fee", "not_object")
        return {"free": True, "amount": None, "basis": ""}
    for key in value:
        if key not in FEE_FIELDS:
            c.error("fee", "unknown_field", sub=key, name=key)
    free = c.boolean(value.get("free"), "fee", default=True, sub="free")
    amount = _amount(c, value.get("amount"))
    basis = c.text(value.get("basis"), "fee", sub="basis")
    if not free and amount is None:
        c.error("fee", "fee_missing", sub="amount")
    if free and amount is not None and Decimal(amount) != 0:
        c.error("fee", "fee_on_free", sub="amount")
    if free and amount is not None and Decimal(amount) == 0:
        amount = None
    return {"free": free, "amount": amount, "basis": basis}


def _amount(c: _Checker, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        c.error("fee", "bad_amount", sub="amount")
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        c.error("fee", "bad_amount", sub="amount")
        return None
    if (
        not amount.is_finite()
        or amount < 0
        or amount > AMOUNT_MAX
        or amount != amount.quantize(Decimal("0.01"))
    ):
        c.error("fee", "bad_amount", sub="amount")
        return None
    return str(amount.quantize(Decimal("0.01")))


def _part(c: _Checker, value: Any, part: str) -> list[Any]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        c.error(part, "not_list")
        return []
    spec = PARTS[part]
    out = []
    for i, item in enumerate(value):
        if part == "conditions":
            out.append(c.text(item, part, required=True, index=i, sub="condition"))
            continue
        if not isinstance(item, dict):
            c.error(part, "not_object", i)
            continue
        for key in item:
            if key not in {s for s, _m, _r in spec}:
                c.error(part, "unknown_field", i, key, name=key)
        clean: dict[str, Any] = {}
        for sub, max_len, required in spec:
            raw = item.get(sub)
            if part == "materials" and sub == "form":
                clean[sub] = c.choice(raw, part, FORMS, FORM_LABELS, default="original", index=i, sub=sub)
            elif part == "materials" and sub == "source":
                clean[sub] = c.choice(
                    raw, part, SOURCES, SOURCE_LABELS, default="applicant", index=i, sub=sub
                )
            elif sub == "copies":
                clean[sub] = c.integer(raw, part, low=0, high=99, default=1, index=i, sub=sub)
            elif sub == "required":
                clean[sub] = c.boolean(raw, part, default=True, index=i, sub=sub)
            else:
                clean[sub] = c.text(raw, part, max_len=max_len, required=required, index=i, sub=sub)
        out.append(clean)
    return out
