"""How a matter is applied for (MatterSetup), saved with its checks (MatterSetup.clean) and an audit
record, as the demo loader does it; the back office edits the same model as a snippet, whose edits
Wagtail validates with the same clean() and records in the object's history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from eban.catalogue.models import Matter
from eban.core import audit
from eban.core.exceptions import DomainError

from .models import MatterSetup


def save_setup(
    matter: Matter,
    *,
    form_schema: dict | None = None,
    instant: bool = False,
    rule_code: str = "",
    certificate_type: str = "",
    accepting: bool = True,
    actor: Any,
) -> MatterSetup:
    values = {
        "form_schema": form_schema or {},
        "instant": instant,
        "rule_code": rule_code,
        "certificate_type": certificate_type,
        "accepting": accepting,
    }
    with transaction.atomic():
        setup = MatterSetup.objects.select_for_update().filter(matter=matter).first()
        created = setup is None
        setup = setup or MatterSetup(matter=matter)
        changed = [key for key, value in values.items() if getattr(setup, key) != value]
        if created or changed:
            for key in changed:
                setattr(setup, key, values[key])
            try:
                setup.full_clean(exclude=["matter"])
            except ValidationError as error:
                messages = [m for field in error.message_dict.values() for m in field]
                raise DomainError(" ".join(messages), code="setup", details=error.message_dict) from error
            setup.save()
            audit.record(
                actor, "applications.setup.save", setup, data={"matter": matter.pk, "fields": changed}
            )
    return setup
