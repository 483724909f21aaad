"""Background jobs of the kiosk network, run by `eban worker`, which enqueues them on schedule
(settings.EBAN_PERIODIC_TASKS, eban.core.schedule). Thin and idempotent.

- `sweep_kiosk_alerts` (every minute): open the SILENT alerts (actions.alerts.sweep_silent); also
  `eban kiosk-alerts`.
- `prune_kiosk_heartbeats` (every 10 minutes): forget the heartbeat history past its keeping
  time (actions.retention.prune).
"""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_kiosk_alerts() -> dict:
    from .actions.alerts import sweep_silent

    return sweep_silent()


@task()
def prune_kiosk_heartbeats() -> dict:
    from .actions.retention import prune

    return prune()
