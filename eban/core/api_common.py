"""Building blocks shared by every domain's API router: the error body and page-number pagination.

They live in `core` (not in `eban.api`) because the domain routers import them and
`eban.api` imports the domain routers (see docs/architecture.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, QueryDict
from ninja import Field, Schema

from .exceptions import DomainError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000


class ApiErrorDetail(Schema):
    field: str = Field(..., description="The parameter or field at fault ('' for the request as a whole).")
    message: str = Field(..., description="What is wrong, in the language of the request.")
    type: str = Field(..., description="A stable machine-readable kind of problem.")


class ApiErrorInfo(Schema):
    code: str = Field(..., description="A stable machine-readable error code, e.g. `not_found`.")
    message: str = Field(..., description="A message for people, in the language of the request.")
    details: list[ApiErrorDetail] | dict[str, Any] | None = Field(
        None,
        description="More about the error: for a validation error, the list of problems; "
        'otherwise an object such as `{"code": "..."}` or `{"year": 2031}`.',
    )


class ApiError(Schema):
    """Every error of the API has this shape."""

    error: ApiErrorInfo


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The body of an error answer (the ApiError shape)."""
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return body


class InvalidInput(DomainError):
    """The request's input broke a rule that a schema cannot express (e.g. an unknown code)."""

    status_code = 422
    code = "validation_error"


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (at most {MAX_PAGE_SIZE})."
    )


class PageInfo(Schema):
    total: int = Field(..., description="How many items match, over all pages.")
    page: int = Field(..., description="This page's number, from 1.")
    page_size: int
    pages: int = Field(..., description="How many pages there are.")
    next: str | None = Field(None, description="The URL of the next page, if any.")
    previous: str | None = Field(None, description="The URL of the previous page, if any.")


def _page_url(request: HttpRequest, page: int) -> str:
    query: QueryDict = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, items: Sequence[Any], total: int, params: PageParams) -> dict[str, Any]:
    """One page of `items` (a list or a queryset, sliced here) with its links."""
    start = (params.page - 1) * params.page_size
    page_items = list(items[start : start + params.page_size]) if start < total else []
    pages = max(1, math.ceil(total / params.page_size))
    return {
        "items": page_items,
        "total": total,
        "page": params.page,
        "page_size": params.page_size,
        "pages": pages,
        "next": _page_url(request, params.page + 1) if params.page < pages else None,
        "previous": _page_url(request, min(params.page - 1, pages)) if params.page > 1 else None,
    }
