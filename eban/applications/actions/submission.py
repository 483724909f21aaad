"""The applicant's side of a case: submit an application, answer a supplement request (补正),
withdraw it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eban.accounts.grants.acting import Acting
from eban.accounts.models import Citizen, Enterprise
from eban.catalogue.models import Matter
from eban.core import audit
from eban.core.exceptions import DomainError
from eban.government.divisions import code_prefix
from eban.government.models import Division
from eban.workdays.calendar import CalendarYearMissing
from eban.workdays.queries import working_days_between

from .. import deadlines, duplicates, formschema, materials, queries
from ..enums import Channel, MaterialSource, Status
from ..models import Application, CaseCounter, Event, Material, MatterSetup
from ..notify import deadline_unknown, notify_applicant
from .base import _day, _ensure_applicant, _lock, _move, _now, _set_deadlines, _text


def _division_for(acting: Acting, department, terminal_division: Division | None) -> Division:
    if terminal_division is not None:
        return terminal_division
    if acting.enterprise is not None and acting.enterprise.division_id:
        return acting.enterprise.division
    citizen = acting.citizen or acting.person
    if acting.enterprise is None and citizen.household_division_id:
        return citizen.household_division
    return department.division


def next_number(division_prefix: str, day: datetime.date) -> str:
    """The next case number of the day for a division prefix: prefix + YYYYMMDD + 6 digits
    (3303202610010000001 …). Call inside a transaction: the counter row stays locked until it
    ends, so numbers are unique and without gaps."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(day=day, prefix=division_prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{division_prefix}{day:%Y%m%d}{counter.last:06d}"


def submit_application(
    matter: Matter,
    acting: Acting,
    *,
    channel: str,
    form_data: dict | None = None,
    uploads: Iterable[materials.CheckedUpload] = (),
    shared: Iterable[tuple[str, str]] = (),
    division: Division | None = None,
) -> Application:
    """Submit an application for `matter` by `acting` (for themself, a principal or an
    enterprise) through `channel`. `form_data` is validated against the matter's form;
    `uploads` are files already checked by materials.check_upload; `shared` are (material name,
    shared-data reference) pairs taken from shared data (免提交). `division`: the terminal's or
    window's division, for a case made at one; otherwise the applicant's household division
    (an enterprise's division), or the department's."""
    if not matter.live:
        raise DomainError(_("This matter is not open for applications."), code="not_open")
    setup = MatterSetup.objects.filter(matter=matter).first()
    if setup is not None and not setup.accepting:
        raise DomainError(_("This matter is not open for applications."), code="not_open")
    if channel not in Channel.values or channel not in matter.channels:
        raise DomainError(
            _("This matter cannot be applied for through this channel."),
            code="channel",
            details={"channel": channel},
        )
    audience = getattr(matter, "audience", "both")
    if acting.enterprise is not None and audience == "person":
        raise DomainError(_("This matter is for individuals, not for enterprises."), code="audience")
    if acting.enterprise is None and audience == "enterprise":
        raise DomainError(_("This matter is for enterprises: apply for your enterprise."), code="audience")
    schema = setup.form_schema if setup is not None else {}
    cleaned = formschema.validate(schema, form_data or {}) if schema.get("properties") else {}
    uploads, shared = list(uploads), list(shared)
    if len(uploads) + len(shared) > materials.MAX_FILES:
        raise DomainError(
            _("At most %(n)s materials per application.") % {"n": materials.MAX_FILES},
            code="too_many_materials",
        )
    department = matter.department
    place = _division_for(acting, department, division)
    now = _now()
    with transaction.atomic():
        # One open case per applicant and matter, and no second one of what they hold: submissions
        # by one applicant wait for each other here, and the later one finds the earlier one's
        # case (or, once it is concluded, its certificate); the database constraint holds
        # whatever a caller does.
        _lock_applicant(acting)
        duplicates.refuse_repeat(setup, matter.pk, acting)
        number = next_number(code_prefix(department.division.code), _day(now))
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    number=number,
                    matter=matter,
                    department=department,
                    division=place,
                    citizen=None if acting.enterprise is not None else (acting.citizen or acting.person),
                    enterprise=acting.enterprise,
                    submitted_by=acting.person,
                    via_proxy=acting.grant
                    if acting.grant is not None and acting.enterprise is None
                    else None,
                    via_agent=acting.grant
                    if acting.grant is not None and acting.enterprise is not None
                    else None,
                    channel=channel,
                    status=Status.SUBMITTED,
                    form_data=cleaned,
                    submitted_at=now,
                )
        except IntegrityError:
            existing = duplicates.open_case(matter.pk, acting)
            if existing is None:
                raise
            raise duplicates.already_applied(existing) from None
        for upload in uploads:
            material = Material(application=application, name=upload.name[:200])
            materials.store(material, upload)
            material.save()
        for name, reference in shared:
            Material.objects.create(
                application=application,
                name=name[:200],
                source=MaterialSource.SHARED,
                shared_reference=(reference or "")[:200],
            )
        Event.objects.create(
            application=application,
            kind="submitted",
            status=Status.SUBMITTED,
            actor_user=audit.unwrap(acting.user) if getattr(acting.user, "is_authenticated", False) else None,
            data={"channel": channel},
        )
        audit.record(
            acting.user,
            "applications.application.submit",
            application,
            data={"matter": matter.pk, "channel": channel, **acting.audit_data()},
        )
        if not queries.decides_instantly(setup):  # else the decision, in a moment, is the one message
            try:
                answer_by = deadlines.acceptance_due(_day(now))
            except CalendarYearMissing:
                answer_by = deadline_unknown()
            notify_applicant(application, "application.submitted", deadline=answer_by)
    return application


def _lock_applicant(acting: Acting) -> None:
    """Lock the applicant's row until the transaction ends (PostgreSQL; SQLite's writers are
    serialised by its immediate transactions)."""
    if acting.enterprise is not None:
        Enterprise.objects.select_for_update().filter(pk=acting.enterprise.pk).first()
    else:
        Citizen.objects.select_for_update().filter(pk=(acting.citizen or acting.person).pk).first()


def resubmit(
    application: Application,
    acting: Acting,
    *,
    note: str = "",
    uploads: Iterable[materials.CheckedUpload] = (),
    form_data: dict | None = None,
    version: int | None = None,
) -> Application:
    """The applicant answers a supplement request (补正): new files and/or corrected answers.
    The clock runs again; the deadlines move by the working days it was stopped."""
    acting = _ensure_applicant(acting, application)
    note = _text(note, required=False, what=_("note"))
    uploads = list(uploads)
    cleaned = None
    if form_data is not None:
        setup = MatterSetup.objects.filter(matter_id=application.matter_id).first()
        schema = setup.form_schema if setup is not None else {}
        cleaned = formschema.validate(schema, form_data) if schema.get("properties") else {}
    if not uploads and cleaned is None and not note:
        raise DomainError(
            _("Send the corrected materials or answers, or a note, with your supplement."), code="empty"
        )
    now = _now()
    with transaction.atomic():
        application = _lock(application, "resubmit", version)
        if application.materials.count() + len(uploads) > materials.MAX_FILES * 2:
            raise DomainError(_("Too many materials on this application."), code="too_many_materials")
        stopped_at = application.clock_stopped_at
        request = application.supplements.filter(answered_at__isnull=True).order_by("-requested_at").first()
        if request is not None:
            request.answered_at = now
            request.save(update_fields=["answered_at"])
        for upload in uploads:
            material = Material(application=application, name=upload.name[:200])
            materials.store(material, upload)
            material.save()
        fields = ["clock_stopped_at"]
        if cleaned is not None:
            application.form_data = cleaned
            fields.append("form_data")
        application.clock_stopped_at = None
        data: dict[str, Any] = {"files": len(uploads), "answers_changed": cleaned is not None}
        if application.accepted_at is not None:
            stopped_day = _day(stopped_at or now)
            try:
                data["clock_stopped_days"] = working_days_between(stopped_day, _day(now))
            except CalendarYearMissing:
                pass
            data.update(_set_deadlines(application))
            fields += ["statutory_due", "promised_due"]
            status = Status.UNDER_REVIEW
        else:
            status = Status.SUBMITTED
        _move(
            application,
            status,
            kind="resubmitted",
            actor=acting.user,
            note=note,
            data=data,
            audit_data=acting.audit_data(),
            fields=fields,
        )
    return application


def withdraw(
    application: Application, acting: Acting, *, reason: str = "", version: int | None = None
) -> Application:
    """The applicant withdraws the application (before any decision on it)."""
    acting = _ensure_applicant(acting, application)
    reason = _text(reason, required=False, what=_("reason"))
    with transaction.atomic():
        application = _lock(application, "withdraw", version)
        application.clock_stopped_at = None
        application.completed_at = _now()
        application.supplements.filter(answered_at__isnull=True).update(answered_at=application.completed_at)
        _move(
            application,
            Status.WITHDRAWN,
            kind="withdrawn",
            actor=acting.user,
            note=reason,
            audit_data=acting.audit_data(),
            fields=["clock_stopped_at", "completed_at"],
        )
    return application
