"""Deadlines of a case in working days, with no I/O of its own (the calendar is passed in, or read
through eban.workdays.queries when not).

The clock starts on the day a case is accepted (受理). Like every count of working days in eban,
the start day itself is not counted: a matter with a promised time limit of 5 working days accepted
on a Monday is due on the Monday after (``add_working_days``). A matter done on the spot (0 days)
is due the day it is accepted.

While a supplement (补正) is awaited the clock stops. A pause runs from the day the supplement
was requested to the day the applicant answers: the request day is counted (the clock ran that
day), the working days after it up to and including the answer day are not; counting resumes
the day after the answer — the same rule as for the acceptance day. So a supplement answered the
same day costs nothing, one answered the next working day moves the deadline by one working day.
When the pause starts before the deadline, the deadline moves by exactly the working days the
clock was stopped; a pause that starts on or after the deadline gives no time back (an overdue
case stays overdue).

Warnings (the reviewer's queue): red once the deadline has passed; yellow when 2 working days or
fewer are left, or 20 % or less of the time limit (so a 20-day matter turns yellow with 4 days
left, a 5-day matter with 2); green otherwise. A case not yet accepted is measured against the 5
working days within which it must be accepted or declined (行政许可法 第三十二条、第八十二条:
time limits in working days).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from eban.workdays import calendar as workdays
from eban.workdays.queries import current_calendar

# A case must be accepted or declined within this many working days of its submission.
ACCEPTANCE_DAYS = 5
# The applicant is asked to answer a supplement request within this many working days (the
# request says by which day; nothing closes the case by itself when the day passes).
SUPPLEMENT_DAYS = 10
# A low rating (this score or less) must be followed up by the department within this many
# working days.
LOW_SCORE = 2
FOLLOW_UP_DAYS = 5
# Yellow: this many working days left or fewer …
YELLOW_DAYS = 2
# … or this share of the time limit or less.
YELLOW_SHARE = 0.2

GREEN = "green"
YELLOW = "yellow"
RED = "red"
PAUSED = "paused"  # waiting for a supplement: the clock is stopped
NONE = "none"  # no deadline (no time limit, or the calendar year is not loaded yet)


@dataclass(frozen=True)
class Pause:
    """The clock stopped on `stopped` (counted) and ran again after `resumed` (not counted)."""

    stopped: date
    resumed: date


def due_date(
    start: date,
    working_days: int | None,
    pauses: Iterable[Pause] = (),
    *,
    calendar: workdays.Calendar | None = None,
) -> date | None:
    """The deadline of a time limit of `working_days` counted from `start` (the acceptance day,
    not counted), not counting the days of the `pauses`. None when there is no time limit.

    Raises CalendarYearMissing when the count reaches a year whose holidays are not loaded."""
    if working_days is None:
        return None
    calendar = calendar or current_calendar()
    day, left = start, working_days
    for pause in sorted(pauses, key=lambda p: (p.stopped, p.resumed)):
        if pause.resumed <= day:  # over before the clock (re)started
            continue
        stop = max(pause.stopped, day)
        used = calendar.working_days_between(day, stop)
        if used >= left:  # the deadline came before the clock stopped
            break
        left -= used
        day = pause.resumed
    return calendar.add_working_days(day, left)


def days_left(due: date, today: date, *, calendar: workdays.Calendar | None = None) -> int:
    """Working days from `today` to `due`: 0 on the day itself, negative once it has passed
    (-1 the first working day after it)."""
    calendar = calendar or current_calendar()
    if today > due:
        return -max(1, calendar.working_days_between(due, today))
    return calendar.working_days_between(today, due)


@dataclass(frozen=True)
class Warning:
    level: str  # GREEN, YELLOW, RED, PAUSED or NONE
    due: date | None = None
    days_left: int | None = None  # working days; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.level == RED


def warning(
    due: date | None,
    today: date,
    time_limit: int | None,
    *,
    paused_on: date | None = None,
    calendar: workdays.Calendar | None = None,
) -> Warning:
    """How urgent a case is on `today`, against its deadline `due` of `time_limit` working days.
    `paused_on`: the day the clock stopped (the time left is then counted from that day and
    frozen). Never raises for a missing calendar year: the level is NONE then."""
    if due is None:
        return Warning(NONE)
    try:
        if paused_on is not None:
            return Warning(PAUSED, due, days_left(due, paused_on, calendar=calendar))
        left = days_left(due, today, calendar=calendar)
    except workdays.CalendarYearMissing:
        return Warning(NONE, due)
    if today > due:
        return Warning(RED, due, left)
    if left <= YELLOW_DAYS or (time_limit and left <= time_limit * YELLOW_SHARE):
        return Warning(YELLOW, due, left)
    return Warning(GREEN, due, left)


def acceptance_due(submitted_on: date, *, calendar: workdays.Calendar | None = None) -> date:
    """The last day to accept or decline a case submitted on `submitted_on`."""
    return (calendar or current_calendar()).add_working_days(submitted_on, ACCEPTANCE_DAYS)


def follow_up_due(rated_on: date, *, calendar: workdays.Calendar | None = None) -> date:
    """The day by which the department must follow up a low rating given on `rated_on`."""
    return (calendar or current_calendar()).add_working_days(rated_on, FOLLOW_UP_DAYS)


def supplement_reply_by(requested_on: date, *, calendar: workdays.Calendar | None = None) -> date:
    """The day by which the applicant is asked to answer a supplement request made on `requested_on`."""
    return (calendar or current_calendar()).add_working_days(requested_on, SUPPLEMENT_DAYS)
