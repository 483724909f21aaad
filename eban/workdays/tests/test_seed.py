"""The calendar seeded from chinese_calendar by the data migration and `eban seed-calendar`."""

from datetime import date

import pytest
from django.core.management import call_command

from eban.workdays import seed
from eban.workdays.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db


def test_every_year_chinese_calendar_knows_is_loaded():
    assert seed.known_years()[0] == 2004 and seed.known_years()[-1] >= 2026
    assert list(CalendarYear.objects.values_list("year", flat=True)) == seed.known_years()


def test_a_year_chinese_calendar_does_not_know_is_not_among_them():
    assert 2027 not in seed.known_years()
    with pytest.raises(NotImplementedError):
        seed.rows_for(2027)


def test_festival_names_are_in_chinese():
    names = set(SpecialDay.objects.values_list("name", flat=True))
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names
    assert all(not n.isascii() for n in names)


def test_make_up_workdays_are_all_weekends():
    assert all(
        d.weekday() >= 5 for d in SpecialDay.objects.filter(kind="workday").values_list("date", flat=True)
    )


def test_national_day_2025_is_seeded_with_its_names():
    day = SpecialDay.objects.get(date=date(2025, 10, 1))
    assert (day.kind, day.name) == ("holiday", "国庆节")
    assert SpecialDay.objects.get(date=date(2025, 9, 28)).kind == "workday"


def test_seed_calendar_command_is_idempotent():
    before = SpecialDay.objects.count()
    call_command("seed_calendar")
    assert SpecialDay.objects.count() == before


def test_seed_calendar_restores_a_deleted_year():
    CalendarYear.objects.filter(year=2024).delete()
    SpecialDay.objects.filter(date__year=2024).delete()
    call_command("seed_calendar")
    assert CalendarYear.objects.filter(year=2024, source="chinese_calendar").exists()
    assert SpecialDay.objects.get(date=date(2024, 9, 14)).kind == "workday"
