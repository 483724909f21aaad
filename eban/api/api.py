"""The one NinjaAPI at /api/v1/: a router per domain app, errors mapped in one place."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from eban.core.exceptions import DomainError

api = NinjaAPI(
    title="eban API",
    version="1",
    description="The public API of eban (e办): the service catalogue, the working-day calendar and more.",
    urls_namespace="api-v1",
)


def problem(request, status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return problem(request, exc.status_code, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    return problem(request, 422, "validation_error", _("The request is not valid."), exc.errors)


def _register_routers() -> None:
    from eban.catalogue.api import router as catalogue_router
    from eban.workdays.api import router as workdays_router

    api.add_router("/matters", catalogue_router)
    api.add_router("/calendar", workdays_router)


_register_routers()
