"""Acting for someone: a signed-in citizen acts for themself, for a citizen who authorised them
(代办 / 委托) or for an enterprise (as its legal representative or an authorised agent).

`act_for` checks the authorisation and returns an `Acting` that every later write carries, so
that each record says who acted and for whom (`Acting.audit_data`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from eban.core.exceptions import PermissionDenied

from ..models import Citizen, Enterprise, EnterpriseAgent, ProxyAuthorisation


@dataclass(frozen=True)
class Acting:
    user: Any
    person: Citizen  # who acts
    citizen: Citizen | None = None  # for whom (a citizen) …
    enterprise: Enterprise | None = None  # … or an enterprise
    grant: ProxyAuthorisation | EnterpriseAgent | None = None  # by which authorisation

    @property
    def for_self(self) -> bool:
        return self.enterprise is None and (self.citizen is None or self.citizen.pk == self.person.pk)

    @property
    def applicant(self) -> Citizen | Enterprise:
        return self.enterprise or self.citizen or self.person

    def audit_data(self) -> dict[str, Any]:
        """Who acted, for whom and by which authorisation, as primary keys (no personal data)."""
        data: dict[str, Any] = {"acted_by": self.person.pk}
        if self.enterprise is not None:
            data["for_enterprise"] = self.enterprise.pk
        else:
            data["for_citizen"] = (self.citizen or self.person).pk
        if isinstance(self.grant, ProxyAuthorisation):
            data["via_proxy"] = self.grant.pk
        elif isinstance(self.grant, EnterpriseAgent):
            data["via_agent"] = self.grant.pk
        return data


def person_of(user: Any) -> Citizen:
    citizen = getattr(user, "citizen", None) if getattr(user, "is_authenticated", False) else None
    if citizen is None:
        raise PermissionDenied(_("Sign in with your real-name account first."))
    return citizen


def act_for(
    user: Any,
    *,
    citizen: Citizen | None = None,
    enterprise: Enterprise | None = None,
    matter_id: int | None = None,
    on: datetime.date | None = None,
) -> Acting:
    """May `user` act for `citizen` or `enterprise` (on `matter_id`, if given)? Raises
    PermissionDenied in plain words if not."""
    person = person_of(user)
    if enterprise is not None:
        if enterprise.legal_representative_id == person.pk:
            return Acting(user, person, enterprise=enterprise)
        for grant in EnterpriseAgent.objects.in_force(on).filter(enterprise=enterprise, agent=person):
            if grant.covers(matter_id):
                return Acting(user, person, enterprise=enterprise, grant=grant)
        raise PermissionDenied(_("You are not authorised to act for this enterprise on this matter."))
    if citizen is None or citizen.pk == person.pk:
        return Acting(user, person, citizen=person)
    for grant in ProxyAuthorisation.objects.in_force(on).filter(principal=citizen, proxy=person):
        if grant.covers(matter_id):
            return Acting(user, person, citizen=citizen, grant=grant)
    raise PermissionDenied(_("You are not authorised to act for this person on this matter."))
