"""`POST /api/v1/kiosks/heartbeat`: a terminal reports its health, authenticated by its own token
(`Authorization: Bearer <code>.<secret>`). No session and no CSRF: the token is the credential.

Thin and fast (500 requests/s for 30,000 terminals): one indexed lookup of the token's terminal,
the body checked in eban.kiosks.heartbeats.checks, one UPDATE and one INSERT (actions.heartbeats.record_heartbeat). A bad or forged token
answers 401, a malformed body 400 (not a JSON object, too large) or 422 (a field); each refusal
is logged and kept (actions.heartbeats.refuse_heartbeat).

Under gunicorn (`eban serve`), eban.wsgi answers this path in a lane in front of Django's
middleware (eban.kiosks.heartbeats.lane), with the same `receive` and the same answers; this route
serves it elsewhere (runserver, the test client) and documents it in the OpenAPI schema.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from eban.core.api_common import ApiError
from eban.core.ratelimit import client_ip

from .. import tokens
from ..actions import heartbeats as heartbeat_actions
from . import checks as heartbeats

router = Router(tags=["kiosks"])


class HeartbeatOut(Schema):
    received_at: datetime = Field(..., description="When the server accepted the heartbeat.")
    next_in_s: int = Field(..., description="Seconds until the terminal should send the next one.")


HEARTBEAT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["sent_at", "online", "printer", "camera"],
                "properties": {
                    "sent_at": {
                        "type": "string",
                        "format": "date-time",
                        "description": "When the terminal sent it, ISO 8601 with an offset; "
                        "within 10 minutes of the server's clock.",
                    },
                    "online": {"type": "boolean", "description": "The terminal reaches its services."},
                    "paper_level": {
                        "type": ["integer", "null"],
                        "minimum": 0,
                        "maximum": 100,
                        "description": "Paper left (%), null when no printer is fitted.",
                    },
                    "printer": {"type": "string", "enum": ["ok", "fault", "absent"]},
                    "camera": {"type": "string", "enum": ["ok", "fault", "absent"]},
                    "software_version": {"type": "string", "maxLength": 40},
                },
            }
        }
    },
}


@router.post(
    "/heartbeat",
    operation_id="eban_kiosks_api_heartbeat_heartbeat",  # as published before the module moved
    response={200: HeartbeatOut, 400: ApiError, 401: ApiError, 422: ApiError},
    summary="A terminal's heartbeat",
    description=(
        "A terminal reports its health, once a minute, with its own token in "
        "`Authorization: Bearer <code>.<secret>`. The body is a JSON object of at most 4 KB; "
        "unknown keys are refused. 401: the token is unknown, revoked or wrong; 400: the body is "
        "not a JSON object or is too large; 422: a field is not valid (including a clock more "
        "than 10 minutes off). Refusals are logged."
    ),
    openapi_extra={"requestBody": HEARTBEAT_BODY},
)
def heartbeat(request):
    return {"received_at": receive(request), "next_in_s": heartbeats.NEXT_IN_S}


def receive(request) -> datetime:
    """Authenticate, check and store the heartbeat in `request`; when it was received. A refusal
    (tokens.BadToken, heartbeats.MalformedHeartbeat) is logged and kept, then raised.
    Shared with the fast lane in front of Django (heartbeat_lane)."""
    now = timezone.now()
    address = client_ip(request)
    try:
        terminal = tokens.authenticate(tokens.bearer(request), by_code=heartbeats.terminal_by_code)
    except tokens.BadToken as error:
        heartbeat_actions.refuse_heartbeat(error.reason, error.claimed_code, address, now=now)
        raise
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    try:
        heartbeats.check_size(length)
        payload = heartbeats.parse(request.body, now)
    except heartbeats.MalformedHeartbeat as error:
        heartbeat_actions.refuse_heartbeat(error.reason, terminal.code, address, now=now)
        raise
    heartbeat_actions.record_heartbeat(terminal, payload, now)
    return now
