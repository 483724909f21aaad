"""How a matter is applied for (MatterSetup): saved with its checks and an audit record. The back
office and the demo loader both save through here."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from eban.catalogue.models import Matter
from eban.core import audit
from eban.core.exceptions import DomainError

from . import forms
from .models import MatterSetup


def _rule_exists(code: str) -> bool:
    from eban.rules.models import RuleSet

    return RuleSet.objects.filter(code=code).exists()


def _certificate_type_exists(code: str) -> bool:
    from eban.certificates.models import CertificateType

    return CertificateType.objects.filter(code=code).exists()


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
    schema = forms.check_schema(form_schema or {})
    if instant and not rule_code:
        raise DomainError(_("Instant approval needs an eligibility rule set."), code="rule_missing")
    if rule_code and not _rule_exists(rule_code):
        raise DomainError(_("There is no rule set %(code)s.") % {"code": rule_code}, code="rule_unknown")
    if certificate_type and not _certificate_type_exists(certificate_type):
        raise DomainError(
            _("There is no certificate type %(code)s.") % {"code": certificate_type},
            code="certificate_type_unknown",
        )
    values = {
        "form_schema": schema,
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
            setup.save()
            audit.record(
                actor, "applications.setup.save", setup, data={"matter": matter.pk, "fields": changed}
            )
    return setup
