"""The public deadline calculator (期限计算器)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language

from . import queries
from .calendar import CalendarYearMissing, InvalidWorkingDays
from .forms import DeadlineForm
from .queries import explain_deadline


def calculator(request):
    form = DeadlineForm(request.GET or None)
    result = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = explain_deadline(form.cleaned_data["start"], form.cleaned_data["working_days"])
            except (CalendarYearMissing, InvalidWorkingDays) as exc:
                form.add_error(None, exc.message)
        if form.errors:
            status = 400
    years = queries.loaded_years()
    english = (get_language() or "").startswith("en")
    context = {
        "date_format": "l j F Y" if english else "Y年n月j日（l）",
        "form": form,
        "result": result,
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
    }
    return render(request, "workdays/calculator.html", context, status=status)
