"""The calendar API at /api/v1/calendar: deadlines and the loaded years."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from eban.core.exceptions import NotFound

from . import queries
from .calendar import MAX_WORKING_DAYS, MAX_YEAR, MIN_YEAR
from .queries import add_working_days

router = Router(tags=["calendar"])


class ErrorBody(Schema):
    code: str
    message: str
    details: object | None = None


class ErrorOut(Schema):
    error: ErrorBody


class DeadlineOut(Schema):
    deadline: date = Field(..., description="The last day of the period, YYYY-MM-DD.")


class YearOut(Schema):
    year: int
    source: str
    loaded_at: datetime
    holidays: int = Field(
        ..., description="Holiday days listed for the year (weekend days of a period included)."
    )
    workdays: int = Field(..., description="Make-up workdays (调休上班) on weekends.")


class DayOut(Schema):
    date: date
    kind: str = Field(..., description="holiday or workday")
    name: str


class YearDetailOut(YearOut):
    days: list[DayOut]


@router.get(
    "/deadline",
    response={200: DeadlineOut, 400: ErrorOut, 422: ErrorOut},
    summary="Deadline after N working days",
    description=(
        "The date `working_days` working days after `start`. The start day itself is not counted; "
        "0 gives `start`. Weekends, holidays and make-up workdays (调休) follow the State Council's "
        "notices. A period reaching a year whose calendar is not loaded answers 400 with the code "
        "`calendar_year_missing` and the year in `details.year`."
    ),
)
def deadline(
    request,
    start: Annotated[date, Query(description="Start date, YYYY-MM-DD (not counted).")],
    working_days: Annotated[
        int, Query(ge=0, le=MAX_WORKING_DAYS, description="Working days to add (0 or more).")
    ],
):
    return {"deadline": add_working_days(start, working_days)}


@router.get("/years", response=list[YearOut], summary="The years whose holidays are loaded")
def years(request):
    return [s.__dict__ for s in queries.year_summaries()]


@router.get(
    "/years/{year}",
    response={200: YearDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One loaded year with its holidays and make-up workdays",
)
def year_detail(request, year: Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)]):
    summary = next((s for s in queries.year_summaries() if s.year == year), None)
    if summary is None:
        raise NotFound(_("The calendar for %(year)s is not loaded.") % {"year": year}, details={"year": year})
    return {**summary.__dict__, "days": queries.special_days_of(year)}
