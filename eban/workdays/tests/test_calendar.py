"""Working-day arithmetic on an in-memory calendar (no database)."""

from datetime import date

import pytest

from eban.workdays.calendar import (
    Calendar,
    CalendarRow,
    CalendarYearMissing,
    InvalidWorkingDays,
)

# A small calendar: 2025 with National Day (Oct 1-8 off, Sun Sep 28 and Sat Oct 11 worked).
NATIONAL_DAY_2025 = Calendar.from_rows(
    [2025],
    [CalendarRow(date(2025, 10, d), "holiday", "国庆节") for d in range(1, 9)]
    + [
        CalendarRow(date(2025, 9, 28), "workday", "国庆节"),
        CalendarRow(date(2025, 10, 11), "workday", "国庆节"),
    ],
)


def test_start_day_is_not_counted():
    # Monday 2025-09-22 + 1 working day is Tuesday.
    assert NATIONAL_DAY_2025.add_working_days(date(2025, 9, 22), 1) == date(2025, 9, 23)


def test_zero_working_days_is_the_start_day_itself():
    assert NATIONAL_DAY_2025.add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_ordinary_weekend_is_skipped():
    # Friday 2025-09-19 + 1 is Monday 2025-09-22.
    assert NATIONAL_DAY_2025.add_working_days(date(2025, 9, 19), 1) == date(2025, 9, 22)


def test_make_up_sunday_is_counted():
    assert NATIONAL_DAY_2025.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)


def test_holiday_weekdays_are_skipped():
    assert NATIONAL_DAY_2025.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_negative_working_days_are_refused():
    with pytest.raises(InvalidWorkingDays):
        NATIONAL_DAY_2025.add_working_days(date(2025, 9, 30), -1)


def test_reaching_an_unloaded_year_names_that_year():
    with pytest.raises(CalendarYearMissing) as excinfo:
        NATIONAL_DAY_2025.add_working_days(date(2025, 12, 31), 1)
    assert excinfo.value.year == 2026
    assert "2026" in excinfo.value.message
    assert excinfo.value.status_code == 400
    assert excinfo.value.details == {"year": 2026}


def test_start_in_an_unloaded_year_is_refused_even_for_zero_days():
    with pytest.raises(CalendarYearMissing) as excinfo:
        NATIONAL_DAY_2025.add_working_days(date(2024, 12, 31), 0)
    assert excinfo.value.year == 2024


def test_last_day_of_a_loaded_year_needs_no_next_year():
    assert NATIONAL_DAY_2025.add_working_days(date(2025, 12, 30), 1) == date(2025, 12, 31)


def test_far_dates_never_overflow():
    with pytest.raises(CalendarYearMissing):
        NATIONAL_DAY_2025.add_working_days(date.max, 5)


def test_is_working_day_follows_the_notice():
    assert NATIONAL_DAY_2025.is_working_day(date(2025, 9, 28)) is True  # make-up Sunday
    assert NATIONAL_DAY_2025.is_working_day(date(2025, 10, 8)) is False  # holiday Wednesday
    assert NATIONAL_DAY_2025.is_working_day(date(2025, 10, 18)) is False  # plain Saturday
    assert NATIONAL_DAY_2025.is_working_day(date(2025, 10, 20)) is True  # plain Monday


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 20, 60])
def test_working_days_between_inverts_add_working_days(n):
    start = date(2025, 9, 26)
    assert NATIONAL_DAY_2025.working_days_between(start, NATIONAL_DAY_2025.add_working_days(start, n)) == n


def test_working_days_between_is_negative_backwards():
    assert NATIONAL_DAY_2025.working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1


def test_explain_lists_holidays_skipped_and_make_up_days_counted():
    result = NATIONAL_DAY_2025.explain(date(2025, 9, 30), 3)
    assert result.deadline == date(2025, 10, 11)
    assert [d.date for d in result.holidays_skipped] == [date(2025, 10, d) for d in range(1, 9)]
    assert [d.date for d in result.makeup_workdays_counted] == [date(2025, 10, 11)]
    assert result.weekend_days_skipped == []
