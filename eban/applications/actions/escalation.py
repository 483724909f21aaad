"""The periodic sweep's writes (eban.applications.tasks.sweep): deadlines that could not be worked
out at acceptance."""

from __future__ import annotations

from django.db import transaction

from eban.core import audit

from ..models import Application, Event
from ..queries import deadlines_pending
from .base import _set_deadlines


def fill_pending_deadlines(application: Application) -> bool:
    """Work out deadlines that could not be worked out at acceptance (a calendar year was not
    loaded). True when they were filled in now. No version bump: nothing a reviewer did changed."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not deadlines_pending(application):
            return False
        result = _set_deadlines(application)
        if "deadline_pending_year" in result:
            return False
        application.save(update_fields=["statutory_due", "promised_due", "updated_at"])
        Event.objects.create(
            application=application, kind="deadlines_set", status=application.status, data=result
        )
        audit.record(None, "applications.application.deadlines_set", application, data=result)
    return True
