"""Who may see and run the kiosk network in the back office.

Kiosk operators see the terminals in their divisions (the StaffProfile's scope, as everywhere:
eban.accounts.permissions; terminals belong to a division, not a department); platform
administrators see them all. Every back-office query of terminals goes through `terminals_for`,
and every staff action on a terminal (eban.kiosks.actions) through `operable_terminals`.

`SYSTEM` is the platform itself as an actor (a management command such as `eban demo`); a
request's user never is, and a forgotten actor (None) is refused like anyone else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from eban.accounts.enums import StaffRole
from eban.accounts.permissions import has_role, staff_scope
from eban.government.divisions import code_prefix
from eban.government.models import Division

from .models import Terminal


class _System:
    """The platform acting on its own (management commands): see the module's docstring."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def may_operate(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (has_role(user, StaffRole.KIOSK_OPERATOR) or has_role(user, StaffRole.PLATFORM_ADMIN))
    )


def division_q(user: Any, *, division: str = "division") -> Q:
    """The filter that keeps the rows whose `division` is in the official's scope
    (`division=""` filters the divisions themselves)."""
    field = f"{division}__code__startswith" if division else "code__startswith"
    scope = staff_scope(user)
    if not may_operate(user) or scope.nothing:
        return Q(pk__in=[])
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    for code in scope.division_codes:
        q |= Q(**{field: code_prefix(code)})
    return q


def terminals_for(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """The terminals this official may see and run."""
    queryset = queryset if queryset is not None else Terminal.objects.all()
    return queryset.filter(division_q(user))


def divisions_for(user: Any) -> QuerySet:
    """The divisions an official may put terminals in."""
    return Division.objects.filter(division_q(user, division=""))


def operable_terminals(actor: Any) -> QuerySet:
    """The terminals `actor` may change (their token, pairing, fields): SYSTEM all of them; an
    official those of `terminals_for`; anyone else none. Filter it by pk inside the action's
    transaction, so the scope is the database's, not that of the object the caller passed."""
    if actor is SYSTEM:
        return Terminal.objects.all()
    return terminals_for(actor)
