"""Background jobs of notifications (run by `eban worker`). Thin: the work is in delivery.py."""

from __future__ import annotations

from django_tasks import task


@task()
def send_message(message_id: int) -> str:
    """Send one message (idempotent: a message delivered, failed or being sent is left alone)."""
    from .delivery import send

    return send(message_id)


@task()
def sweep_messages() -> dict:
    """Re-queue messages whose worker died mid-send or whose task was lost (see delivery.sweep).
    Enqueued every 5 minutes by `eban worker` (eban.core.schedule), or `eban sweep-messages`."""
    from .delivery import sweep

    return sweep()
