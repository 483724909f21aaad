"""Every write to identity: citizens, enterprises and their profile, agents, proxies, staff.

Each action validates its input (a DomainError in plain words, nothing half-saved), writes in
one transaction and leaves an audit record that names who did it and for whom — never an ID
number, a phone or a name (records carry primary keys only).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import Conflict, DomainError, PermissionDenied
from eban.government.models import Department, Division

from . import permissions
from .enums import Relationship, StaffRole, VerificationMethod
from .grants import rules as grant_rules
from .identity.creditcodes import check_credit_code
from .identity.idnumbers import check_id_number
from .models import (
    YEARLY_FACTS,
    Citizen,
    Enterprise,
    EnterpriseAgent,
    EnterpriseFact,
    EnterpriseTag,
    FactKey,
    ProxyAuthorisation,
    StaffProfile,
)
from .staff import managing as staffing

MAX_GRANT_DAYS = 5 * 366  # an authorisation lasts at most about five years
_NAME_RE = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z·•.\- ]{0,49}$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
_INDUSTRY_RE = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


# --- input checks shared by the actions -------------------------------------------------------


def clean_name(name: str) -> str:
    value = " ".join((name or "").split())
    if not _NAME_RE.match(value):
        raise DomainError(
            _("Enter the name as on the ID card: Chinese characters or letters, at most 50."), code="name"
        )
    return value


def clean_phone(phone: str) -> str:
    value = re.sub(r"[\s-]", "", phone or "")
    if value.startswith("+86"):
        value = value[3:]
    if not _PHONE_RE.match(value):
        raise DomainError(_("Enter an 11-digit mainland mobile number starting with 1."), code="phone")
    return value


def clean_id_number(id_number: str) -> str:
    result = check_id_number(id_number)
    if not result.valid:
        raise DomainError(result.reason, code=f"id_number_{result.code}")
    return result.normalized


def clean_credit_code(credit_code: str) -> str:
    result = check_credit_code(credit_code)
    if not result.valid:
        raise DomainError(result.reason, code=f"credit_code_{result.code}")
    return result.normalized


def _clean_span(valid_from: datetime.date, valid_until: datetime.date) -> None:
    today = timezone.localdate()
    if valid_until < valid_from:
        raise DomainError(_("The end date must not be before the start date."), code="span")
    if valid_until < today:
        raise DomainError(_("The end date is already past."), code="span")
    if (valid_until - valid_from).days > MAX_GRANT_DAYS:
        raise DomainError(_("An authorisation can last at most five years."), code="span")


# --- citizens ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitizenInput:
    name: str
    id_number: str
    phone: str = ""
    household_division_code: str = ""
    abroad_country: str = ""
    passport_number: str = ""


def _citizen_values(data: CitizenInput) -> dict[str, Any]:
    id_number = clean_id_number(data.id_number)
    check = check_id_number(id_number)
    values: dict[str, Any] = {
        "name": clean_name(data.name),
        "id_number": id_number,
        "birth_date": check.birth_date,
        "sex": check.sex,
        "phone": clean_phone(data.phone) if data.phone else "",
        "abroad_country": (data.abroad_country or "").strip().upper(),
        "passport_number": re.sub(r"\s", "", data.passport_number or "").upper(),
        "household_division": None,
    }
    if values["abroad_country"] and not _COUNTRY_RE.match(values["abroad_country"]):
        raise DomainError(
            _("The country of residence is a two-letter ISO 3166 code, e.g. IT."), code="country"
        )
    if values["passport_number"] and not _PASSPORT_RE.match(values["passport_number"]):
        raise DomainError(_("A passport number has 5 to 20 letters and digits."), code="passport")
    if data.household_division_code:
        division = Division.objects.filter(code=data.household_division_code).first()
        if division is None:
            raise DomainError(
                _("There is no division with code %(code)s.") % {"code": data.household_division_code},
                code="division",
            )
        values["household_division"] = division
    return values


def register_citizen(data: CitizenInput, *, actor: Any = None, is_sample: bool = False) -> Citizen:
    """Record a citizen, or update the one with this ID number (the name must then match)."""
    values = _citizen_values(data)
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().with_id_number(values["id_number"]).first()
        if citizen is not None and citizen.name != values["name"]:
            raise DomainError(_("The name does not match the ID number on record."), code="name_mismatch")
        created = citizen is None
        citizen = citizen or Citizen(is_sample=is_sample)
        changed = [k for k, v in values.items() if v and getattr(citizen, k) != v]
        for key in changed:
            setattr(citizen, key, values[key])
        if created or changed:
            try:
                with transaction.atomic():
                    citizen.save()
            except IntegrityError as error:
                raise Conflict(
                    _("This mobile number already belongs to another account."), code="phone_taken"
                ) from error
            audit.record(
                actor,
                "accounts.citizen.create" if created else "accounts.citizen.update",
                citizen,
                data={"fields": sorted(changed)},
            )
    return citizen


def find_or_record_person(name: str, id_number: str, *, actor: Any) -> Citizen:
    """The citizen with this ID number (the name must match), recorded if new: how a relative or
    an agent is named by the person who authorises them."""
    return register_citizen(CitizenInput(name=name, id_number=id_number), actor=actor)


def describe_sample(citizen: Citizen, note: str) -> None:
    """Say who a sample person is in the demo and what for (shown on the kiosk's sample cards)."""
    if not citizen.is_sample:
        raise DomainError(_("Only sample citizens carry a demo role."), code="not_sample")
    note = " ".join((note or "").split())[:100]
    if citizen.sample_note != note:
        citizen.sample_note = note
        citizen.save(update_fields=["sample_note"])


def mark_verified(citizen: Citizen, method: VerificationMethod, *, actor: Any = None) -> Citizen:
    citizen.verification_method = method
    citizen.verified_at = timezone.now()
    citizen.save(update_fields=["verification_method", "verified_at"])
    audit.record(actor, "accounts.citizen.verify", citizen, data={"method": str(method)})
    return citizen


def account_for(citizen: Citizen):
    """The sign-in account of a citizen, created on first sign-in (no password: citizens sign in
    by SMS code, ID card or face)."""
    if citizen.user_id:
        return citizen.user
    User = get_user_model()
    with transaction.atomic():
        user = User(username=f"citizen-{citizen.pk}")
        user.set_unusable_password()
        user.save()
        citizen.user = user
        citizen.save(update_fields=["user"])
    return user


def reveal(staff_user: Any, citizen: Citizen, field: str) -> str:
    """The unmasked ID number or phone of a citizen for an entitled official; audited."""
    if field not in ("id_number", "phone", "passport_number"):
        raise DomainError(_("Only an ID number, a phone or a passport number can be shown."), code="field")
    if not permissions.can_view_unmasked(staff_user):
        raise PermissionDenied(_("You may not see unmasked personal data."))
    audit.record(staff_user, "accounts.citizen.reveal", citizen, data={"field": field})
    return getattr(citizen, field)


# --- enterprises ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactInput:
    key: str
    value: Any
    source: str
    as_of: datetime.date
    year: int = 0


def register_enterprise(
    *, credit_code: str, name: str, legal_representative: Citizen | None, actor: Any, is_sample: bool = False
) -> Enterprise:
    code = clean_credit_code(credit_code)
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise DomainError(_("Enter the enterprise's registered name (at most 200 characters)."), code="name")
    with transaction.atomic():
        enterprise, created = Enterprise.objects.select_for_update().get_or_create(
            credit_code=code,
            defaults={"name": name, "legal_representative": legal_representative, "is_sample": is_sample},
        )
        changed = []
        if not created:
            for key, value in (("name", name), ("legal_representative", legal_representative)):
                if value is not None and getattr(enterprise, key) != value:
                    setattr(enterprise, key, value)
                    changed.append(key)
            if changed:
                enterprise.save(update_fields=[*changed, "updated_at"])
        if created or changed:
            audit.record(
                actor,
                "accounts.enterprise.create" if created else "accounts.enterprise.update",
                enterprise,
                data={"fields": changed},
            )
    return enterprise


def _fact_value(enterprise_fact: EnterpriseFact, fact: FactInput) -> Any:
    """Check one fact and put it on the EnterpriseFact; return the enterprise column's value."""
    key = fact.key
    if key in YEARLY_FACTS:
        if not 1949 <= fact.year <= timezone.localdate().year:
            raise DomainError(_("A yearly figure needs its year."), code="year")
    elif fact.year:
        raise DomainError(_("%(key)s is not a yearly figure.") % {"key": key}, code="year")
    if key in (FactKey.INDUSTRY_CODE, FactKey.DIVISION, FactKey.FOUNDED_ON):
        text = str(fact.value).strip().upper() if key == FactKey.INDUSTRY_CODE else str(fact.value).strip()
        enterprise_fact.text, enterprise_fact.number = text, None
        if key == FactKey.INDUSTRY_CODE:
            if not _INDUSTRY_RE.match(text):
                raise DomainError(_("An industry code (GB/T 4754) looks like C3911."), code="industry")
            return text
        if key == FactKey.DIVISION:
            division = Division.objects.filter(code=text).first()
            if division is None:
                raise DomainError(
                    _("There is no division with code %(code)s.") % {"code": text}, code="division"
                )
            return division
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as error:
            raise DomainError(_("A date is written YYYY-MM-DD."), code="date") from error
    try:
        number = Decimal(str(fact.value))
    except InvalidOperation as error:
        raise DomainError(_("%(key)s must be a number.") % {"key": key}, code="number") from error
    if not number.is_finite() or number < 0 or number >= Decimal("1e15"):
        raise DomainError(_("%(key)s must be a number of zero or more.") % {"key": key}, code="number")
    enterprise_fact.number, enterprise_fact.text = number, ""
    return number


def record_enterprise_facts(enterprise: Enterprise, facts: Iterable[FactInput], *, actor: Any) -> None:
    """Record values of an enterprise's profile with their source and date (the latest year's
    value, or the static value, is also set on the enterprise itself). All or nothing."""
    columns = {
        FactKey.INDUSTRY_CODE: "industry_code",
        FactKey.DIVISION: "division",
        FactKey.REGISTERED_CAPITAL: "registered_capital",
        FactKey.FOUNDED_ON: "founded_on",
    }
    with transaction.atomic():
        keys = []
        for fact in facts:
            if fact.key not in FactKey.values:
                raise DomainError(_("Unknown profile value: %(key)s.") % {"key": fact.key}, code="key")
            source = " ".join((fact.source or "").split())
            if not source or len(source) > 100:
                raise DomainError(_("Each value needs its source (at most 100 characters)."), code="source")
            row = EnterpriseFact.objects.filter(enterprise=enterprise, key=fact.key, year=fact.year).first()
            row = row or EnterpriseFact(enterprise=enterprise, key=fact.key, year=fact.year)
            value = _fact_value(row, fact)
            row.source, row.as_of = source, fact.as_of
            row.save()
            if fact.key in columns:
                setattr(enterprise, columns[fact.key], value)
            keys.append(f"{fact.key}:{fact.year}" if fact.year else fact.key)
        enterprise.save()
        audit.record(actor, "accounts.enterprise.facts", enterprise, data={"facts": keys})


def tag_enterprise(
    enterprise: Enterprise,
    name: str,
    *,
    source: str,
    as_of: datetime.date,
    valid_until: datetime.date | None = None,
    actor: Any,
) -> EnterpriseTag:
    name = " ".join((name or "").split())
    if not name or len(name) > 50 or not source:
        raise DomainError(_("A tag needs a name (at most 50 characters) and a source."), code="tag")
    with transaction.atomic():
        tag, _created = EnterpriseTag.objects.update_or_create(
            enterprise=enterprise,
            name=name,
            defaults={"source": source[:100], "as_of": as_of, "valid_until": valid_until},
        )
        audit.record(actor, "accounts.enterprise.tag", enterprise, data={"tag": name})
    return tag


# --- agents and proxies -----------------------------------------------------------------------


def _set_matters(grant, matters, all_matters: bool) -> None:
    matters = list(matters or [])
    if not all_matters and not matters:
        raise DomainError(_("Choose the matters this authorisation covers."), code="matters")
    grant.save()
    if not all_matters:
        grant.matters.set(matters)


def authorise_agent(
    enterprise: Enterprise,
    *,
    by: Citizen,
    agent_name: str,
    agent_id_number: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    matters: Iterable = (),
    all_matters: bool = False,
    actor: Any,
) -> EnterpriseAgent:
    """The legal representative lets a citizen act for the enterprise (经办人)."""
    if enterprise.legal_representative_id != by.pk:
        raise PermissionDenied(_("Only the legal representative can authorise agents."))
    _clean_span(valid_from, valid_until)
    with transaction.atomic():
        agent = find_or_record_person(agent_name, agent_id_number, actor=actor)
        grant = EnterpriseAgent(
            enterprise=enterprise,
            agent=agent,
            granted_by=by,
            valid_from=valid_from,
            valid_until=valid_until,
            all_matters=all_matters,
        )
        _set_matters(grant, matters, all_matters)
        audit.record(
            actor,
            "accounts.agent.grant",
            enterprise,
            data={"grant": grant.pk, "agent": agent.pk, "all_matters": all_matters},
        )
    return grant


def authorise_proxy(
    principal: Citizen,
    *,
    proxy_name: str,
    proxy_id_number: str,
    relationship: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    matters: Iterable = (),
    all_matters: bool = False,
    actor: Any,
) -> ProxyAuthorisation:
    """A citizen lets a relative or an official helper act for them on named matters (代办)."""
    if relationship not in Relationship.values:
        raise DomainError(_("Choose how the proxy is related to you."), code="relationship")
    _clean_span(valid_from, valid_until)
    matters = list(matters or [])
    grant_rules.check_proxy_scope(
        relationship,
        all_matters=all_matters,
        matter_count=len(matters),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    with transaction.atomic():
        proxy = find_or_record_person(proxy_name, proxy_id_number, actor=actor)
        if proxy.pk == principal.pk:
            raise DomainError(_("You cannot authorise yourself."), code="self")
        grant = ProxyAuthorisation(
            principal=principal,
            proxy=proxy,
            relationship=relationship,
            valid_from=valid_from,
            valid_until=valid_until,
            all_matters=all_matters,
        )
        _set_matters(grant, matters, all_matters)
        audit.record(
            actor,
            "accounts.proxy.grant",
            principal,
            data={"grant": grant.pk, "proxy": proxy.pk, "relationship": relationship},
        )
    return grant


def revoke(grant: EnterpriseAgent | ProxyAuthorisation, *, by: Citizen, reason: str, actor: Any):
    """End an authorisation now. The principal (or the legal representative) may; so may the
    person authorised, who can always step down."""
    if isinstance(grant, ProxyAuthorisation):
        allowed = {grant.principal_id, grant.proxy_id}
        subject = grant.principal
    else:
        allowed = {grant.enterprise.legal_representative_id, grant.agent_id}
        subject = grant.enterprise
    if by.pk not in allowed:
        raise PermissionDenied(_("You may not revoke this authorisation."))
    reason = " ".join((reason or "").split())[:200]
    with transaction.atomic():
        grant = type(grant).objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            return grant
        grant.revoked_at = timezone.now()
        grant.revoked_reason = reason
        grant.save(update_fields=["revoked_at", "revoked_reason"])
        kind = "proxy" if isinstance(grant, ProxyAuthorisation) else "agent"
        audit.record(actor, f"accounts.{kind}.revoke", subject, data={"grant": grant.pk, "by": by.pk})
    return grant


# --- staff ------------------------------------------------------------------------------------


def ensure_role_groups() -> dict[str, Group]:
    """The Django groups that carry the staff roles (created once)."""
    return {role.value: Group.objects.get_or_create(name=role.group_name)[0] for role in StaffRole}


def _ensure_can_set_staff(actor: Any, user: Any, department: Department | None, roles: list[str]) -> None:
    current = StaffProfile.objects.filter(user=user).first()
    refused = PermissionDenied(_("You may not give these roles to this account."))
    if not staffing.can_manage(actor, user, current):
        raise refused
    if staffing.is_platform_admin(actor):
        return
    kept = current.roles if current is not None else set()
    if set(roles) - set(staffing.assignable_roles(actor)) - kept:
        raise refused
    if department is None or department.pk != staffing.managed_department_id(actor):
        raise refused


def set_staff(
    user: Any,
    *,
    department: Department | None,
    divisions: Iterable[Division] = (),
    roles: Iterable[str] = (),
    actor: Any,
) -> StaffProfile:
    """Attach an account to a department and divisions with roles; it becomes staff.

    The actor must be allowed to (eban.accounts.staff.managing): a platform administrator sets anyone;
    a department administrator sets the officials of their own department with the everyday
    roles only (never themselves, never an administrator's role); nobody else sets anyone.
    `actor=None` is the system itself (loading the sample data, a management command)."""
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in StaffRole.values]
    if unknown:
        raise DomainError(_("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}, code="role")
    if actor is not None:
        _ensure_can_set_staff(actor, user, department, roles)
    groups = ensure_role_groups()
    with transaction.atomic():
        profile, created = StaffProfile.objects.get_or_create(user=user, defaults={"department": department})
        profile.department = department
        profile.save()
        profile.divisions.set(list(divisions))
        role_groups = [groups[r] for r in roles]
        user.groups.remove(*[g for g in groups.values() if g not in role_groups])
        user.groups.add(*role_groups)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        audit.record(
            actor,
            "accounts.staff.create" if created else "accounts.staff.update",
            profile,
            data={
                "department": getattr(department, "pk", None),
                "divisions": sorted(d.pk for d in profile.divisions.all()),
                "roles": roles,
            },
        )
    return profile
