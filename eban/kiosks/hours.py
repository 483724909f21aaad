"""A terminal's opening hours: checking, "is it open at …?" and a description for pages.

The JSON (Terminal.opening_hours):

    {"always": true}                                        open 24 hours, every day
    {"weekly": {"mon": [["08:30", "12:00"], ["13:30", "17:30"]], ..., "sun": []},
     "holidays": [["09:00", "12:00"]]}                      statutory holidays ([] = closed;
                                                            no key = as on that weekday)

Times are "HH:MM" (local time, Asia/Shanghai); "24:00" may end a range. Within a day the ranges
are ordered and do not overlap. A day missing from "weekly" is closed.

Which hours apply on a date (eban.workdays' calendar):
  - a statutory holiday: the "holidays" hours if given, else that weekday's;
  - a make-up working day (调休上班) on a weekend: Monday's hours (a working day's);
  - any other day: that weekday's hours.
A year whose calendar is not loaded counts as ordinary weekdays and weekends (never an error:
the finder must answer).

The calendar lookups are cached per date in this process (`day_kind`, a few minutes), so
evaluating thousands of terminals costs one lookup per query at most.
"""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from eban.core.exceptions import DomainError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME_RE = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
MAX_RANGES_PER_DAY = 6

ORDINARY, HOLIDAY, MAKEUP_WORKDAY = "ordinary", "holiday", "workday"

# --------------------------------------------------------------------------- checking


class InvalidHours(DomainError):
    code = "invalid_opening_hours"


def _minutes(value: Any, where: Any, *, end: bool) -> int:
    if not isinstance(value, str) or not TIME_RE.match(value.strip()):
        where = where() if callable(where) else where
        raise InvalidHours(
            _("%(where)s: “%(value)s” is not a time written HH:MM (e.g. 08:30).")
            % {"where": where, "value": value}
        )
    hh, mm = (int(part) for part in value.strip().split(":"))
    total = hh * 60 + mm
    if total > 24 * 60 or (total == 24 * 60 and not end):
        where = where() if callable(where) else where
        raise InvalidHours(
            _("%(where)s: “%(value)s” is not a time of day (00:00 to 24:00).")
            % {"where": where, "value": value}
        )
    return total


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_label(key: str) -> str:
    return {"holidays": _("Holidays")}.get(key) or day_name(DAYS.index(key))


class _Where:
    """The day's label for a message, made (translated) only when there is something to say."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __str__(self) -> str:
        return _day_label(self.key)

    def __call__(self) -> str:
        return str(self)


def _check_ranges(value: Any, key: str) -> list[list[str]]:
    where = _Where(key)
    if not isinstance(value, list):
        raise InvalidHours(
            _("%(where)s: the hours must be a list of [opening, closing] pairs.") % {"where": where}
        )
    if len(value) > MAX_RANGES_PER_DAY:
        raise InvalidHours(
            _("%(where)s: at most %(n)s opening periods a day.") % {"where": where, "n": MAX_RANGES_PER_DAY}
        )
    ranges = []
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InvalidHours(
                _('%(where)s: each period is a pair [opening, closing], like ["08:30", "12:00"].')
                % {"where": where}
            )
        start, stop = _minutes(pair[0], where, end=False), _minutes(pair[1], where, end=True)
        if stop <= start:
            raise InvalidHours(
                _("%(where)s: the period %(start)s–%(stop)s must close after it opens.")
                % {"where": where, "start": _fmt(start), "stop": _fmt(stop)}
            )
        ranges.append((start, stop))
    ranges.sort()
    for (a_start, a_stop), (b_start, b_stop) in zip(ranges, ranges[1:], strict=False):
        if b_start < a_stop:
            raise InvalidHours(
                _("%(where)s: the periods %(a)s and %(b)s overlap.")
                % {
                    "where": where,
                    "a": f"{_fmt(a_start)}–{_fmt(a_stop)}",
                    "b": f"{_fmt(b_start)}–{_fmt(b_stop)}",
                }
            )
    return [[_fmt(a), _fmt(b)] for a, b in ranges]


def check_hours(data: Any) -> dict:
    """The opening hours, checked and normalised; InvalidHours (a DomainError) saying what is wrong."""
    if not isinstance(data, dict) or not data:
        raise InvalidHours(
            _("Opening hours are required: either open 24 hours, or hours for each day of the week.")
        )
    unknown = sorted(set(data) - {"always", "weekly", "holidays"})
    if unknown:
        raise InvalidHours(_("Unknown key in the opening hours: %(keys)s.") % {"keys": ", ".join(unknown)})
    always = data.get("always", False)
    if not isinstance(always, bool):
        raise InvalidHours(_("“always” must be true or false."))
    if always:
        if "weekly" in data or "holidays" in data:
            raise InvalidHours(_("A terminal open 24 hours has no weekly or holiday hours."))
        return {"always": True}
    weekly = data.get("weekly")
    if not isinstance(weekly, dict):
        raise InvalidHours(_("Give the hours for each day of the week (“weekly”), or open 24 hours."))
    unknown_days = sorted(set(weekly) - set(DAYS))
    if unknown_days:
        raise InvalidHours(
            _("Unknown day in the weekly hours: %(days)s (use mon, tue, wed, thu, fri, sat, sun).")
            % {"days": ", ".join(map(str, unknown_days))}
        )
    result: dict[str, Any] = {"weekly": {day: _check_ranges(weekly.get(day, []), day) for day in DAYS}}
    if "holidays" in data:
        result["holidays"] = _check_ranges(data["holidays"], "holidays")
    return result


def _safe(hours: Any) -> dict | None:
    """Normalised hours, or None when they are missing or not valid (then: never "open")."""
    try:
        return check_hours(hours)
    except DomainError:
        return None


# --------------------------------------------------------------------------- the calendar

_DAY_CACHE_SECONDS = 300
_day_cache: dict[date, tuple[str, float]] = {}
_day_lock = threading.Lock()


def forget_calendar() -> None:
    """Drop the cached day kinds (tests, or after loading a holiday notice in this process)."""
    with _day_lock:
        _day_cache.clear()


def day_kind(day: date) -> str:
    """ORDINARY, HOLIDAY or MAKEUP_WORKDAY for `day`, from eban.workdays (cached per date)."""
    now = time.monotonic()
    cached = _day_cache.get(day)
    if cached is not None and cached[1] > now:
        return cached[0]
    from eban.workdays.queries import current_calendar

    calendar = current_calendar()
    if day in calendar.workdays:
        kind = MAKEUP_WORKDAY
    elif day in calendar.holidays:
        kind = HOLIDAY
    else:
        kind = ORDINARY
    with _day_lock:
        if len(_day_cache) > 1000:
            _day_cache.clear()
        _day_cache[day] = (kind, now + _DAY_CACHE_SECONDS)
    return kind


# --------------------------------------------------------------------------- open or not


def _hours_of(terminal_or_hours: Any) -> Any:
    return getattr(terminal_or_hours, "opening_hours", terminal_or_hours)


def ranges_on(hours: dict, day: date, kind: str | None = None) -> list[list[str]] | None:
    """The opening periods on `day` for checked hours (None = open all day)."""
    if hours.get("always"):
        return None
    kind = day_kind(day) if kind is None else kind
    weekly = hours["weekly"]
    if kind == HOLIDAY and "holidays" in hours:
        return hours["holidays"]
    if kind == MAKEUP_WORKDAY and day.weekday() >= 5:
        return weekly["mon"]
    return weekly[DAYS[day.weekday()]]


def hours_on(terminal_or_hours: Any, day: date) -> list[list[str]] | None:
    """The periods a terminal is open on `day` ([] = closed, None = 24 hours)."""
    hours = _safe(_hours_of(terminal_or_hours))
    if hours is None:
        return []
    return ranges_on(hours, day)


def _open_in(ranges: list[list[str]] | None, minute: int) -> bool:
    if ranges is None:
        return True
    for start, stop in ranges:
        if _minutes(start, "", end=False) <= minute < _minutes(stop, "", end=True):
            return True
    return False


def is_open(terminal_or_hours: Any, at: datetime, *, kind: str | None = None, checked: bool = False) -> bool:
    """Whether a terminal (or its opening-hours JSON) is open at the aware datetime `at`.

    `kind` (the day kind of `at`'s local date) may be given by a caller that evaluates many
    terminals at once; `checked=True` skips re-checking hours already normalised."""
    if timezone.is_naive(at):
        raise ValueError("is_open needs an aware datetime")
    raw = _hours_of(terminal_or_hours)
    hours = raw if checked else _safe(raw)
    if not hours:
        return False
    if hours.get("always"):
        return True
    local = timezone.localtime(at)
    ranges = ranges_on(hours, local.date(), kind)
    return _open_in(ranges, local.hour * 60 + local.minute)


class OpenAt:
    """A fast `is_open` for many terminals at one moment: the day kind is looked up once, and
    each distinct hours JSON is evaluated once."""

    def __init__(self, at: datetime) -> None:
        if timezone.is_naive(at):
            raise ValueError("OpenAt needs an aware datetime")
        self.local = timezone.localtime(at)
        self.kind = day_kind(self.local.date())
        self.minute = self.local.hour * 60 + self.local.minute
        self._seen: dict[str, bool] = {}

    def __call__(self, raw: Any) -> bool:
        """Open at this moment? `raw` is the hours JSON, decoded or as its text."""
        if isinstance(raw, dict) and raw.get("always") is True and len(raw) == 1:
            return True
        key = raw if isinstance(raw, str) else repr(raw)
        answer = self._seen.get(key)
        if answer is None:
            if isinstance(raw, str):
                try:
                    raw = json.loads(raw)
                except ValueError:
                    raw = None
            hours = _safe(raw)
            answer = bool(hours) and _open_in(ranges_on(hours, self.local.date(), self.kind), self.minute)
            self._seen[key] = answer
        return answer


# --------------------------------------------------------------------------- describing


def day_name(index: int) -> str:
    names = [
        pgettext("weekday", "Mon"), pgettext("weekday", "Tue"), pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"), pgettext("weekday", "Fri"), pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    ]  # fmt: skip
    return names[index]


def _ranges_text(ranges: list[list[str]]) -> str:
    if not ranges:
        return pgettext("opening hours", "closed")
    return ", ".join(f"{start}–{stop}" for start, stop in ranges)


def describe(terminal_or_hours: Any) -> list[str]:
    """Lines for people: "Open 24 hours", or "Mon–Fri 08:30–12:00, 13:30–17:30", "Sat–Sun closed",
    and the holiday hours when they differ. In the current language."""
    hours = _safe(_hours_of(terminal_or_hours))
    if hours is None:
        return [_("Opening hours not given")]
    if hours.get("always"):
        return [_("Open 24 hours")]
    weekly = hours["weekly"]
    groups: list[tuple[int, int, list]] = []
    for i, day in enumerate(DAYS):
        if groups and groups[-1][2] == weekly[day] and groups[-1][1] == i - 1:
            groups[-1] = (groups[-1][0], i, weekly[day])
        else:
            groups.append((i, i, weekly[day]))
    lines = []
    for first, last, ranges in groups:
        if first == last:
            days = day_name(first)
        else:
            days = _("%(first)s–%(last)s") % {"first": day_name(first), "last": day_name(last)}
        lines.append(_("%(days)s %(hours)s") % {"days": days, "hours": _ranges_text(ranges)})
    if "holidays" in hours:
        if hours["holidays"]:
            lines.append(_("Public holidays %(hours)s") % {"hours": _ranges_text(hours["holidays"])})
        else:
            lines.append(_("Closed on public holidays"))
    return lines


def today_text(terminal_or_hours: Any, at: datetime) -> str:
    """ "Today 08:30–12:00, 13:30–17:30", "Open 24 hours" or "Closed today" (local date of `at`)."""
    ranges = hours_on(terminal_or_hours, timezone.localtime(at).date())
    if ranges is None:
        return _("Open 24 hours")
    if not ranges:
        return _("Closed today")
    return _("Today %(hours)s") % {"hours": _ranges_text(ranges)}
