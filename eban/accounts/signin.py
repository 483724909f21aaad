"""Web sign-in by phone and SMS code: who a verified phone belongs to, and the first sign-in's
real-name binding (the person gives their name and ID number once; the account is theirs).

The code itself is eban.accounts.codes; the pages are eban.accounts.account_views.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from eban.core import audit, ratelimit
from eban.core.exceptions import Conflict

from . import actions
from .enums import VerificationMethod
from .models import Citizen, phone_index

logger = logging.getLogger("eban.accounts.signin")

# Wrong name/ID pairs for one verified phone, per hour: enough for typing mistakes, not for guessing.
REAL_NAME_LIMIT = ratelimit.Limit("signin-real-name", 5, 3600)


def citizen_with_account(phone: str) -> Citizen | None:
    """The citizen whose account signs in with this phone, if any."""
    return (
        Citizen.objects.with_phone(actions.clean_phone(phone))
        .filter(user__isnull=False, user__is_active=True)
        .select_related("user")
        .first()
    )


def bind_real_name(phone: str, *, name: str, id_number: str) -> Citizen:
    """The first sign-in of a verified phone: record (or find) the citizen by name and ID number,
    attach the phone and create the account. Refuses an ID number whose account has another
    phone, or none (that person adds a phone at a kiosk or a service window, in person)."""
    phone = actions.clean_phone(phone)
    ratelimit.hit(REAL_NAME_LIMIT, phone_index(phone))
    id_number = actions.clean_id_number(id_number)
    name = actions.clean_name(name)
    with transaction.atomic():
        existing = Citizen.objects.select_for_update().with_id_number(id_number).first()
        if existing is not None and existing.user_id and existing.phone != phone:
            if existing.phone:
                raise Conflict(
                    _(
                        "This ID number already has an account with another mobile number. Sign in with "
                        "that number; if you no longer have it, change it at a service window."
                    ),
                    code="id_number_taken",
                )
            raise Conflict(
                _(
                    "This ID number already has an account without a mobile number. Add your number "
                    "at a kiosk or a service window, with your ID card."
                ),
                code="id_number_taken",
            )
        citizen = actions.register_citizen(actions.CitizenInput(name=name, id_number=id_number, phone=phone))
        if not citizen.verification_method:
            actions.mark_verified(citizen, VerificationMethod.SMS)
        user = actions.account_for(citizen)
        audit.record(
            user, "accounts.citizen.bind_phone", citizen, data={"method": VerificationMethod.SMS.value}
        )
    logger.info("Citizen %s bound a phone to their account", citizen.pk)
    return citizen
