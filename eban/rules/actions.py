"""Every write to rule sets: drafts, activation and retirement (checked, one transaction, audited).

`actor` None is the platform itself (the demo loader); otherwise the actor must be a policy
officer or a platform administrator.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import Conflict, DomainError, PermissionDenied

from . import language, log_actions
from .models import RuleSet, Status
from .permissions import can_edit


def _ensure_editor(actor) -> None:
    if actor is not None and not can_edit(actor):
        raise PermissionDenied(_("Only policy officers and platform administrators may change rule sets."))


def _check_dates(valid_from: datetime.date, valid_until: datetime.date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(_("The end of validity comes before its start."), code="invalid_dates")


def _audit_data(rule_set: RuleSet) -> dict:
    return {
        "code": rule_set.code,
        "version": rule_set.version,
        "valid_from": rule_set.valid_from.isoformat(),
        "valid_until": rule_set.valid_until.isoformat() if rule_set.valid_until else None,
        "fields": list(rule_set.fields),
    }


def save_draft(
    *,
    document: dict,
    title: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    title_en: str = "",
    code: str | None = None,
    rule_set: RuleSet | None = None,
    actor,
) -> RuleSet:
    """Save a draft: changes to `rule_set` (a draft), or a new version of `code` (the next number).
    The document must be a valid rule (RuleError names each problem)."""
    _ensure_editor(actor)
    language.parse(document)
    _check_dates(valid_from, valid_until)
    if not (title or "").strip():
        raise DomainError(_("A title is needed."), code="invalid_title")
    try:
        with transaction.atomic():
            if rule_set is not None:
                rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
                if rule_set.status != Status.DRAFT:
                    raise Conflict(
                        _(
                            "Version %(version)s of %(code)s is no longer a draft and cannot change: save a new version."
                        )
                        % {"version": rule_set.version, "code": rule_set.code}
                    )
            else:
                if not code:
                    raise DomainError(_("A code is needed."), code="invalid_code")
                latest = RuleSet.objects.filter(code=code).aggregate(n=Max("version"))["n"] or 0
                rule_set = RuleSet(code=code, version=latest + 1, created_by=_user(actor))
            rule_set.document = document
            rule_set.title = title.strip()
            rule_set.title_en = (title_en or "").strip()
            rule_set.valid_from = valid_from
            rule_set.valid_until = valid_until
            try:
                rule_set.full_clean(exclude=["document", "fields", "created_by"])
            except ValidationError as error:
                raise DomainError(
                    " ".join(error.messages), code="invalid", details=error.message_dict
                ) from None
            rule_set.save()
            audit.record(actor, log_actions.SAVE, rule_set, data=_audit_data(rule_set))
    except IntegrityError:  # two new versions of one code at the same moment
        raise Conflict(
            _("Another version of %(code)s was saved at the same moment: try again.") % {"code": code}
        ) from None
    return rule_set


def new_version(rule_set: RuleSet, *, actor) -> RuleSet:
    """A new draft copied from `rule_set` (to change an active version), valid from today."""
    return save_draft(
        code=rule_set.code,
        document=rule_set.document,
        title=rule_set.title,
        title_en=rule_set.title_en,
        valid_from=max(rule_set.valid_from, timezone.localdate()),
        valid_until=rule_set.valid_until,
        actor=actor,
    )


def activate(rule_set: RuleSet, *, actor) -> RuleSet:
    """Put a draft in force over its validity dates; from then on it never changes. Where versions
    overlap, the newest applies (queries.active_rule_set)."""
    _ensure_editor(actor)
    with transaction.atomic():
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if rule_set.status != Status.DRAFT:
            raise Conflict(
                _("Only a draft can be activated; version %(version)s of %(code)s is %(status)s.")
                % {
                    "version": rule_set.version,
                    "code": rule_set.code,
                    "status": rule_set.get_status_display(),
                }
            )
        language.parse(rule_set.document)
        rule_set.status = Status.ACTIVE
        rule_set.activated_at = timezone.now()
        rule_set.activated_by = _user(actor)
        rule_set.save()
        audit.record(actor, log_actions.ACTIVATE, rule_set, data=_audit_data(rule_set))
    return rule_set


def retire(rule_set: RuleSet, *, actor) -> RuleSet:
    """Take an active version out of use (an earlier version in force on a day applies again)."""
    _ensure_editor(actor)
    with transaction.atomic():
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if rule_set.status != Status.ACTIVE:
            raise Conflict(
                _("Only an active version can be retired; version %(version)s of %(code)s is %(status)s.")
                % {
                    "version": rule_set.version,
                    "code": rule_set.code,
                    "status": rule_set.get_status_display(),
                }
            )
        rule_set.status = Status.RETIRED
        rule_set.retired_at = timezone.now()
        rule_set.save()
        audit.record(actor, log_actions.RETIRE, rule_set, data=_audit_data(rule_set))
    return rule_set


def _user(actor):
    actor = audit.unwrap(actor)
    return actor if getattr(actor, "is_authenticated", False) else None
