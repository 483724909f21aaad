"""Deadlines across real holidays, on the calendar seeded from chinese_calendar."""

from datetime import date

import chinese_calendar
import pytest

from eban.workdays.calendar import CalendarYearMissing
from eban.workdays.models import CalendarYear, SpecialDay
from eban.workdays.queries import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def d(s: str) -> date:
    return date.fromisoformat(s)


# --- National Day 2025: Oct 1-8 off; Sun Sep 28 and Sat Oct 11 worked ----------------------


def test_national_day_2025_holidays_are_all_off():
    assert [is_working_day(d(f"2025-10-0{i}")) for i in range(1, 9)] == [False] * 8


def test_national_day_2025_make_up_days_are_working_days():
    assert is_working_day(d("2025-09-28")) and is_working_day(d("2025-10-11"))


def test_friday_before_national_day_2025_plus_one_is_the_make_up_sunday():
    assert add_working_days(d("2025-09-26"), 1) == d("2025-09-28")


def test_across_national_day_2025_the_next_working_day_is_october_9():
    assert add_working_days(d("2025-09-30"), 1) == d("2025-10-09")


def test_across_national_day_2025_the_make_up_saturday_counts():
    assert add_working_days(d("2025-09-30"), 3) == d("2025-10-11")
    assert add_working_days(d("2025-09-30"), 4) == d("2025-10-13")


def test_twenty_working_days_from_mid_september_2025():
    # Sep 16-19 (4), Sep 22-26 (5), Sep 28 Sun (1), Sep 29-30 (2), Oct 9-10 (2), Oct 11 Sat (1),
    # Oct 13-17 (5) = 20.
    assert add_working_days(d("2025-09-15"), 20) == d("2025-10-17")


# --- Mid-Autumn 2024: Sep 15-17 off, Sat Sep 14 worked -------------------------------------


def test_mid_autumn_2024_make_up_saturday_counts():
    assert add_working_days(d("2024-09-13"), 1) == d("2024-09-14")


def test_mid_autumn_2024_holiday_is_skipped():
    assert add_working_days(d("2024-09-13"), 2) == d("2024-09-18")


def test_mid_autumn_2024_monday_and_tuesday_are_off():
    assert not is_working_day(d("2024-09-16")) and not is_working_day(d("2024-09-17"))


# --- Spring Festival 2026 -------------------------------------------------------------------


def test_spring_festival_2026_dates_are_those_of_chinese_calendar():
    february = [date(2026, 2, i) for i in range(1, 29)]
    festival = [x for x in february if chinese_calendar.get_holiday_detail(x) == (True, "Spring Festival")]
    # Sun Feb 15 to Mon Feb 23 off (nine days).
    assert festival == [date(2026, 2, i) for i in range(15, 24)]
    assert chinese_calendar.get_workdays(d("2026-02-14"), d("2026-02-14")) == [
        d("2026-02-14")
    ]  # Saturday worked
    assert chinese_calendar.get_workdays(d("2026-02-28"), d("2026-02-28")) == [
        d("2026-02-28")
    ]  # Saturday worked
    stored = dict(
        SpecialDay.objects.filter(date__range=("2026-02-01", "2026-03-01")).values_list("date", "kind")
    )
    assert {k for k, v in stored.items() if v == "holiday"} == {d(f"2026-02-{i}") for i in range(15, 24)}
    assert {k for k, v in stored.items() if v == "workday"} == {d("2026-02-14"), d("2026-02-28")}


def test_spring_festival_2026_make_up_saturday_before_counts():
    assert add_working_days(d("2026-02-13"), 1) == d("2026-02-14")


def test_spring_festival_2026_is_skipped():
    assert add_working_days(d("2026-02-13"), 2) == d("2026-02-24")


def test_spring_festival_2026_make_up_saturday_after_counts():
    # Tue Feb 24 .. Fri Feb 27 (4), Sat Feb 28 (5).
    assert add_working_days(d("2026-02-23"), 5) == d("2026-02-28")


# --- Labour Day 2025 (May 1-5 off, Sun Apr 27 worked) and New Year 2026 ---------------------


def test_labour_day_2025_is_skipped():
    assert add_working_days(d("2025-04-30"), 1) == d("2025-05-06")


def test_labour_day_2025_make_up_sunday_counts():
    assert add_working_days(d("2025-04-25"), 1) == d("2025-04-27")


def test_new_year_2026_across_the_year_boundary():
    # Jan 1-3 off (Thu-Sat), Sun Jan 4 worked.
    assert add_working_days(d("2025-12-31"), 1) == d("2026-01-04")
    assert add_working_days(d("2025-12-31"), 2) == d("2026-01-05")


# --- Start days that are not ordinary --------------------------------------------------------


def test_start_on_a_holiday_counts_from_the_next_working_day():
    assert add_working_days(d("2025-10-03"), 1) == d("2025-10-09")


def test_start_on_a_make_up_workday_is_not_counted():
    assert add_working_days(d("2025-09-28"), 1) == d("2025-09-29")


def test_zero_working_days_from_a_holiday_is_that_day():
    assert add_working_days(d("2025-10-01"), 0) == d("2025-10-01")


def test_working_days_between_counts_the_national_day_week_right():
    assert working_days_between(d("2025-09-30"), d("2025-10-11")) == 3


# --- A year not loaded ------------------------------------------------------------------------


def test_2027_is_not_loaded():
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_deadline_reaching_2027_names_2027():
    with pytest.raises(CalendarYearMissing) as excinfo:
        add_working_days(d("2026-12-31"), 1)
    assert excinfo.value.year == 2027
    assert "2027" in excinfo.value.message


def test_deadline_at_the_end_of_2026_still_works():
    assert add_working_days(d("2026-12-30"), 1) == d("2026-12-31")
