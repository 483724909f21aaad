from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .calendar import MAX_WORKING_DAYS

# Besides 2025-09-30: the ways people write a date by hand.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("Start date"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("The day the application was accepted, e.g. 2025-09-30. This day itself is not counted."),
        error_messages={
            "required": _("Please enter the start date."),
            "invalid": _("Please enter the start date as year-month-day, e.g. 2025-09-30."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
    )
    working_days = forms.IntegerField(
        label=_("Working days"),
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        help_text=_("The time limit in working days, e.g. 20."),
        error_messages={
            "required": _("Please enter the number of working days."),
            "invalid": _("Please enter the number of working days as a whole number, e.g. 20."),
            "min_value": _("The number of working days cannot be negative."),
            "max_value": _("The number of working days can be at most %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_WORKING_DAYS}),
    )


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Holiday file (CSV)"),
        help_text=_("Columns date,kind,name — kind is holiday or workday. UTF-8 or GBK."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, do not load it"), required=False)
