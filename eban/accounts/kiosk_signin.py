"""Signing in at a kiosk: by ID card (a signed reading from the terminal's reader) or by face
(1:1 against the photo on record, after separate consent). Face is never the only way in: every
refusal points to the ID card and to the service window.

The live image is used for the check and then dropped: it is not saved, logged or cached; the
audit record keeps the outcome and the distance only.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import DomainError
from eban.core.ratelimit import Limit, hit

from . import actions, face, realperson
from .enums import VerificationMethod
from .idcard import MAX_AGE_SECONDS, IdCardData, verify_reading
from .models import CardReadingNonce, Citizen, id_number_index

logger = logging.getLogger(__name__)

CONSENT_SECONDS = 5 * 60  # consent given at the kiosk holds for one sign-in attempt window
FACE_ATTEMPTS = Limit("kiosk-face-id", count=5, seconds=10 * 60)  # per ID number
FACE_ATTEMPTS_PER_TERMINAL = Limit(
    "kiosk-face-ip", count=30, seconds=10 * 60
)  # per terminal (its code on a paired screen, else its address)


class FaceNotMatched(DomainError):
    code = "face_not_matched"


def _no_reference() -> DomainError:
    return DomainError(
        _(
            "Your face cannot be checked here: there is no photo on record for this ID number. "
            "Please sign in with your ID card, or ask at the service window."
        ),
        code="no_reference",
    )


def consent_valid(consent_at: float | None, *, now: float | None = None) -> bool:
    if not consent_at:
        return False
    now = now if now is not None else timezone.now().timestamp()
    return 0 <= now - float(consent_at) <= CONSENT_SECONDS


def issue_card_nonce(terminal: str) -> str:
    """A number for the next card reading at `terminal` (the card page hands it to the reader)."""
    now = timezone.now()
    CardReadingNonce.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).delete()
    nonce = secrets.token_urlsafe(24)
    CardReadingNonce.objects.create(nonce=nonce, terminal=terminal)
    return nonce


def _use_card_nonce(nonce: str, terminal: str) -> None:
    """Spend the reading's number: issued to this terminal, fresh, and not used before. One
    UPDATE decides, so two requests at the same instant cannot both spend it."""
    now = timezone.now()
    spent = CardReadingNonce.objects.filter(
        nonce=nonce or "-",
        terminal=terminal,
        used_at__isnull=True,
        created_at__gte=now - datetime.timedelta(seconds=MAX_AGE_SECONDS),
    ).update(used_at=now)
    if spent != 1:
        raise DomainError(
            _("The card reading has expired. Please put the card on the reader again."), code="nonce"
        )


def sign_in_by_card(message: dict, *, terminal: str) -> Citizen:
    """The citizen on a signed card reading; recorded (with the card photo as the photo on
    record) on first use, marked verified by ID card. The reading's number is spent here."""
    card: IdCardData = verify_reading(message)
    _use_card_nonce(card.nonce, terminal)
    citizen = actions.register_citizen(actions.CitizenInput(name=card.name, id_number=card.id_number))
    if card.photo and not citizen.photo:
        citizen.photo.save(f"{citizen.pk}.jpg", ContentFile(card.photo), save=True)
    actions.mark_verified(citizen, VerificationMethod.ID_CARD)
    audit.record(None, "accounts.citizen.sign_in", citizen, data={"method": "id_card", "terminal": terminal})
    return citizen


def sign_in_by_face(id_number: str, live_image: bytes, *, consent_at: float | None, terminal: str) -> Citizen:
    """The citizen with this ID number if the live image matches their photo on record."""
    if not consent_valid(consent_at):
        raise DomainError(
            _("Please agree to the face check first; the camera starts only after you agree."), code="consent"
        )
    number = actions.clean_id_number(id_number)
    hit(FACE_ATTEMPTS, id_number_index(number))
    hit(FACE_ATTEMPTS_PER_TERMINAL, terminal)
    citizen = Citizen.objects.with_id_number(number).first()
    if citizen is not None and citizen.photo:
        with citizen.photo.open("rb") as reference:
            result = face.verify(live_image, reference.read())
        outcome = {"method": "face", "matched": result.matched, "distance": round(result.distance, 3)}
    elif citizen is not None and realperson.is_configured():
        answer = realperson.verifier().verify(name=citizen.name, id_number=number, live_image=live_image)
        outcome = {"method": "ctid", "matched": answer.verified, "reference": answer.reference}
    else:
        raise _no_reference()
    del live_image  # nothing of the capture outlives the check
    audit.record(None, "accounts.citizen.sign_in", citizen, data={**outcome, "terminal": terminal})
    if not outcome["matched"]:
        raise FaceNotMatched(
            _(
                "Your face did not match the photo on record. Please try again facing the camera "
                "in good light, or sign in with your ID card, or ask at the service window."
            )
        )
    method = VerificationMethod.FACE if outcome["method"] == "face" else VerificationMethod.CTID
    actions.mark_verified(citizen, method)
    return citizen


def sample_card(citizen: Citizen) -> IdCardData:
    """The card of a sample citizen, for the demo terminal's simulated reader."""
    if not citizen.is_sample:
        raise DomainError(_("Only sample citizens have a simulated card."), code="not_sample")
    photo = b""
    if citizen.photo:
        with citizen.photo.open("rb") as handle:
            photo = handle.read()
    until = timezone.localdate() + datetime.timedelta(days=3650)
    return IdCardData(
        name=citizen.name,
        id_number=citizen.id_number,
        photo=photo,
        sex=citizen.get_sex_display(),
        issuing_authority="（样例）温州市公安局",
        valid_until=until.isoformat(),
    )


def kiosk_session(request: Any, citizen: Citizen, method: str) -> None:
    """Sign the citizen in on this terminal for a short session (the kiosk app signs out on idle)."""
    from django.contrib.auth import login

    user = actions.account_for(citizen)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["eban_kiosk"] = True
    request.session["eban_sign_in_method"] = method
    request.session.set_expiry(10 * 60)
