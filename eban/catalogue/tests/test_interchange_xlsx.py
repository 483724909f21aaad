import io

import pytest
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry, Revision

from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.interchange import ImportRejected, export_bytes, import_bytes, import_matters
from eban.catalogue.models import Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook_bytes():
    ensure_reference_data()
    import_matters(generate_matters(8, seed=3))
    return export_bytes("xlsx")


def edited(content: bytes, edit) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_workbook_has_a_sheet_per_part_with_bilingual_headers(workbook_bytes):
    wb = load_workbook(io.BytesIO(workbook_bytes))
    assert wb.sheetnames == [
        "事项 matters",
        "法律依据 legal_basis",
        "受理条件 conditions",
        "申请材料 materials",
        "办理流程 process",
        "常见问题 faq",
    ]
    assert wb["事项 matters"]["A1"].value == "事项编码 code"
    assert wb["申请材料 materials"]["A1"].value == "事项编码 code"


def test_xlsx_export_wipe_import_gives_the_same_catalogue(workbook_bytes):
    before = export_bytes("json")
    Matter.objects.all().delete()
    report = import_bytes(workbook_bytes, "catalogue.xlsx")
    assert len(report.created) == 8
    assert export_bytes("json") == before


def test_importing_the_same_workbook_again_changes_nothing(workbook_bytes):
    revisions, logs = Revision.objects.count(), ModelLogEntry.objects.count()
    report = import_bytes(workbook_bytes, "catalogue.xlsx")
    assert report.unchanged == 8 and not report.created and not report.updated
    assert (Revision.objects.count(), ModelLogEntry.objects.count()) == (revisions, logs)


def test_a_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_changes(workbook_bytes):
    before = export_bytes("json")

    def break_it(wb):
        wb["事项 matters"]["B2"] = "一个改动（不应保存）"
        wb["事项 matters"]["O4"] = "三次"  # trips
        wb["申请材料 materials"]["D3"] = "扫描件"  # form

    with pytest.raises(ImportRejected) as caught:
        import_bytes(edited(workbook_bytes, break_it), "broken.xlsx")
    places = {(p.sheet, p.row, p.column) for p in caught.value.report.problems}
    assert places == {
        ("事项 matters", 4, "O (跑动次数 trips)"),
        ("申请材料 materials", 3, "D (形式 form)"),
    }
    assert export_bytes("json") == before


def test_a_part_row_for_an_unknown_matter_is_refused(workbook_bytes):
    with pytest.raises(ImportRejected) as caught:
        import_bytes(
            edited(workbook_bytes, lambda wb: wb["受理条件 conditions"].append(["NOPE-1", 1, "x"])), "x.xlsx"
        )
    [problem] = caught.value.report.problems
    assert problem.sheet == "受理条件 conditions" and "NOPE-1" in problem.message_en


def test_chinese_labels_are_accepted_for_codes_and_yes_no(workbook_bytes):
    def relabel(wb):
        ws = wb["事项 matters"]
        ws["H2"] = "常用证明"  # category
        ws["I2"] = "户籍、公共服务"  # themes by name
        ws["P2"] = "是"  # on the spot

    import_bytes(edited(workbook_bytes, relabel), "labels.xlsx")
    matter = Matter.objects.order_by("code").first()
    assert matter.category == "certificate" and matter.on_the_spot
    assert sorted(matter.themes.values_list("code", flat=True)) == ["household", "public_service"]


def test_a_missing_required_column_is_reported(workbook_bytes):
    def drop(wb):
        wb["事项 matters"]["L1"] = "随便 whatever"

    with pytest.raises(ImportRejected) as caught:
        import_bytes(edited(workbook_bytes, drop), "x.xlsx")
    messages = [p.message_en for p in caught.value.report.problems]
    assert any("department" in m and "missing" in m for m in messages)
    assert any("whatever" in m for m in messages)


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ImportRejected) as caught:
        import_bytes(b"not a zip", "x.xlsx")
    assert "cannot be read" in caught.value.report.problems[0].message_en


def _odd_workbook() -> bytes:
    """Shared strings, entities, newlines, numbers, booleans, a formula, gaps in rows and cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "odd"
    ws.append(["事项编码 code", "A & B <c> \"d\" 'e'", None, 3, 2.5, True, False])
    ws.append([])
    ws.append(["line one\nline two", " padded ", "=1+2", 10**6, -0.125, None, "𠀀 rare"])
    ws["J7"] = "far away"
    ws["C9"] = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("make", [_odd_workbook, lambda: export_bytes("xlsx")])
def test_the_fast_sheet_scan_reads_the_same_values_as_the_xml_parser(make, workbook_bytes):
    from eban.catalogue.interchange.xlsx_fast import FastWorkbook

    book = FastWorkbook(io.BytesIO(make()))
    for sheet in book.worksheets:
        assert list(sheet.iter_rows()) == list(sheet._parse())


def test_the_fast_sheet_scan_reads_the_values_openpyxl_reads():
    from eban.catalogue.interchange.xlsx_fast import FastWorkbook

    content = _odd_workbook()
    fast = list(FastWorkbook(io.BytesIO(content)).worksheets[0].iter_rows())
    slow = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    expected = [tuple(row) for row in slow.iter_rows(values_only=True)]
    assert [tuple(v for v in r if v is not None) for r in fast] == [
        tuple(v for v in r if v is not None) for r in expected
    ]
