"""Import files that are small on disk but huge once unpacked or counted are refused before
they are parsed, with a bilingual reason, and nothing is saved (interchange/limits.py)."""

import io
import json
import struct
import zipfile

import pytest
from django.utils import translation

from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.interchange import (
    ImportRejected,
    export_bytes,
    import_bytes,
    import_matters,
    limits,
    xlsx,
)
from eban.catalogue.models import Matter

pytestmark = pytest.mark.django_db

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


@pytest.fixture
def workbook_bytes():
    ensure_reference_data()
    import_matters(generate_matters(3, seed=5))
    content = export_bytes("xlsx")
    Matter.objects.all().delete()
    return content


@pytest.fixture
def never_parsed(monkeypatch):
    """The readers fail the test if they are reached: the caps must refuse the file first."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(xlsx, "FastWorkbook", refuse)
    monkeypatch.setattr(xlsx, "load_workbook", refuse)


def replaced(content: bytes, name: str, writer) -> bytes:
    """The workbook with part `name` rewritten by `writer(stream)` (streamed, so that a part of
    hundreds of megabytes never sits in memory)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    part = zipfile.ZipInfo(name)
    part.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        with target.open(part, "w", force_zip64=True) as stream:
            writer(stream)
    return out.getvalue()


def forge_declared_size(content: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size that the zip's central directory declares for `name`."""
    data = bytearray(content)
    encoded = name.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at += 4
    raise AssertionError(f"no {name} in the zip")


def refusal(content: bytes, filename: str = "catalogue.xlsx") -> str:
    with pytest.raises(ImportRejected) as raised, translation.override("en"):
        import_bytes(content, filename)
    report = raised.value.report
    assert not report.ok
    assert Matter.objects.count() == 0  # nothing saved
    return " ".join(p.message_en + " " + p.message_zh for p in report.problems)


def test_a_part_declaring_gigabytes_is_refused_from_the_zip_directory(workbook_bytes, never_parsed):
    forged = forge_declared_size(workbook_bytes, "xl/worksheets/sheet1.xml", 3_000_000_000)
    assert len(forged) < 100_000
    message = refusal(forged)
    assert "unpacks to more than 256 MB" in message and "解压后超过 256 MB" in message


def test_shared_strings_packed_a_thousand_times_are_refused_before_parsing(workbook_bytes, never_parsed):
    """The review's 555 KB file with 400 MB of shared strings, in small: 20 MB that pack to ~20 KB."""

    def strings(stream):
        stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        block = b"<si><t>x</t></si>" * 65536
        for _ in range(20):
            stream.write(block)
        stream.write(b"</sst>")

    bomb = replaced(workbook_bytes, "xl/sharedStrings.xml", strings)
    assert len(bomb) < 200_000
    message = refusal(bomb)
    assert "compressed more than 200 times" in message


def test_what_unpacks_beyond_the_cap_is_refused_while_unpacking(workbook_bytes, never_parsed, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 4 * 1024 * 1024)
    monkeypatch.setattr(limits, "MAX_RATIO", 10**6)  # only the unpacked bytes can stop it

    def sheet(stream):
        stream.write(SHEET_HEAD.encode() + b"<sheetData>")
        for _ in range(8):
            stream.write(b" " * (1024 * 1024))
        stream.write(b"</sheetData></worksheet>")

    message = refusal(replaced(workbook_bytes, "xl/worksheets/sheet6.xml", sheet))
    assert "unpacks to more than 4 MB" in message


def test_a_sheet_declaring_two_million_rows_is_refused_from_its_first_bytes(workbook_bytes, never_parsed):
    def sheet(stream):
        stream.write(
            SHEET_HEAD.encode() + b'<dimension ref="A1:Z2000000"/><sheetData></sheetData></worksheet>'
        )

    message = refusal(replaced(workbook_bytes, "xl/worksheets/sheet1.xml", sheet))
    assert "more than 250000 rows" in message and "超过 250000 行" in message


def test_rows_are_counted_as_the_sheet_unpacks(workbook_bytes, never_parsed, monkeypatch):
    """The 2,000,000-row file, scaled to a cap of 1,000 rows: the sheet declares no dimension."""
    monkeypatch.setattr(limits, "MAX_ROWS", 1_000)

    def sheet(stream):
        stream.write(SHEET_HEAD.encode() + b"<sheetData>")
        for n in range(1, 2_001):
            stream.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n))
        stream.write(b"</sheetData></worksheet>")

    message = refusal(replaced(workbook_bytes, "xl/worksheets/sheet1.xml", sheet))
    assert "more than 1000 rows" in message


def test_the_reader_stops_at_a_row_numbered_beyond_the_cap(workbook_bytes):
    """One row numbered 3,000,000 (the rows before it read as empty): the reader's hard stop."""
    workbook = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    original = workbook.read("xl/worksheets/sheet1.xml")
    end = original.rindex(b"</sheetData>")
    far_row = b'<row r="3000000"><c r="A3000000" t="inlineStr"><is><t>x</t></is></c></row>'
    edited = original[:end] + far_row + original[end:]
    message = refusal(replaced(workbook_bytes, "xl/worksheets/sheet1.xml", lambda s: s.write(edited)))
    assert "more than 250000 rows" in message


def test_a_json_file_beyond_the_byte_cap_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1024)
    content = json.dumps({"format": "eban.matters/1", "matters": [], "pad": "x" * 2048}).encode()

    def refuse(*args, **kwargs):
        raise AssertionError("the JSON was decoded")

    monkeypatch.setattr("eban.catalogue.interchange.importer.json.loads", refuse)
    message = refusal(content, "catalogue.json")
    assert "The file is too large" in message and "文件过大" in message


def test_a_json_file_with_too_many_matters_is_refused_before_any_is_checked(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MATTERS", 3)
    monkeypatch.setattr(
        "eban.catalogue.interchange.importer.clean_matter",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("a matter was checked")),
    )
    content = json.dumps({"format": "eban.matters/1", "matters": [{}] * 4}).encode()
    assert "more than 3 matters" in refusal(content, "catalogue.json")


def test_a_json_file_nested_too_deeply_is_refused_not_a_crash():
    content = b"[" * 100_000 + b"]" * 100_000
    assert "cannot be read" in refusal(content, "catalogue.json")


def test_a_workbook_with_too_many_matters_is_refused(workbook_bytes, monkeypatch):
    monkeypatch.setattr(limits, "MAX_MATTERS", 2)
    assert "more than 2 matters" in refusal(workbook_bytes)


def test_a_real_catalogue_passes_the_caps(workbook_bytes):
    report = import_bytes(workbook_bytes, "catalogue.xlsx")
    assert len(report.created) == 3
