"""Test data for the finder's tests: divisions, terminals, a holiday calendar."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from eban.catalogue.testing import make_division
from eban.government.models import DivisionLevel
from eban.kiosks import hours
from eban.kiosks.models import Terminal

_seq = itertools.count(1)

OFFICE = {
    "weekly": {
        "mon": [["08:30", "12:00"], ["13:30", "17:30"]],
        "tue": [["08:30", "12:00"], ["13:30", "17:30"]],
        "wed": [["08:30", "12:00"], ["13:30", "17:30"]],
        "thu": [["08:30", "12:00"], ["13:30", "17:30"]],
        "fri": [["08:30", "12:00"], ["13:30", "17:30"]],
        "sat": [],
        "sun": [],
    },
    "holidays": [],
}
ALWAYS = {"always": True}


def county(code: str = "330302", name: str = "鹿城区"):
    city = make_division("330300", "温州市", DivisionLevel.CITY)
    return make_division(code, name, DivisionLevel.COUNTY, city)


def township(code: str = "330302001", name: str = "五马街道", parent=None):
    return make_division(code, name, DivisionLevel.TOWNSHIP, parent or county())


def terminal(lat: float = 28.0, lng: float = 120.65, *, division=None, **fields) -> Terminal:
    n = next(_seq)
    fields.setdefault("code", f"T-{n:05d}")
    fields.setdefault("name", f"测试终端{n}")
    fields.setdefault("level", "township")
    fields.setdefault("address", f"测试路{n}号")
    fields.setdefault("opening_hours", ALWAYS)
    fields.setdefault("hardware", ["id_reader", "printer"])
    return Terminal.objects.create(latitude=lat, longitude=lng, division=division or township(), **fields)


def holiday_calendar(year: int = 2031, holidays=(date(2031, 10, 1),), workdays=(date(2031, 9, 27),)):
    """Load `year` with the given holidays and make-up workdays (and forget cached day kinds)."""
    from eban.workdays.models import CalendarYear, SpecialDay

    CalendarYear.objects.get_or_create(year=year)
    for day in holidays:
        SpecialDay.objects.update_or_create(date=day, defaults={"kind": "holiday", "name": "国庆节"})
    for day in workdays:
        SpecialDay.objects.update_or_create(date=day, defaults={"kind": "workday", "name": "国庆节"})
    hours.forget_calendar()


def _fresh_calendar():
    from django.core.cache import cache

    hours.forget_calendar()
    cache.clear()  # the cached division lists, rate-limit counters
    yield
    hours.forget_calendar()
    cache.clear()


# a fixture the finder's test modules import: no day kinds cached across tests
fresh_calendar = pytest.fixture(autouse=True)(_fresh_calendar)
