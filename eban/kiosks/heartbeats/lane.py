"""The heartbeats' own lane: `POST /api/v1/kiosks/heartbeat` answered in front of Django's
middleware and URL routing.

30,000 terminals send 500 heartbeats a second, on two app workers that also serve the site. Run
through the whole stack (sessions, CSRF, authentication, second factor, lockouts, messages, the
API framework), a heartbeat cost about twice the CPU of its own work; none of that stack applies
to a terminal's token-authenticated telemetry. The lane does what Django's handler does for
every request — the request_started and request_finished signals (database connections past
their age closed, caches), the language of the answer (eban.core.middleware.request_language),
an unexpected error logged and answered 500 — and calls the same
`eban.kiosks.heartbeats.api.receive` as the API route, answering with the same bodies (ApiError
on a refusal). bench/kiosk_heartbeats.py measures it.

    application = heartbeat_lane(get_wsgi_application())     # eban/wsgi.py
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from eban.core.api_common import error_body
from eban.core.exceptions import DomainError
from eban.core.middleware import request_language

from . import checks as heartbeats
from .api import receive

PATH = "/api/v1/kiosks/heartbeat"
logger = logging.getLogger("django.request")


def heartbeat_lane(application):
    """`application` with the heartbeat path answered before it."""

    def lane(environ, start_response):
        if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST":
            return answer(environ, start_response)
        return application(environ, start_response)

    return lane


def answer(environ, start_response) -> list[bytes]:
    signals.request_started.send(sender=heartbeat_lane, environ=environ)
    language = settings.LANGUAGE_CODE
    try:
        request = WSGIRequest(environ)
        language = request_language(request)
        with translation.override(language):
            status, body = 200, {"received_at": receive(request), "next_in_s": heartbeats.NEXT_IN_S}
    except DomainError as error:  # its message was made in `language`, where it was raised
        status, body = error.status_code, error_body(error.code, error.message, error.details)
    except Exception:
        logger.exception("Internal Server Error: %s", PATH)
        with translation.override(language):
            status, body = 500, error_body("server_error", translation.gettext("Server error."))
    finally:
        signals.request_finished.send(sender=heartbeat_lane)
    data = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("Content-Language", language),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [data]
