"""Applying, as the citizen's pages (and the kiosk) do it: who the application is for, the
answers, the materials (uploaded, or taken from shared data), then instant approval where the
matter is set up for it. Every check happens before anything is written."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from eban.accounts.acting import Acting, act_for
from eban.accounts.models import Citizen, Enterprise
from eban.core.exceptions import DomainError, PermissionDenied
from eban.government.models import Division

from . import actions, materials
from .models import Application, MatterSetup


def acting_for(user: Any, on_behalf: str, matter_id: int) -> Acting:
    """Parse "", "citizen:<pk>" or "enterprise:<pk>" and check the authorisation."""
    kind, _sep, pk = (on_behalf or "").partition(":")
    if not kind:
        return act_for(user, matter_id=matter_id)
    refused = PermissionDenied(_("You are not authorised to act for this person on this matter."))
    if not pk.isdigit():
        raise refused
    if kind == "citizen":
        citizen = Citizen.objects.filter(pk=int(pk)).first()
        if citizen is None:
            raise refused
        return act_for(user, citizen=citizen, matter_id=matter_id)
    if kind == "enterprise":
        enterprise = Enterprise.objects.filter(pk=int(pk)).first()
        if enterprise is None:
            raise refused
        return act_for(user, enterprise=enterprise, matter_id=matter_id)
    raise refused


def collect_materials(matter, uploads: dict[str, Any]) -> tuple[list, list]:
    """The guide's materials for an application: uploads checked by content, shared-data ones
    named (nothing to bring); DomainError listing the required materials not attached."""
    checked, shared, missing = [], [], []
    for material in materials.guide_materials(matter):
        upload = uploads.get(material["name"])
        if material["shared"]:
            shared.append((material["name"], _("shared government data")))
        elif upload:
            checked.append(materials.check_upload(material["name"], upload))
        elif material["required"]:
            missing.append(material["name"])
    if missing:
        raise DomainError(
            _("Please attach: %(names)s.") % {"names": "、".join(missing)}, code="materials_missing"
        )
    return checked, shared


def apply(
    user: Any,
    setup: MatterSetup,
    *,
    answers: dict,
    uploads: dict[str, Any],
    on_behalf: str = "",
    channel: str,
    division: Division | None = None,
) -> Application:
    matter = setup.matter
    acting = acting_for(user, on_behalf, matter.pk)
    checked, shared = collect_materials(matter, uploads)
    application = actions.submit_application(
        matter, acting, channel=channel, form_data=answers, uploads=checked, shared=shared, division=division
    )
    if setup.instant:
        application = actions.decide_instantly(application)
    return application


def _applicant_acting(user: Any, application: Application) -> Acting:
    if application.enterprise_id:
        return act_for(user, enterprise=application.enterprise, matter_id=application.matter_id)
    return act_for(user, citizen=application.citizen, matter_id=application.matter_id)


def resubmit(user: Any, application: Application, *, note: str, files) -> Application:
    uploads = [materials.check_upload(_("Supplement"), f) for f in files.getlist("files") if f]
    return actions.resubmit(application, _applicant_acting(user, application), note=note, uploads=uploads)


def rate(user: Any, application: Application, *, score: str, comment: str):
    if not str(score).isdigit():
        raise DomainError(_("Choose a rating from 1 to 5."), code="score")
    return actions.rate(application, _applicant_acting(user, application), int(score), comment)
