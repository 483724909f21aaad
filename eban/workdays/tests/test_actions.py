"""Loading holiday files: all or nothing, audited, and the deadline follows."""

from datetime import date

import pytest
from wagtail.models import ModelLogEntry

from eban.workdays import actions
from eban.workdays.calendar import CalendarYearMissing
from eban.workdays.holiday_file import CalendarFileRejected
from eban.workdays.models import CalendarYear, SpecialDay
from eban.workdays.queries import add_working_days

pytestmark = pytest.mark.django_db


def test_loading_a_2027_file_makes_2027_deadlines_work(csv_2027, admin_user):
    with pytest.raises(CalendarYearMissing):
        add_working_days(date(2026, 12, 31), 1)
    report = actions.load_calendar_file(csv_2027, actor=admin_user, source="test-2027.csv")
    assert [(y.year, y.holidays, y.workdays) for y in report.years] == [(2027, 9, 1)]
    # Thu 2026-12-31 + 1: Fri 2027-01-01 is a holiday, so Mon 2027-01-04.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # Fri 2027-02-05 + 1: Feb 6-13 off, Sat Feb 20 worked; so Mon Feb 15.
    assert add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 15)
    assert add_working_days(date(2027, 2, 19), 1) == date(2027, 2, 20)


def test_loading_a_year_is_audited(csv_2027, admin_user):
    actions.load_calendar_file(csv_2027, actor=admin_user, source="test-2027.csv")
    entry = ModelLogEntry.objects.get(
        action=actions.LOAD_YEAR, object_id=str(CalendarYear.objects.get(year=2027).pk)
    )
    assert entry.user == admin_user
    assert entry.data["holidays"] == 9 and entry.data["source"] == "test-2027.csv"


def test_a_bad_row_leaves_the_calendar_unchanged(csv_2027):
    before = list(SpecialDay.objects.values_list("date", "kind", "name"))
    bad = csv_2027 + b"2027-13-01,holiday,bad\n"
    with pytest.raises(CalendarFileRejected) as excinfo:
        actions.load_calendar_file(bad)
    assert excinfo.value.errors[0].row == 12
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert list(SpecialDay.objects.values_list("date", "kind", "name")) == before


def test_reloading_a_year_replaces_its_days():
    actions.load_calendar_file("date,kind,name\n2025-10-01,holiday,国庆节\n".encode(), source="fix")
    assert SpecialDay.objects.filter(date__year=2025).count() == 1
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 2)  # only Oct 1 off now
    assert CalendarYear.objects.get(year=2025).source == "fix"


def test_dry_run_saves_nothing(csv_2027):
    report = actions.load_calendar_file(csv_2027, dry_run=True)
    assert report.days == 10
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_saving_a_special_day_is_audited(admin_user):
    day = actions.save_special_day(
        SpecialDay(date=date(2026, 12, 25), kind="holiday", name="test"), actor=admin_user
    )
    assert ModelLogEntry.objects.filter(
        action=actions.SAVE_DAY, object_id=str(day.pk), user=admin_user
    ).exists()
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def test_deleting_a_calendar_year_makes_it_unknown_again(admin_user):
    actions.delete_calendar_year(CalendarYear.objects.get(year=2026), actor=admin_user)
    assert ModelLogEntry.objects.filter(action=actions.DELETE_YEAR, user=admin_user).exists()
    with pytest.raises(CalendarYearMissing) as excinfo:
        add_working_days(date(2025, 12, 31), 1)
    assert excinfo.value.year == 2026
