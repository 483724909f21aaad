"""`eban load-holidays` and `eban deadline`."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from eban.__main__ import main
from eban.workdays.models import CalendarYear, SpecialDay
from eban.workdays.queries import add_working_days

pytestmark = pytest.mark.django_db


def test_load_holidays_loads_2027(tmp_path, csv_2027, capsys):
    path = tmp_path / "2027.csv"
    path.write_bytes(csv_2027)
    call_command("load_holidays", str(path))
    assert CalendarYear.objects.get(year=2027).source == "2027.csv"
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_load_holidays_refuses_bad_rows_naming_each_and_saves_nothing(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n2027-01-04,workday,x\n"
    )
    with pytest.raises(CommandError):
        call_command("load_holidays", str(path))
    err = capsys.readouterr().err
    assert "Row 3, column date" in err and "Row 4, column date" in err
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_the_eban_cli_exits_non_zero_on_a_bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind\n")
    with pytest.raises(SystemExit) as excinfo:
        main(["eban", "load-holidays", str(path)])
    assert excinfo.value.code == 1


def test_load_holidays_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_holidays", str(tmp_path / "nope.csv"))


def test_deadline_command_prints_the_date(capsys):
    call_command("deadline", "2025-09-30", "3")
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "2025-10-11"
    assert "2025-10-01 国庆节" in out


def test_deadline_command_names_the_missing_year():
    with pytest.raises(CommandError, match="2027"):
        call_command("deadline", "2026-12-31", "1")
