"""Deadlines in working days with clock stops, and warning levels: pure, on the real 2024–2025
holiday calendars (held in memory: no database)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from eban.applications import deadlines
from eban.applications.deadlines import Pause, due_date, warning
from eban.workdays import seed
from eban.workdays.calendar import Calendar, CalendarYearMissing

CAL = Calendar.from_rows([2024, 2025], [row for year in (2024, 2025) for row in seed.rows_for(year)])


def d(text: str) -> date:
    return date.fromisoformat(text)


def naive_due(start: date, n: int, paused: set[date]) -> date:
    """Count n working days after `start`, skipping the days in `paused` — the definition,
    written the slowest way."""
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if CAL.is_working_day(day) and day not in paused:
            left -= 1
    return day


def paused_days(pauses) -> set[date]:
    """The days a pause does not count: after the stop day, up to and including the answer day."""
    out = set()
    for p in pauses:
        day = p.stopped + timedelta(days=1)
        while day <= p.resumed:
            out.add(day)
            day += timedelta(days=1)
    return out


def test_no_pause_is_plain_working_days_from_the_day_after_acceptance():
    # Monday 2025-06-09 + 5 working days = Monday 2025-06-16.
    assert due_date(d("2025-06-09"), 5, calendar=CAL) == d("2025-06-16")


def test_a_matter_done_on_the_spot_is_due_the_day_it_is_accepted():
    assert due_date(d("2025-06-09"), 0, calendar=CAL) == d("2025-06-09")


def test_no_time_limit_means_no_deadline():
    assert due_date(d("2025-06-09"), None, calendar=CAL) is None


def test_accepted_just_before_national_day_skips_the_holiday_and_counts_the_makeup_saturday():
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are working days.
    # Accepted Tuesday 30 September, 10 working days: 9, 10, 11 (Sat), 13, 14, 15, 16, 17, 20, 21.
    assert due_date(d("2025-09-30"), 10, calendar=CAL) == d("2025-10-21")


def test_a_supplement_in_the_middle_moves_the_deadline_by_the_working_days_stopped():
    # Accepted 30 September (due 21 October); supplement asked Tuesday 14 October (counted),
    # answered Thursday 16 October: the 15th and 16th do not count -> due two working days later.
    pause = Pause(d("2025-10-14"), d("2025-10-16"))
    assert due_date(d("2025-09-30"), 10, [pause], calendar=CAL) == d("2025-10-23")


def test_a_pause_over_national_day_costs_only_its_working_days():
    # Accepted Thursday 25 September 2025 (10 days, due 15 October without a pause). Supplement
    # asked Monday 29 September, answered Thursday 9 October: the clock missed 30 September and
    # 9 October only (1–8 October are holidays anyway) -> due two working days later, 17 October.
    assert due_date(d("2025-09-25"), 10, calendar=CAL) == d("2025-10-15")
    pause = Pause(d("2025-09-29"), d("2025-10-09"))
    assert due_date(d("2025-09-25"), 10, [pause], calendar=CAL) == d("2025-10-17")


def test_a_supplement_answered_the_same_day_costs_nothing():
    pause = Pause(d("2025-10-14"), d("2025-10-14"))
    assert due_date(d("2025-09-30"), 10, [pause], calendar=CAL) == d("2025-10-21")


def test_a_supplement_answered_on_a_weekend_costs_only_the_working_days_before_it():
    # Asked Friday 2025-06-13, answered Sunday 2025-06-15: no working day was lost.
    pause = Pause(d("2025-06-13"), d("2025-06-15"))
    assert due_date(d("2025-06-09"), 10, [pause], calendar=CAL) == due_date(d("2025-06-09"), 10, calendar=CAL)


def test_two_supplements_add_up():
    start = d("2025-06-02")  # Monday
    pauses = [Pause(d("2025-06-04"), d("2025-06-06")), Pause(d("2025-06-10"), d("2025-06-11"))]
    plain = due_date(start, 10, calendar=CAL)
    assert due_date(start, 10, pauses, calendar=CAL) == CAL.add_working_days(plain, 3)


def test_a_supplement_asked_on_the_acceptance_day_counts_from_its_answer():
    pause = Pause(d("2025-06-09"), d("2025-06-12"))
    assert due_date(d("2025-06-09"), 5, [pause], calendar=CAL) == CAL.add_working_days(d("2025-06-12"), 5)


def test_a_pause_after_the_deadline_gives_no_time_back():
    # Due 2025-06-16; a supplement asked on the 18th (overdue already) does not revive it.
    pause = Pause(d("2025-06-18"), d("2025-06-25"))
    assert due_date(d("2025-06-09"), 5, [pause], calendar=CAL) == d("2025-06-16")


def test_a_pause_starting_on_the_due_day_gives_no_time_back():
    pause = Pause(d("2025-06-16"), d("2025-06-20"))
    assert due_date(d("2025-06-09"), 5, [pause], calendar=CAL) == d("2025-06-16")


def test_a_supplement_answered_before_acceptance_does_not_count():
    pause = Pause(d("2025-06-02"), d("2025-06-05"))
    assert due_date(d("2025-06-09"), 5, [pause], calendar=CAL) == d("2025-06-16")


def test_overlapping_pauses_count_once():
    start = d("2025-06-02")
    one = [Pause(d("2025-06-04"), d("2025-06-10"))]
    both = one + [Pause(d("2025-06-05"), d("2025-06-09"))]
    assert due_date(start, 10, both, calendar=CAL) == due_date(start, 10, one, calendar=CAL)


def test_the_order_pauses_are_given_in_does_not_matter():
    start = d("2025-06-02")
    pauses = [Pause(d("2025-06-10"), d("2025-06-11")), Pause(d("2025-06-04"), d("2025-06-06"))]
    assert due_date(start, 10, pauses, calendar=CAL) == due_date(
        start, 10, list(reversed(pauses)), calendar=CAL
    )


def test_across_new_year_the_next_years_calendar_is_used():
    # Accepted Monday 2024-12-30, 3 days: 31 Dec, (1 Jan holiday), 2 Jan, 3 Jan.
    assert due_date(d("2024-12-30"), 3, calendar=CAL) == d("2025-01-03")


def test_a_year_not_loaded_is_named_not_guessed():
    with pytest.raises(CalendarYearMissing) as raised:
        due_date(d("2025-12-20"), 20, calendar=CAL)
    assert raised.value.year == 2026


# Every acceptance day of September–October 2025 (National Day inside), every time limit from 0 to
# 12, with no pause and with each one-pause shape (stop 0–6 days after acceptance, lasting 0–5
# days): the arithmetic agrees with counting day by day.
STARTS = [d("2025-09-15") + timedelta(days=i) for i in range(0, 40, 3)]


@pytest.mark.parametrize("start", STARTS, ids=str)
def test_due_dates_agree_with_counting_day_by_day(start):
    for n, offset, length in itertools.product(range(0, 13, 2), range(0, 7, 2), range(0, 6, 2)):
        pause = Pause(start + timedelta(days=offset), start + timedelta(days=offset + length))
        plain = naive_due(start, n, set())
        if pause.stopped >= plain:  # a pause on or after the deadline gives nothing back
            expected = plain
        else:
            expected = naive_due(start, n, paused_days([pause]))
        assert due_date(start, n, [pause], calendar=CAL) == expected, (start, n, pause)
        assert due_date(start, n, calendar=CAL) == plain


def test_the_shift_equals_the_working_days_stopped():
    """When the pause starts before the deadline: new due = old due + working days in the pause."""
    start = d("2025-09-25")
    for offset in range(0, 10):
        for length in range(0, 15):
            pause = Pause(start + timedelta(days=offset), start + timedelta(days=offset + length))
            plain = due_date(start, 10, calendar=CAL)
            if pause.stopped >= plain:
                continue
            stopped = CAL.working_days_between(pause.stopped, pause.resumed)
            assert due_date(start, 10, [pause], calendar=CAL) == CAL.add_working_days(plain, stopped)


# --- warnings -------------------------------------------------------------------------------------


def test_green_with_plenty_of_time():
    w = warning(d("2025-06-30"), d("2025-06-16"), 10, calendar=CAL)
    assert (w.level, w.days_left) == (deadlines.GREEN, 10)


def test_yellow_with_two_working_days_left():
    w = warning(d("2025-06-18"), d("2025-06-16"), 5, calendar=CAL)
    assert (w.level, w.days_left) == (deadlines.YELLOW, 2)


def test_green_with_three_working_days_left_of_five():
    assert warning(d("2025-06-19"), d("2025-06-16"), 5, calendar=CAL).level == deadlines.GREEN


def test_yellow_with_a_fifth_of_a_long_time_limit_left():
    # 20-day limit: 4 working days left is 20 % -> yellow; 5 left is green.
    assert warning(d("2025-06-20"), d("2025-06-16"), 20, calendar=CAL).level == deadlines.YELLOW
    assert warning(d("2025-06-23"), d("2025-06-16"), 20, calendar=CAL).level == deadlines.GREEN


def test_yellow_on_the_due_day_itself():
    w = warning(d("2025-06-16"), d("2025-06-16"), 10, calendar=CAL)
    assert (w.level, w.days_left) == (deadlines.YELLOW, 0)


def test_red_the_day_after_the_deadline_even_on_a_weekend():
    w = warning(d("2025-06-13"), d("2025-06-14"), 10, calendar=CAL)  # due Friday, seen Saturday
    assert w.level == deadlines.RED and w.overdue and w.days_left == -1


def test_red_counts_the_working_days_late():
    w = warning(d("2025-06-13"), d("2025-06-18"), 10, calendar=CAL)
    assert (w.level, w.days_left) == (deadlines.RED, -3)


def test_a_stopped_clock_shows_the_time_left_when_it_stopped():
    w = warning(d("2025-06-20"), d("2025-07-30"), 10, paused_on=d("2025-06-16"), calendar=CAL)
    assert (w.level, w.days_left) == (deadlines.PAUSED, 4)


def test_no_deadline_no_warning():
    assert warning(None, d("2025-06-16"), None, calendar=CAL).level == deadlines.NONE


def test_a_missing_year_gives_no_warning_rather_than_an_error():
    w = warning(d("2026-01-10"), d("2025-12-30"), 10, calendar=CAL)
    assert w.level == deadlines.NONE and w.due == d("2026-01-10")


def test_acceptance_limit_is_five_working_days():
    assert deadlines.acceptance_due(d("2025-09-29"), calendar=CAL) == d("2025-10-13")


def test_follow_up_of_a_low_rating_is_five_working_days():
    assert deadlines.follow_up_due(d("2025-06-09"), calendar=CAL) == d("2025-06-16")
