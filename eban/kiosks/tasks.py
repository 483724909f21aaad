"""Background jobs of the kiosk network (run by `eban worker`). Thin and idempotent.

- `sweep_kiosk_alerts`: open the SILENT alerts (alerts.sweep_silent). django-tasks has no
  scheduler: a timer runs `eban kiosk-alerts` every minute, e.g. from cron:

      * * * * *  eban  /srv/eban/.venv/bin/eban kiosk-alerts
"""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_kiosk_alerts() -> dict:
    from .alerts import sweep_silent

    return sweep_silent()
