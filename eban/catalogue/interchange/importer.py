"""Import and export of the catalogue, all-or-nothing (see docs/catalogue.md).

Everything is read and checked first — every row, every cross-reference; a single problem
rejects the whole file and nothing is saved. Then the changed matters are saved and published
in one transaction; unchanged ones are left alone, so importing a file twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from eban.core.bulk import gc_paused
from eban.core.exceptions import DomainError

from .. import actions
from ..guide import matter_to_dict
from ..models import Matter
from . import limits, xlsx
from .report import ImportRejected, ImportReport, render
from .schema import FORMAT, Refs, clean_matter

Progress = Callable[[str, int, int], None]
JSON_SHEET = "matters"


def _json_where(index: int):
    def where(field: str, item: int | None = None, sub: str | None = None) -> tuple[str, int | None, str]:
        path = field
        if item is not None:
            path += f"[{item + 1}]"
        if sub and field != "conditions":
            path += f".{sub}"
        return JSON_SHEET, index + 1, path

    return where


def _json_records(data: Any, report: ImportReport) -> list[tuple[Any, Any]]:
    if not isinstance(data, dict):
        report.add("", None, "", "not_object")
        return []
    if data.get("format") != FORMAT:
        report.add("", None, "format", "bad_format")
    matters = data.get("matters")
    if not isinstance(matters, list):
        report.add("", None, "matters", "no_matters_list")
        return []
    for key in data:
        if key not in ("format", "matters"):
            report.add("", None, key, "unknown_field", name=key)
    try:
        limits.check_matter_count(len(matters))
    except limits.TooLarge as too_large:
        too_large.report_to(report, JSON_SHEET)
        return []
    return [(raw, _json_where(i)) for i, raw in enumerate(matters)]


class _DryRun(Exception):
    def __init__(self, result: actions.SaveResult):
        self.result = result


def _import_records(
    records: list[tuple[Any, Any]],
    report: ImportReport,
    *,
    actor: Any,
    dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    tell = progress or (lambda phase, done, total: None)
    total = len(records)
    report.total = total
    refs = Refs.load()
    guides = []
    first_seen: dict[str, tuple[str, int | None, str]] = {}
    for i, (raw, where) in enumerate(records):
        guide = clean_matter(raw, where, refs, report)
        code = raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, str) and code.strip():
            code = code.strip()
            if code in first_seen:
                sheet, row, _col = first_seen[code]
                report.add(*where("code"), "duplicate_code", code=code, first=f"{sheet} #{row}")
            else:
                first_seen[code] = where("code")
        if guide is not None:
            guides.append(guide)
        if i % 500 == 0:
            tell("checking", i, total)
    tell("checking", total, total)
    if not report.ok:
        raise ImportRejected(report)

    try:
        with transaction.atomic():
            result = actions.save_matters(guides, actor=actor, progress=progress)
            # Free the file's rows before the commit runs the search reindex (peak memory).
            records.clear()
            guides.clear()
            if dry_run:
                raise _DryRun(result)
    except _DryRun as stop:
        result = stop.result
    report.created = result.created
    report.updated = result.updated
    report.unchanged = result.unchanged
    tell("done", total, total)
    return report


@gc_paused()  # the imports build and keep millions of objects (see gc_paused)
def import_matters(
    data: dict,
    *,
    actor: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    source: str = "",
) -> ImportReport:
    """Import a catalogue in the interchange format (a dict as from JSON). All or nothing:
    raises ImportRejected (with the report) when anything is wrong, and then saves nothing."""
    report = ImportReport(source=source, dry_run=dry_run)
    records = _json_records(data, report)
    if not report.ok:
        raise ImportRejected(report)
    return _import_records(records, report, actor=actor, dry_run=dry_run, progress=progress)


@gc_paused()
def import_bytes(
    content: bytes,
    filename: str,
    *,
    actor: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the content of a .json or .xlsx file (the kind is taken from `filename`)."""
    tell = progress or (lambda phase, done, total: None)
    report = ImportReport(source=Path(filename).name, dry_run=dry_run)
    ext = Path(filename).suffix.lower()
    tell("reading", 0, 0)
    if ext == ".json":
        try:
            limits.check_json(content)
            data = json.loads(content.decode("utf-8-sig"))
        except limits.TooLarge as too_large:
            too_large.report_to(report)
            raise ImportRejected(report) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.add("", None, "", "unreadable", error=str(exc))
            raise ImportRejected(report) from None
        except RecursionError:
            report.add("", None, "", "unreadable", error="nested too deeply")
            raise ImportRejected(report) from None
        records = _json_records(data, report)
    elif ext == ".xlsx":
        try:
            limits.check_xlsx(content)  # before anything is parsed
        except limits.TooLarge as too_large:
            too_large.report_to(report)
            raise ImportRejected(report) from None
        records = xlsx.read_xlsx(content, report)
    else:
        report.add("", None, "", "unsupported_type", ext=ext or filename)
        raise ImportRejected(report)
    if not report.ok:
        raise ImportRejected(report)
    return _import_records(records, report, actor=actor, dry_run=dry_run, progress=progress)


def import_file(
    path: str | Path, *, actor: Any = None, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    path = Path(path)
    return import_bytes(path.read_bytes(), path.name, actor=actor, dry_run=dry_run, progress=progress)


# --- export ---------------------------------------------------------------------------------


def export_data() -> dict[str, Any]:
    """The published catalogue in the interchange format, matters ordered by code."""
    qs = (
        Matter.objects.filter(live=True)
        .select_related("department")
        .prefetch_related("themes", "life_events", "divisions")
        .order_by("code")
    )
    return {"format": FORMAT, "matters": [matter_to_dict(m) for m in qs.iterator(chunk_size=2000)]}


def dumps_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_bytes(fmt: str) -> bytes:
    """The catalogue as a .json or .xlsx file's content (`fmt` is "json" or "xlsx")."""
    data = export_data()
    if fmt == "json":
        return dumps_json(data)
    if fmt == "xlsx":
        return xlsx.write_xlsx(data)
    raise ValueError(f"unknown export format {fmt!r}")


def export_file(path: str | Path) -> int:
    """Write the catalogue to `path` (.json or .xlsx by extension); returns the number of matters."""
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    if ext not in ("json", "xlsx"):
        zh, en = render("unsupported_type", {"ext": path.suffix or path.name})
        raise DomainError(f"{zh} / {en}", code="unsupported_type")
    data = export_data()
    path.write_bytes(dumps_json(data) if ext == "json" else xlsx.write_xlsx(data))
    return len(data["matters"])
