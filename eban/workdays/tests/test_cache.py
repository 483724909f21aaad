"""The calendar is cached per process and reloaded when it changes."""

from datetime import date

import pytest

from eban.workdays import actions
from eban.workdays.calendar import CalendarRow
from eban.workdays.models import SpecialDay
from eban.workdays.queries import add_working_days, current_calendar

pytestmark = pytest.mark.django_db


def test_a_deadline_costs_one_query_once_the_calendar_is_cached(django_assert_num_queries):
    add_working_days(date(2025, 9, 30), 3)
    with django_assert_num_queries(1):
        assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_the_cached_calendar_is_reused_while_nothing_changes():
    assert current_calendar() is current_calendar()


def test_loading_a_year_invalidates_the_cache():
    before = current_calendar()
    actions.load_calendar_rows([CalendarRow(date(2027, 1, 1), "holiday", "元旦")], source="test")
    after = current_calendar()
    assert after is not before and 2027 in after.years


def test_saving_a_special_day_directly_invalidates_the_cache():
    assert add_working_days(date(2025, 10, 13), 1) == date(2025, 10, 14)
    SpecialDay.objects.create(date=date(2025, 10, 14), kind="holiday", name="test")
    assert add_working_days(date(2025, 10, 13), 1) == date(2025, 10, 15)
