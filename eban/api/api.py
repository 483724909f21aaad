"""The one NinjaAPI at /api/v1/: a router per domain app, errors mapped in one place.

Every error answers with the body declared by `eban.core.api_common.ApiError`:
`{"error": {"code": ..., "message": ..., "details": ...}}`, the message in the language of
the request (Chinese by default, English with `Accept-Language: en`).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from eban.core.api_common import error_body
from eban.core.exceptions import DomainError

api = NinjaAPI(
    title="eban API",
    version="1",
    description=(
        "The public API of eban (e办): the service catalogue (事项 and their guides, 办事指南), "
        "the working-day calendar and more.\n\n"
        'Errors have one shape: `{"error": {"code", "message", "details"}}`. Messages are in '
        "Chinese by default; send `Accept-Language: en` for English."
    ),
    urls_namespace="api-v1",
)


def problem(request, status: int, code: str, message: str, details=None):
    return api.create_response(request, error_body(code, message, details), status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = problem(request, exc.status_code, exc.code, exc.message, exc.details)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return problem(request, 404, "not_found", _("Nothing was found at this address."))


@api.exception_handler(AuthenticationError)
def on_not_signed_in(request, exc: AuthenticationError):
    return problem(request, 401, "not_signed_in", _("Sign in first."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return problem(request, exc.status_code, "http_error", str(exc))


def _offending_value(request, source: str, field: str) -> str | None:
    if source == "query":
        return request.GET.get(field)
    if source == "path" and request.resolver_match:
        value = request.resolver_match.kwargs.get(field)
        return None if value is None else str(value)
    return None


NUMBER_KINDS = {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}
WHOLE_NUMBER_KINDS = {"int_parsing", "int_from_float", "int_type", "int_parsing_size"}
OBJECT_KINDS = {"dict_type", "model_type", "model_attributes_type", "dataclass_type", "mapping_type"}
LIST_KINDS = {"list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type"}


def describe_error(error: dict[str, Any], value: str | None) -> str:
    """One validation problem as a sentence for people, in the request's language (gettext).

    Every pydantic error kind that eban's schemas can raise has its own sentence; an unknown
    kind gets a plain "is not valid" (pydantic's own English message is never shown). `value`
    is the offending value when it came in the query or the path; a body's values are never
    echoed back (they may be ID numbers)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    field = str(error["loc"][-1]) if error.get("loc") else ""
    shown = value
    if shown is not None and len(shown) > 60:
        shown = shown[:60] + "…"
    names = {"field": field, "value": shown}
    if kind in ("enum", "literal_error"):
        names["choices"] = ctx.get("expected", "")
        if shown is None:
            return _("%(field)s must be one of: %(choices)s.") % names
        return _("“%(value)s” is not a valid %(field)s; use one of: %(choices)s.") % names
    if kind == "missing":
        return _("%(field)s is required.") % names
    if kind == "extra_forbidden":
        return _("%(field)s is not expected here.") % names
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind in NUMBER_KINDS:
        if shown is None:
            return _("%(field)s must be a number.") % names
        return _("%(field)s must be a number, not “%(value)s”.") % names
    if kind in WHOLE_NUMBER_KINDS:
        if shown is None:
            return _("%(field)s must be a whole number.") % names
        return _("%(field)s must be a whole number, not “%(value)s”.") % names
    if kind in ("bool_parsing", "bool_type"):
        return _("%(field)s must be true or false.") % names
    if kind in ("string_type", "string_unicode", "string_sub_type"):
        return _("%(field)s must be text.") % names
    if kind in OBJECT_KINDS:
        return _("%(field)s must be an object.") % names
    if kind in LIST_KINDS:
        return _("%(field)s must be a list.") % names
    if kind in ("greater_than_equal", "greater_than"):
        return _("%(field)s must be at least %(limit)s.") % {**names, "limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("%(field)s must be at most %(limit)s.") % {**names, "limit": ctx.get("le", ctx.get("lt"))}
    if kind == "multiple_of":
        return _("%(field)s must be a multiple of %(limit)s.") % {**names, "limit": ctx.get("multiple_of")}
    if kind.startswith("decimal_"):
        return _("%(field)s has too many digits.") % names
    if kind == "string_too_long":
        return _("%(field)s is too long (at most %(limit)s characters).") % {
            **names,
            "limit": ctx.get("max_length"),
        }
    if kind == "string_too_short":
        return _("%(field)s is too short (at least %(limit)s characters).") % {
            **names,
            "limit": ctx.get("min_length"),
        }
    if kind == "too_long":
        return _("%(field)s has too many items (at most %(limit)s).") % {
            **names,
            "limit": ctx.get("max_length"),
        }
    if kind == "too_short":
        return _("%(field)s has too few items (at least %(limit)s).") % {
            **names,
            "limit": ctx.get("min_length"),
        }
    if kind.startswith("datetime"):
        if shown is None:
            return _("%(field)s must be a date and time written YYYY-MM-DDTHH:MM.") % names
        return _("%(field)s must be a date and time written YYYY-MM-DDTHH:MM, not “%(value)s”.") % names
    if kind.startswith("date"):
        if shown is None:
            return _("%(field)s must be a date written YYYY-MM-DD.") % names
        return _("%(field)s must be a date written YYYY-MM-DD, not “%(value)s”.") % names
    if kind.startswith("time"):
        return _("%(field)s must be a time written HH:MM.") % names
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        # Raised by eban's own validators, whose messages are already translated.
        return _("%(field)s: %(problem)s") % {**names, "problem": str(ctx["error"])}
    if kind == "string_pattern_mismatch" or kind.startswith(("uuid", "url")):
        if shown is None:
            return _("%(field)s is not valid.") % names
        return _("“%(value)s” is not a valid %(field)s.") % names
    return _("%(field)s is not valid.") % names


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    details = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        source = loc[0] if loc else ""
        field = loc[-1] if len(loc) > 1 else ""
        value = _offending_value(request, source, field) if field else None
        details.append(
            {"field": field, "message": describe_error(error, value), "type": error.get("type", "")}
        )
    summary = " ".join(d["message"] for d in details)
    message = _("The request is not valid: %(problems)s") % {"problems": summary}
    return problem(request, 422, "validation_error", message, details)


def _register_routers() -> None:
    from eban.accounts.api import router as accounts_router
    from eban.accounts.api_me import router as me_router
    from eban.catalogue.api import router as catalogue_router
    from eban.certificates.api import router as certificates_router
    from eban.kiosks.api import router as kiosks_router
    from eban.workdays.api import router as workdays_router

    api.add_router("/matters", catalogue_router)
    api.add_router("/calendar", workdays_router)
    api.add_router("/identity", accounts_router)
    api.add_router("/me", me_router)
    api.add_router("/certificates", certificates_router)
    api.add_router("/kiosks", kiosks_router)


_register_routers()
