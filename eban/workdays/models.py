"""The calendar of working days: holidays and make-up workdays (调休), year by year.

A year counts as known only when it has a `CalendarYear` row: a date in any other year
is refused rather than guessed. `CalendarVersion` is a one-row stamp that changes with
every change to the calendar, so each process can keep the calendar in memory and
reload it only when the stamp moves (see `queries.current_calendar`).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import MAX_YEAR, MIN_YEAR, validate_special_day


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (no work)")
    WORKDAY = "workday", _("Make-up workday (调休上班)")


class CalendarVersion(models.Model):
    """One row (pk=1) whose token changes whenever a year or a special day changes."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar versions")

    def __str__(self) -> str:
        return self.token


def bump_calendar_version() -> str:
    """Mark the calendar as changed: every process reloads it at its next use."""
    token = uuid.uuid4().hex
    CalendarVersion.objects.update_or_create(pk=1, defaults={"token": token})
    return token


class BumpsCalendarVersion(models.Model):
    """Writes normally go through eban.workdays.actions; saving or deleting a row by any other
    path (e.g. the back office's bulk delete) still invalidates the per-process calendar caches."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        bump_calendar_version()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_calendar_version()
        return result


class CalendarYear(BumpsCalendarVersion):
    """A year whose holiday notice is loaded. Dates in a year without a row are unknown."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        if self.year is not None and not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(
                {
                    "year": _("The year must be between %(min)s and %(max)s.")
                    % {"min": MIN_YEAR, "max": MAX_YEAR}
                }
            )


class SpecialDay(BumpsCalendarVersion):
    """A date that differs from the Monday–Friday rule: a holiday (usually on a weekday;
    the weekend days of a holiday period may be listed too), or a weekend day that is a
    working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 国庆节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        if self.date is None or not self.kind:
            return
        problem = validate_special_day(self.date, self.kind)
        if problem:
            raise ValidationError({"date": problem})
