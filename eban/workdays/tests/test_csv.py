"""Reading holiday files: every problem reported with its row, nothing half-read."""

from datetime import date

import pytest
from django.utils import translation

from eban.workdays.calendar import CalendarRow
from eban.workdays.holiday_file import CalendarFileRejected, decode_calendar_file, parse_calendar_csv


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English here; test_chinese_messages checks the Chinese."""
    with translation.override("en"):
        yield


def rejected(text: str) -> list[str]:
    with pytest.raises(CalendarFileRejected) as excinfo:
        parse_calendar_csv(text)
    return [e.message for e in excinfo.value.errors]


def test_a_good_file_is_read():
    rows = parse_calendar_csv("date,kind,name\n2027-10-01,holiday,国庆节\n2027-09-26,workday,国庆节\n")
    assert rows == [
        CalendarRow(date(2027, 10, 1), "holiday", "国庆节"),
        CalendarRow(date(2027, 9, 26), "workday", "国庆节"),
    ]


def test_chinese_kind_words_are_accepted():
    rows = parse_calendar_csv("date,kind,name\n2027-10-01,休,国庆节\n2027-09-26,班,国庆节\n")
    assert [r.kind for r in rows] == ["holiday", "workday"]


def test_excel_gbk_file_with_blank_lines_is_read():
    data = "date,kind,name\r\n2027-10-01,holiday,国庆节\r\n,,\r\n".encode("gbk")
    assert parse_calendar_csv(decode_calendar_file(data)) == [
        CalendarRow(date(2027, 10, 1), "holiday", "国庆节")
    ]


def test_utf8_bom_is_ignored():
    data = "\ufeffdate,kind,name\n2027-10-01,holiday,国庆节\n".encode()
    assert len(parse_calendar_csv(decode_calendar_file(data))) == 1


def test_wrong_header_is_refused_at_row_1():
    assert rejected("day,type\n2027-10-01,holiday\n") == [
        "Row 1: The first row must be the header date, kind, name, not day, type."
    ]


def test_every_bad_row_is_reported_with_its_number():
    messages = rejected(
        "date,kind,name\n"
        "2027-10-01,holiday,国庆节\n"  # row 2 fine
        "2027-02-30,holiday,春节\n"  # row 3 no such date
        "2027-10-02,vacation,国庆节\n"  # row 4 bad kind
        "2027-10-08,workday,国庆节\n"  # row 5 a Friday cannot be a make-up workday
        "2027-10-01,holiday,国庆节\n"  # row 6 duplicate of row 2
        "2027/10/03,holiday\n"  # row 7 two values
    )
    assert messages[0].startswith("Row 3, column date:") and "2027-02-30" in messages[0]
    assert messages[1].startswith("Row 4, column kind:") and "vacation" in messages[1]
    assert messages[2].startswith("Row 5, column date:") and "Saturday or a Sunday" in messages[2]
    assert messages[3].startswith("Row 6, column date:") and "row 2" in messages[3]
    assert messages[4].startswith("Row 7:")
    assert len(messages) == 5


def test_header_only_file_is_refused():
    assert rejected("date,kind,name\n") == ["The file has no days in it, only the header."]


def test_empty_file_is_refused():
    assert len(rejected("")) == 1


def test_year_out_of_range_is_refused():
    assert "between" in rejected("date,kind,name\n1900-01-01,holiday,元旦\n")[0]


def test_binary_file_is_refused():
    with pytest.raises(CalendarFileRejected):
        decode_calendar_file(b"\x81\xff\xfe\x00\x80")


def test_row_errors_read_in_chinese_by_default():
    with translation.override("zh-hans"):
        messages = rejected("day,type\n")
    assert messages[0].startswith("第 1 行")
