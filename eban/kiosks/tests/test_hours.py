from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from eban.core.exceptions import DomainError
from eban.kiosks import hours

from .finder_factories import ALWAYS, OFFICE, fresh_calendar, holiday_calendar  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def test_always_is_normalised():
    assert hours.check_hours({"always": True}) == {"always": True}


def test_weekly_hours_are_normalised_sorted_and_padded():
    checked = hours.check_hours({"weekly": {"mon": [["13:30", "17:30"], ["8:30", "12:00"]]}})
    assert checked["weekly"]["mon"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert checked["weekly"]["sun"] == []
    assert "holidays" not in checked


def test_midnight_may_close_a_period():
    assert hours.check_hours({"weekly": {"fri": [["18:00", "24:00"]]}})["weekly"]["fri"] == [
        ["18:00", "24:00"]
    ]


@pytest.mark.parametrize(
    "data, words",
    [
        ({}, "required"),
        ([], "required"),
        ({"always": "yes"}, "true or false"),
        ({"always": True, "weekly": {}}, "24 hours"),
        ({"weekly": {"mon": [["8.30", "12:00"]]}}, "HH:MM"),
        ({"weekly": {"mon": [["25:00", "26:00"]]}}, "HH:MM"),
        ({"weekly": {"mon": [["24:00", "24:00"]]}}, "time of day"),
        ({"weekly": {"mon": [["12:00", "08:00"]]}}, "must close after it opens"),
        ({"weekly": {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}}, "overlap"),
        ({"weekly": {"monday": []}}, "Unknown day"),
        ({"weekly": {"mon": "08:00-12:00"}}, "list"),
        ({"weekly": {"mon": [["08:00"]]}}, "pair"),
        ({"weekly": {}, "hours": []}, "Unknown key"),
        ({"holidays": []}, "weekly"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(data, words):
    with translation.override("en"), pytest.raises(DomainError) as error:
        hours.check_hours(data)
    assert words in error.value.message


def test_touching_periods_are_allowed():
    hours.check_hours({"weekly": {"mon": [["08:00", "12:00"], ["12:00", "13:00"]]}})


@pytest.mark.django_db
def test_open_by_weekday_and_time():
    monday = date(2031, 9, 29)  # a Monday, ordinary
    assert monday.weekday() == 0
    assert hours.is_open(OFFICE, at(2031, 9, 29, 9))
    assert not hours.is_open(OFFICE, at(2031, 9, 29, 12, 30))  # lunch
    assert hours.is_open(OFFICE, at(2031, 9, 29, 17, 29))
    assert not hours.is_open(OFFICE, at(2031, 9, 29, 17, 30))  # closing time is exclusive
    assert not hours.is_open(OFFICE, at(2031, 9, 28, 10))  # Sunday


@pytest.mark.django_db
def test_the_time_is_taken_in_local_time():
    utc = datetime(2031, 9, 29, 1, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Wenzhou
    assert hours.is_open(OFFICE, utc)


@pytest.mark.django_db
def test_always_open_at_night_and_on_holidays():
    holiday_calendar()
    assert hours.is_open(ALWAYS, at(2031, 10, 1, 3))


@pytest.mark.django_db
def test_a_holiday_uses_the_holiday_hours():
    holiday_calendar()  # 2031-10-01 (a Wednesday) is a holiday
    assert not hours.is_open(OFFICE, at(2031, 10, 1, 9))  # holidays: [] = closed
    with_holiday_hours = {**OFFICE, "holidays": [["09:00", "12:00"]]}
    assert hours.is_open(with_holiday_hours, at(2031, 10, 1, 10))
    assert not hours.is_open(with_holiday_hours, at(2031, 10, 1, 14))


@pytest.mark.django_db
def test_a_holiday_without_holiday_hours_uses_the_weekday():
    holiday_calendar()
    no_holiday_key = {"weekly": OFFICE["weekly"]}
    assert hours.is_open(no_holiday_key, at(2031, 10, 1, 9))


@pytest.mark.django_db
def test_a_make_up_working_day_on_a_weekend_uses_mondays_hours():
    holiday_calendar()  # 2031-09-27 (a Saturday) is a make-up working day
    assert hours.is_open(OFFICE, at(2031, 9, 27, 9))
    assert not hours.is_open(OFFICE, at(2031, 9, 27, 12, 30))
    assert not hours.is_open(OFFICE, at(2031, 10, 4, 9))  # an ordinary Saturday


@pytest.mark.django_db
def test_day_kinds_are_looked_up_once_per_date(django_assert_num_queries):
    holiday_calendar()
    hours.day_kind(date(2031, 10, 1))
    with django_assert_num_queries(0):
        for _ in range(100):
            assert hours.day_kind(date(2031, 10, 1)) == hours.HOLIDAY


@pytest.mark.django_db
def test_open_at_evaluates_many_terminals_with_one_lookup(django_assert_max_num_queries):
    holiday_calendar()
    with django_assert_max_num_queries(3):
        open_at = hours.OpenAt(at(2031, 10, 1, 10))
        answers = [open_at(OFFICE) for _ in range(1000)]
    assert not any(answers)
    assert open_at(ALWAYS)


def test_invalid_or_missing_hours_are_never_open():
    assert not hours.is_open({}, at(2031, 9, 29, 9))
    assert not hours.is_open({"weekly": {"mon": [["12:00", "08:00"]]}}, at(2031, 9, 29, 9))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        hours.is_open(ALWAYS, datetime(2031, 9, 29, 9))


def test_describe_in_english():
    with translation.override("en"):
        assert hours.describe(ALWAYS) == ["Open 24 hours"]
        lines = hours.describe({**OFFICE, "holidays": [["09:00", "12:00"]]})
    assert lines == [
        "Mon–Fri 08:30–12:00, 13:30–17:30",
        "Sat–Sun closed",
        "Public holidays 09:00–12:00",
    ]


def test_describe_says_closed_on_holidays_and_missing_hours():
    with translation.override("en"):
        assert hours.describe(OFFICE)[-1] == "Closed on public holidays"
        assert hours.describe({}) == ["Opening hours not given"]
        single = hours.describe({"weekly": {"sat": [["09:00", "12:00"]]}})
    assert single == ["Mon–Fri closed", "Sat 09:00–12:00", "Sun closed"]


@pytest.mark.django_db
def test_today_text():
    holiday_calendar()
    with translation.override("en"):
        assert hours.today_text(OFFICE, at(2031, 9, 29, 20)) == "Today 08:30–12:00, 13:30–17:30"
        assert hours.today_text(OFFICE, at(2031, 10, 1, 9)) == "Closed today"
        assert hours.today_text(ALWAYS, at(2031, 10, 1, 9)) == "Open 24 hours"
