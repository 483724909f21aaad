"""Applying, as the citizen's pages (and the kiosk) do it: who the application is for, the
answers, the materials (uploaded, or taken from shared data), then instant approval where the
matter is set up for it. Every check happens before anything is written.

`post` is the apply POST of the web page and the kiosk alike (they differ only in channel,
division and the page they render); a second application for what the applicant already has
comes back with a link to the existing case or certificate (`repeat`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from eban.accounts.grants.acting import Acting, act_for
from eban.accounts.models import Citizen, Enterprise
from eban.core.exceptions import DomainError, PermissionDenied
from eban.government.models import Division

from . import actions, formschema, materials, queries
from .duplicates import RepeatApplication
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


@dataclass
class Posted:
    """What an apply POST came to: the case made, or the answers back with what is wrong."""

    answers: dict
    application: Application | None = None
    errors: dict = field(default_factory=dict)  # by field name (formschema.FormInvalid)
    error: str = ""
    code: str = ""  # the DomainError's code (the error summary links "materials_missing" to the uploads)
    repeat: dict | None = None  # {"url", "label"}: the existing case or certificate to go to


def post(
    request: HttpRequest,
    setup: MatterSetup,
    *,
    channel: str,
    case_url: str,
    on_behalf: str = "",
    division: Division | None = None,
) -> Posted:
    """Handle an apply POST (the matter's form and the guide's materials as `material-<i>`).
    `case_url`: the URL name of a case page on this channel (it takes the case number)."""
    answers = formschema.from_post(setup.form_schema or {}, request.POST)
    uploads = {
        m["name"]: request.FILES.get(f"material-{i}")
        for i, m in enumerate(materials.guide_materials(setup.matter))
    }
    try:
        application = apply(
            request.user,
            setup,
            answers=answers,
            uploads=uploads,
            on_behalf=on_behalf,
            channel=channel,
            division=division,
        )
    except formschema.FormInvalid as exc:
        return Posted(answers, errors=exc.errors, error=exc.message)
    except RepeatApplication as exc:
        message = exc.message if exc.reasons in ("", exc.message) else f"{exc.message} {exc.reasons}"
        return Posted(answers, error=message, code=exc.code, repeat=repeat_link(exc, request.user, case_url))
    except DomainError as exc:
        return Posted(answers, error=exc.message, code=exc.code)
    return Posted(answers, application=application)


def repeat_link(exc: RepeatApplication, user: Any, case_url: str) -> dict | None:
    """Where to go instead: the existing case (which shows its certificate), when this user may
    open it."""
    case = exc.application
    person = getattr(user, "citizen", None)
    if case is None or person is None or not queries.for_applicant(person).filter(pk=case.pk).exists():
        return None
    if exc.certificate is not None:
        label = _("See your certificate %(number)s") % {"number": exc.certificate.number}
    else:
        label = _("Follow case %(number)s") % {"number": case.number}
    return {"url": reverse(case_url, args=[case.number]), "label": label}


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
