"""The years the `chinesecalendar` package knows, as calendar rows.

Used by the data migration that seeds the table and by `eban seed-calendar`. The
package raises NotImplementedError for years it does not know; those are skipped.
"""

from __future__ import annotations

from datetime import date

from .calendar import HOLIDAY, WORKDAY, CalendarRow

SOURCE = "chinese_calendar"

# chinese_calendar's English holiday names -> the names of the State Council notices.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(value) -> str:
    english = getattr(value, "value", value)
    if isinstance(english, tuple):  # some versions keep (english, chinese, days)
        english = english[0]
    return CHINESE_NAMES.get(str(english), str(english))[:50]


def _knows(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def known_years() -> list[int]:
    """Every year the installed chinese_calendar can answer for."""
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return sorted(y for y in years if _knows(y))


def rows_for(year: int) -> list[CalendarRow]:
    """The holidays (every day of each holiday period, weekends included) and the
    make-up workdays of `year`, with the festival names in Chinese."""
    from chinese_calendar import constants

    if not _knows(year):
        raise NotImplementedError(year)
    rows = [CalendarRow(d, HOLIDAY, _name(v)) for d, v in constants.holidays.items() if d.year == year]
    rows += [
        CalendarRow(d, WORKDAY, _name(v))
        for d, v in constants.workdays.items()
        if d.year == year and d.weekday() >= 5
    ]
    return sorted(rows, key=lambda r: r.date)
