"""Rules on what an authorisation may cover, with no I/O.

"All matters" (a general authorisation) is allowed to a spouse, a parent or a child only,
for at most a year: a wider circle of relatives and the official helpers (帮办代办) are
authorised matter by matter, so that a lost or misused authorisation reaches as little as
possible. Agents of an enterprise (经办人) may hold all matters: the legal representative
answers for the firm and names them.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from ..enums import Relationship

ALL_MATTERS_RELATIONSHIPS = frozenset({Relationship.SPOUSE, Relationship.PARENT, Relationship.CHILD})
ALL_MATTERS_MAX_DAYS = 366
MAX_MATTERS = 50


def may_cover_all_matters(relationship: str) -> bool:
    return relationship in ALL_MATTERS_RELATIONSHIPS


def check_proxy_scope(
    relationship: str,
    *,
    all_matters: bool,
    matter_count: int,
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> None:
    """Raise DomainError when a proxy authorisation's scope breaks the rules above."""
    if matter_count > MAX_MATTERS:
        raise DomainError(
            _("Choose at most %(count)d matters in one authorisation.") % {"count": MAX_MATTERS},
            code="matters",
        )
    if not all_matters:
        return
    if not may_cover_all_matters(relationship):
        raise DomainError(
            _("All matters can be given to a spouse, a parent or a child only. Choose the matters instead."),
            code="all_matters",
        )
    if (valid_until - valid_from).days > ALL_MATTERS_MAX_DAYS:
        raise DomainError(
            _("An authorisation for all matters can last at most one year."), code="all_matters_span"
        )
