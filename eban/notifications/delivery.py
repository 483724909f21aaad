"""Sending one message, at most once, and picking up messages whose worker was lost.

    send(message_id)   # what tasks.send_message runs: "delivered", "retry", "failed", or why nothing was done
    sweep()            # what tasks.sweep_messages runs: re-queues lost and due messages

Status: created → sending → delivered, or failed. Each step is a conditional UPDATE (a compare
and set on the status), the same on SQLite and PostgreSQL, so two workers given the same
message (a task enqueued twice, the sweeper racing a slow worker) cannot both send it: one
claims it, the other finds it `sending` or `delivered` and does nothing.

- A provider failure that may pass (the gateway down) puts the message back to `created` with
  `next_attempt_at` after a growing delay (EBAN_NOTIFY_RETRY_DELAY seconds, ×4 each time); after
  EBAN_NOTIFY_MAX_ATTEMPTS attempts, or at once when the provider refuses the recipient, it is
  `failed`. `error` says why (a code and an exception class: never an address).
- A worker killed while sending leaves the message `sending`. The sweeper turns a message
  `sending` for longer than EBAN_NOTIFY_SENDING_TIMEOUT seconds back to `created` (error
  `interrupted`; it counts as an attempt) and queues it again; it also queues `created` messages
  whose task was lost (the process stopped between the commit and the enqueue). The provider may
  have sent the message before the worker died: the SMS gateway drops the repeat by its
  Idempotency-Key (the message's key); an e-mail carries the same Message-ID.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .channels import ERROR, INTERRUPTED, NotDelivered, channel_for
from .models import Message, Status

logger = logging.getLogger("eban.notifications")

SWEEP_BATCH = 1000


def max_attempts() -> int:
    return max(1, int(settings.EBAN_NOTIFY_MAX_ATTEMPTS))


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait before the next attempt after `attempts` failed ones: 1, 4, 16, 64 … minutes, at most 6 h."""
    base = float(settings.EBAN_NOTIFY_RETRY_DELAY)
    return datetime.timedelta(seconds=min(base * 4 ** max(0, attempts - 1), 6 * 3600))


def sending_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(settings.EBAN_NOTIFY_SENDING_TIMEOUT))


def _due(now: datetime.datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def claim(message_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Move a due `created` message to `sending` (one attempt more). False when someone else has
    it, it is done, or it is not due yet."""
    now = now or timezone.now()
    return bool(
        Message.objects.filter(pk=message_id, status=Status.CREATED)
        .filter(_due(now))
        .update(status=Status.SENDING, sending_at=now, attempts=F("attempts") + 1)
    )


def _why_not(message_id: int) -> str:
    status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
    return {
        None: "missing",
        Status.DELIVERED: "already delivered",
        Status.FAILED: "already failed",
        Status.SENDING: "being sent",
        Status.CREATED: "not due",
    }.get(status, "skipped")


def send(message_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send the message if it is due and nobody else is sending it (see the module's doc)."""
    if not claim(message_id, now=now):
        return _why_not(message_id)
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = channel_for(message.channel).deliver(message)
    except NotDelivered as failure:
        return _failed(message, failure)
    except Exception as error:  # a provider's bug must not leave the message "sending" forever
        logger.exception(
            "Message %s: the %s provider raised %s", message.pk, message.channel, type(error).__name__
        )
        return _failed(message, NotDelivered(ERROR, retry=True, cause=error))
    delivered(message, provider_id)
    return "delivered"


def delivered(message: Message, provider_id: str) -> None:
    now = timezone.now()
    # Not conditional on `sending`: once a provider took the message it is delivered, even if the
    # sweeper meanwhile took it for lost (a second send then carries the same idempotency key).
    Message.objects.filter(pk=message.pk).exclude(status=Status.DELIVERED).update(
        status=Status.DELIVERED,
        delivered_at=now,
        provider_message_id=(provider_id or "")[:100],
        error="",
        next_attempt_at=None,
    )
    logger.info(
        "Message %s (%s v%s, %s) delivered at attempt %s",
        message.pk,
        message.template_code,
        message.template_version,
        message.channel,
        message.attempts,
    )


def _failed(message: Message, failure: NotDelivered) -> str:
    now = timezone.now()
    mine = Message.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts)
    if failure.retry and message.attempts < max_attempts():
        due = now + retry_delay(message.attempts)
        scheduled = _can_defer()
        if mine.update(
            status=Status.CREATED,
            next_attempt_at=due,
            queued_at=due if scheduled else None,
            error=failure.summary[:200],
        ):
            if scheduled:
                _enqueue(message.pk, run_after=due)
            logger.warning(
                "Message %s (%s): attempt %s failed (%s); next attempt at %s",
                message.pk,
                message.channel,
                message.attempts,
                failure.summary,
                due.isoformat(timespec="seconds"),
            )
        return "retry"
    mine.update(status=Status.FAILED, failed_at=now, error=failure.summary[:200], next_attempt_at=None)
    logger.warning(
        "Message %s (%s): failed after %s attempts (%s)",
        message.pk,
        message.channel,
        message.attempts,
        failure.summary,
    )
    return "failed"


def _can_defer() -> bool:
    from . import tasks

    return bool(tasks.send_message.get_backend().supports_defer)


def _enqueue(message_id: int, *, run_after: datetime.datetime | None = None) -> None:
    from . import tasks

    task = tasks.send_message.using(run_after=run_after) if run_after else tasks.send_message
    task.enqueue(message_id)


def enqueue(message_ids: list[int]) -> None:
    """Queue a send task per message (called on commit); a failure is left to the sweeper."""
    for message_id in message_ids:
        try:
            _enqueue(message_id)
        except Exception:
            logger.exception("Message %s: could not be queued; the sweeper will queue it", message_id)


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Re-queue messages lost with their worker or their task. Safe to run at any time, from
    several places at once (every step is a conditional update)."""
    now = now or timezone.now()
    stale = now - sending_timeout()
    interrupted = failed = queued = 0
    lost = list(
        Message.objects.filter(status=Status.SENDING, sending_at__lt=stale)
        .order_by("sending_at")
        .values_list("pk", "attempts")[:SWEEP_BATCH]
    )
    for pk, attempts in lost:
        mine = Message.objects.filter(pk=pk, status=Status.SENDING, attempts=attempts)
        if attempts >= max_attempts():
            failed += mine.update(
                status=Status.FAILED, failed_at=now, error=INTERRUPTED, next_attempt_at=None
            )
        else:
            interrupted += mine.update(
                status=Status.CREATED, next_attempt_at=None, queued_at=None, error=INTERRUPTED
            )
    waiting = list(
        Message.objects.filter(status=Status.CREATED)
        .filter(_due(now))
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in waiting:
        if Message.objects.filter(pk=pk, status=Status.CREATED).update(queued_at=now):
            queued += 1
            enqueue([pk])
    if interrupted or failed or queued:
        logger.info(
            "Notifications sweep: %s interrupted sends taken back, %s failed, %s messages queued",
            interrupted,
            failed,
            queued,
        )
    return {"interrupted": interrupted, "failed": failed, "queued": queued}
