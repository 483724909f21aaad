"""Fuzz the API in process with Schemathesis: whatever the input, never a server error.

Also checks that status codes, content types and bodies are the ones the OpenAPI declares.
Bounded: at most 100 examples per operation, no shrinking of the database.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from eban.catalogue.testing import make_department, make_matter

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def in_test_transaction():
    """Like Django's test client: requests must not close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def catalogue(db, in_test_transaction):
    """A small live catalogue so that some generated requests find something."""
    make_matter(code="FUZZ-1", name="老年人优待证办理", themes=("civil_affairs",))
    make_matter(
        code="FUZZ-2",
        name="住房公积金提取",
        category="approval",
        on_the_spot=False,
        promised_days=3,
        statutory_days=20,
        fee_free=False,
        fee_amount="20.00",
        fee_basis="收费依据",
        department=make_department("330300-GJJ", "温州市住房公积金管理中心"),
        channel_overseas=True,
    )


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
def test_api_never_answers_a_server_error(case, catalogue):
    case.call_and_validate(checks=CHECKS)
