"""Web sign-in by phone and SMS code: who a verified phone belongs to, and the first sign-in's
real-name binding.

A name and an ID number prove nothing (relatives, agents and anyone who saw a card know them), so
the first sign-in binds a phone to a person only with proof tied to that person: the real-person
service (eban.accounts.identity.realperson) comparing a live photo with the state's record. The kiosk's ID
card reading and the service window are the other ways in. Until the person is proven, every answer
is the same whether eban has a record of that ID number or not, and is reached by the same path
(the service is asked before the records are read): the form reveals nobody.

The code itself is eban.accounts.signin.codes; the pages are eban.accounts.views.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from eban.core import audit, ratelimit
from eban.core.exceptions import Conflict, DomainError

from .. import actions
from ..enums import VerificationMethod
from ..identity import realperson
from ..models import Citizen, phone_index

logger = logging.getLogger("eban.accounts.signin.web")

# Attempts for one verified phone, per hour: enough for typing mistakes, not for guessing.
REAL_NAME_LIMIT = ratelimit.Limit("signin-real-name", 5, 3600)


def citizen_with_account(phone: str) -> Citizen | None:
    """The citizen whose account signs in with this phone, if any."""
    return (
        Citizen.objects.with_phone(actions.clean_phone(phone))
        .filter(user__isnull=False, user__is_active=True)
        .select_related("user")
        .first()
    )


class NotProven(DomainError):
    status_code = 403
    code = "not_proven"


def web_binding_available() -> bool:
    """Whether this site can prove a person on the web (a real-person service is configured)."""
    return realperson.is_configured()


def needs_live_image() -> bool:
    """Whether the configured service needs a live photo (every real one does)."""
    return bool(getattr(realperson.verifier(), "needs_live_image", True))


def _prove(name: str, id_number: str, live_image: bytes) -> realperson.RealPersonResult:
    """The real-person service's yes for this name, number and live photo; else NotProven.
    Reads no record of eban's: the same work whether the person is known here or not."""
    if not web_binding_available():
        raise realperson.ServiceUnavailable(
            _(
                "This site cannot confirm who you are online. Sign in once at a kiosk with your ID "
                "card, or at a service window with your ID card; your number can be added there."
            )
        )
    if needs_live_image() and not live_image:
        raise DomainError(_("Take a photo of your face now, facing the camera."), code="photo")
    answer = realperson.verifier().verify(name=name, id_number=id_number, live_image=live_image)
    if not answer.verified:
        raise NotProven(
            _(
                "We could not confirm that you are the person with this name and ID number. Try "
                "again with a clear photo of your face, or sign in at a kiosk with your ID card, or "
                "at a service window."
            )
        )
    return answer


def bind_real_name(phone: str, *, name: str, id_number: str, live_image: bytes = b"") -> Citizen:
    """The first sign-in of a verified phone: once the real-person service has confirmed that the
    live photo shows the holder of this name and ID number, record (or find) the citizen, attach
    the phone and create the account. Refuses an ID number whose account has another phone, or
    none (that person changes it at a kiosk or a service window, in person)."""
    phone = actions.clean_phone(phone)
    ratelimit.hit(REAL_NAME_LIMIT, phone_index(phone))
    id_number = actions.clean_id_number(id_number)
    name = actions.clean_name(name)
    proof = _prove(name, id_number, live_image)
    del live_image  # the photo is the service's to check, not ours to keep
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
        actions.mark_verified(citizen, VerificationMethod.CTID)
        user = actions.account_for(citizen)
        audit.record(
            user,
            "accounts.citizen.bind_phone",
            citizen,
            data={"method": VerificationMethod.CTID.value, "reference": proof.reference},
        )
    logger.info("Citizen %s bound a phone to their account", citizen.pk)
    return citizen
