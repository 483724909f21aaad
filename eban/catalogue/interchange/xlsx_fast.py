"""A small, fast reader of .xlsx cell values (what the import needs, nothing more).

openpyxl's read-only mode spends most of its time on cell objects and styles; the importer only
needs values, so this reads the sheet XML directly. A sheet in the plain form that Excel,
LibreOffice and openpyxl write (default namespace, no comments or CDATA in the cell data) is
scanned with regular expressions, several times faster than a parser; anything else goes through
ElementTree. It offers the little of openpyxl's interface the importer uses (`worksheets`,
`title`, `iter_rows(values_only=True)`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse, parse

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# The regular-expression scan of a plain sheet (see `FastSheet._scan`).
PLAIN_ROOT = re.compile(
    rb'<worksheet\b[^>]*\sxmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
)
TOKEN = re.compile(
    # a row start | a cell in the common form (one match, no entities) | any other cell
    r"<(row)\b([^>]*)>"
    r'|<c r="([A-Z]{1,3})\d+"(?: s="\d+")?(?: t="(\w+)")?(?: s="\d+")?\s*'
    r'(?:/>|>(?:<v>([^<&]*)</v>|<is><t(?: xml:space="preserve")?>([^<&]*)</t></is>)?</c>)'
    r"|<c\b([^>]*?)(?:/>|>(.*?)</c>)",
    re.S,
)
ROW_NUMBER = re.compile(r'\sr="(\d+)"')
CELL_REF = re.compile(r'\sr="([A-Z]+)')
CELL_TYPE = re.compile(r'\st="(\w+)"')
VALUE = re.compile(r"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
TEXT = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(match: re.Match) -> str:
    name = match.group(1)
    if name[0] != "#":
        return ENTITIES[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _unescape(text: str) -> str:
    return ENTITY.sub(_entity, text) if "&" in text else text


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
        with self.book.zip.open(self.path) as stream:
            data = stream.read()
        start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
        head = data[: max(start, 0)]
        body = data[start:end] if 0 <= start < end else b""
        if PLAIN_ROOT.search(head) and b"<!--" not in body and b"<![CDATA[" not in body:
            del data, head
            return self._scan(body.decode("utf-8"))
        return self._parse()

    def _scan(self, xml: str) -> Iterator[tuple]:
        shared = self.book.shared_strings
        columns: dict[str, int] = {}
        expected = 1
        values: list[Any] | None = None
        for is_row, row_attrs, ref, kind, v, t, attrs, inner in TOKEN.findall(xml):
            if is_row:  # a new row: yield the one before
                if values is not None:
                    yield tuple(values)
                found = ROW_NUMBER.search(row_attrs)
                number = int(found.group(1)) if found else expected
                while expected < number:  # rows left out of the file are empty
                    yield ()
                    expected += 1
                expected = number + 1
                values = []
                continue
            if values is None:
                continue
            if ref:  # the common form
                index = columns.get(ref)
                if index is None:
                    index = columns[ref] = _column_index(ref)
                while len(values) < index:
                    values.append(None)
                if kind == "inlineStr":
                    values.append(t)
                elif not v:
                    values.append(None)
                elif kind == "s":
                    values.append(shared[int(v)])
                elif kind == "b":
                    values.append(v == "1")
                elif kind in ("str", "e"):
                    values.append(v)
                else:
                    values.append(_number(v))
                continue
            found = CELL_REF.search(attrs)
            if found:
                index = _column_index(found.group(1))
                while len(values) < index:
                    values.append(None)
            found = CELL_TYPE.search(attrs)
            kind = found.group(1) if found else "n"
            if kind == "inlineStr":
                if "<rPh" in inner:
                    inner = PHONETIC.sub("", inner)
                value = _unescape("".join(TEXT.findall(inner)))
            else:
                found = VALUE.search(inner) if inner else None
                if found is None or not found.group(1):
                    value = None
                elif kind == "s":
                    value = shared[int(found.group(1))]
                elif kind == "b":
                    value = found.group(1) == "1"
                elif kind in ("str", "e"):
                    value = _unescape(found.group(1))
                else:
                    value = _number(found.group(1))
            values.append(value)
        if values is not None:
            yield tuple(values)

    def _parse(self) -> Iterator[tuple]:
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
