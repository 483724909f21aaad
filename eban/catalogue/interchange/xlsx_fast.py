"""A small, fast reader of .xlsx cell values (what the import needs, nothing more).

openpyxl's read-only mode spends most of its time on cell objects and styles; the importer only
needs values, so this reads the sheet XML directly with ElementTree. It offers the little of
openpyxl's interface the importer uses (`worksheets`, `title`, `iter_rows(values_only=True)`).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse, parse

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 2**53 and "." not in text else value


class FastSheet:
    def __init__(self, book: FastWorkbook, title: str, path: str):
        self.book = book
        self.title = title
        self.path = path

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple]:
        shared = self.book.shared_strings
        row_tag, cell_tag, v_tag, is_tag, t_tag = f"{NS}row", f"{NS}c", f"{NS}v", f"{NS}is", f"{NS}t"
        expected = 1
        with self.book.zip.open(self.path) as stream:
            for _event, elem in iterparse(stream, events=("end",)):
                if elem.tag != row_tag:
                    continue
                number = int(elem.get("r") or expected)
                while expected < number:  # rows left out of the file are empty
                    yield ()
                    expected += 1
                values: list[Any] = []
                for cell in elem.iter(cell_tag):
                    ref = cell.get("r")
                    index = _column_index(ref) if ref else len(values)
                    while len(values) < index:
                        values.append(None)
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        node = cell.find(is_tag)
                        value = "".join(t.text or "" for t in node.iter(t_tag)) if node is not None else ""
                    else:
                        v = cell.find(v_tag)
                        text = v.text if v is not None else None
                        if text is None:
                            value = None
                        elif kind == "s":
                            value = shared[int(text)]
                        elif kind == "b":
                            value = text == "1"
                        elif kind in ("str", "e"):
                            value = text
                        else:
                            value = _number(text)
                    values.append(value)
                elem.clear()
                expected = number + 1
                yield tuple(values)


class FastWorkbook:
    def __init__(self, file: IO[bytes]):
        self.zip = zipfile.ZipFile(file)
        self.shared_strings = self._shared_strings()
        self.worksheets = self._sheets()

    def _shared_strings(self) -> list[str]:
        try:
            stream = self.zip.open("xl/sharedStrings.xml")
        except KeyError:
            return []
        strings = []
        with stream:
            for _event, elem in iterparse(stream, events=("end",)):
                if elem.tag == f"{NS}si":
                    strings.append("".join(t.text or "" for t in elem.iter(f"{NS}t")))
                    elem.clear()
        return strings

    def _sheets(self) -> list[FastSheet]:
        with self.zip.open("xl/_rels/workbook.xml.rels") as stream:
            rels = {
                r.get("Id"): r.get("Target")
                for r in parse(stream).getroot().iter(f"{PKG_REL_NS}Relationship")
            }
        with self.zip.open("xl/workbook.xml") as stream:
            root = parse(stream).getroot()
        sheets = []
        for sheet in root.iter(f"{NS}sheet"):
            target = rels[sheet.get(f"{REL_NS}id")]
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            sheets.append(FastSheet(self, sheet.get("name"), path))
        return sheets

    def close(self) -> None:
        self.zip.close()
