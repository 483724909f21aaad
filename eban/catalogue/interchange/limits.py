"""Size caps checked before an import file is parsed (see docs/catalogue.md, "Limits").

An .xlsx is a zip of XML parts: a file of a few hundred kilobytes can unpack to gigabytes, and a
sheet of a few megabytes can hold millions of rows. Parsing such a file holds the worker for
minutes and takes gigabytes of memory before any row is refused. So, before the reader runs:

- the zip's directory is read: at most MAX_MEMBERS parts, each part's and the total declared
  (uncompressed) size under MAX_UNPACKED_BYTES, no part compressed more than MAX_RATIO times;
- every part is then unpacked once as a stream, counting the bytes it really gives (a forged
  directory cannot hide them) and, in the sheets, the rows, stopping at the first cap passed;
- a sheet whose `<dimension>` declares more than MAX_ROWS rows is refused from its first bytes.

The readers keep a hard stop of their own (`RowLimit`): a row numbered beyond MAX_ROWS (rows left
out of a sheet are read as empty ones) ends the reading. A JSON file is capped in bytes before it
is decoded and in matters before any is checked. A refusal is an ordinary import problem: the
report says which cap, in Chinese and English, and nothing is saved.

The caps leave room for a whole city's catalogue: 10,000 matters with their lists make an .xlsx
of about 70 MB unpacked and 50,000 rows in its largest sheet (bench/import_matters.py).
"""

from __future__ import annotations

import io
import re
import zipfile

from .report import ImportReport

MAX_MATTERS = 50_000  # matters in one file
MAX_ROWS = 250_000  # rows in one sheet
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all parts of a workbook unpacked, or a JSON file
MAX_MEMBERS = 1_000  # parts in a workbook (a workbook of six sheets has about twenty)
MAX_RATIO = 200  # unpacked / packed size of one part (sheets of real catalogues: about 10 to 30)
RATIO_FLOOR = 1024 * 1024  # parts under this size unpacked are not held to MAX_RATIO
CHUNK = 1024 * 1024

SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')
ROW_START = re.compile(rb"<(?:\w+:)?row[\s>/]")


class TooLarge(Exception):
    """A cap was passed; `key` and `params` name the problem for the report."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    def report_to(self, report: ImportReport, sheet: str = "") -> None:
        report.add(sheet, None, "", self.key, **self.params)


def _mb(size: int) -> int:
    return max(1, round(size / (1024 * 1024)))


def check_json(content: bytes) -> None:
    if len(content) > MAX_UNPACKED_BYTES:
        raise TooLarge("file_too_large", size=_mb(len(content)), max=_mb(MAX_UNPACKED_BYTES))


def check_matter_count(count: int) -> None:
    if count > MAX_MATTERS:
        raise TooLarge("too_many_matters", max=MAX_MATTERS)


def check_row_number(sheet: str, number: int) -> None:
    if number > MAX_ROWS:
        raise TooLarge("too_many_rows", name=sheet, max=MAX_ROWS)


def check_xlsx(content: bytes) -> None:
    """Raise TooLarge when the workbook passes a cap; a file that is not a zip is left for the
    reader to refuse (it says why)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise TooLarge("too_many_parts", count=len(members), max=MAX_MEMBERS)
        declared = 0
        for info in members:
            declared += info.file_size
            if declared > MAX_UNPACKED_BYTES:
                raise TooLarge("unpacked_too_large", size=_mb(declared), max=_mb(MAX_UNPACKED_BYTES))
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise TooLarge("packed_too_tightly", part=info.filename, ratio=MAX_RATIO)
        unpacked = 0
        for info in members:
            unpacked = _unpack_counting(archive, info, unpacked)


def _unpack_counting(archive: zipfile.ZipFile, info: zipfile.ZipInfo, unpacked: int) -> int:
    """Unpack one part as a stream, counting its bytes (and a sheet's rows) with a hard stop."""
    is_sheet = bool(SHEET_PART.match(info.filename))
    rows = 0
    tail = b""
    first = True
    try:
        stream = archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError):
        return unpacked  # unreadable part: the reader says so
    with stream:
        while True:
            try:
                chunk = stream.read(CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                return unpacked
            if not chunk:
                return unpacked
            unpacked += len(chunk)
            if unpacked > MAX_UNPACKED_BYTES:
                raise TooLarge("unpacked_too_large", size=_mb(unpacked), max=_mb(MAX_UNPACKED_BYTES))
            if not is_sheet:
                continue
            if first:
                first = False
                found = DIMENSION.search(chunk[:65536])
                if found and found.group(1) and int(found.group(1)) > MAX_ROWS:
                    raise TooLarge("too_many_rows", name=info.filename, max=MAX_ROWS)
            window = tail + chunk
            rows += len(ROW_START.findall(window)) - len(ROW_START.findall(tail))
            if rows > MAX_ROWS:
                raise TooLarge("too_many_rows", name=info.filename, max=MAX_ROWS)
            tail = window[-16:]
