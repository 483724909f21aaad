"""Signing in at a kiosk: by ID card (a signed reading from the terminal's reader, with the
server's single-use number) or by face (only on a paired terminal, after separate consent, with a
liveness challenge, then 1:1 against the photo on record). Face is never the only way in: every
refusal points to the ID card and to the service window.

The live image is used for the check and then dropped: it is not saved, logged or cached; the
audit record keeps the outcome and the distance only.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import DomainError
from eban.core.ratelimit import Limit, hit

from .. import actions
from ..enums import VerificationMethod
from ..identity import face, liveness, realperson
from ..identity.idcard import MAX_AGE_SECONDS, IdCardData, verify_reading
from ..models import CardReadingNonce, Citizen, FaceAttempt, id_number_index

logger = logging.getLogger(__name__)

CONSENT_SECONDS = 5 * 60  # consent given at the kiosk holds for one sign-in attempt window
CHALLENGE_VALID = datetime.timedelta(minutes=2)  # the frames must answer the challenge this soon
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


# --- face sign-in: one FaceAttempt from the ID number to the decision --------------------------


def no_terminal_error() -> DomainError:
    return DomainError(
        _(
            "Face sign-in works only on a registered terminal. Please sign in with your ID card, or "
            "ask at the service window."
        ),
        code="not_a_terminal",
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_face_attempt(id_number: str, *, terminal: str | None) -> str:
    """Begin a face sign-in at a paired terminal; returns the token the session keeps (the ID
    number itself is kept nowhere: the attempt holds its blind index until decided)."""
    if not terminal:
        raise no_terminal_error()
    number = actions.clean_id_number(id_number)
    token = secrets.token_urlsafe(24)
    FaceAttempt.objects.create(
        token_hash=_hash(token), terminal=terminal, id_number_index=id_number_index(number) or ""
    )
    return token


def face_attempt(token: str | None, *, terminal: str | None) -> FaceAttempt | None:
    """The undecided attempt of this session at this terminal, if any."""
    if not token or not terminal:
        return None
    return FaceAttempt.objects.filter(
        token_hash=_hash(token), terminal=terminal, decided_at__isnull=True
    ).first()


def give_consent(attempt: FaceAttempt) -> None:
    attempt.consent_at = timezone.now()
    attempt.save(update_fields=["consent_at"])


def issue_challenge(attempt: FaceAttempt) -> str:
    """Draw the liveness challenge for the camera page (a new one each time it is shown)."""
    attempt.challenge = liveness.draw_challenge()
    attempt.challenged_at = timezone.now()
    attempt.save(update_fields=["challenge", "challenged_at"])
    return attempt.challenge


def _decide(attempt: FaceAttempt, *, passed: bool, reason: str) -> None:
    FaceAttempt.objects.filter(pk=attempt.pk).update(passed=passed, reason=reason[:40], id_number_index="")


def sign_in_by_face(token: str | None, frames: list[bytes], *, terminal: str | None) -> Citizen:
    """The citizen of this attempt if the frames pass the liveness challenge and the straight one
    matches their photo on record (or the real-person service says so). Each attempt is decided
    once: the decision (pass or fail, why, terminal, time; no face data) stays with it."""
    if not terminal:
        raise no_terminal_error()
    attempt = face_attempt(token, terminal=terminal)
    consent_at = attempt.consent_at.timestamp() if attempt is not None and attempt.consent_at else None
    if attempt is None or not consent_valid(consent_at):
        raise DomainError(
            _("Please agree to the face check first; the camera starts only after you agree."), code="consent"
        )
    fresh = attempt.challenged_at and timezone.now() - attempt.challenged_at <= CHALLENGE_VALID
    # Spend the attempt first: one UPDATE, so two checks sent at the same instant cannot both run.
    if not fresh or not FaceAttempt.objects.filter(pk=attempt.pk, decided_at__isnull=True).update(
        decided_at=timezone.now()
    ):
        _decide(attempt, passed=False, reason="no_challenge")
        raise liveness.LivenessFailed(_("Please start the face check again."))
    hit(FACE_ATTEMPTS, attempt.id_number_index or "-")
    hit(FACE_ATTEMPTS_PER_TERMINAL, terminal)
    citizen = Citizen.objects.filter(id_number_index=attempt.id_number_index).first()
    try:
        if citizen is None or not (citizen.photo or realperson.is_configured()):
            raise _no_reference()
        passed = liveness.check(frames, attempt.challenge)
        if citizen.photo:
            with citizen.photo.open("rb") as reference:
                result = face.verify_descriptor(passed.frontal_descriptor, reference.read())
            outcome = {"method": "face", "matched": result.matched, "distance": round(result.distance, 3)}
        else:
            answer = realperson.verifier().verify(
                name=citizen.name, id_number=citizen.id_number, live_image=passed.frontal_image
            )
            outcome = {"method": "ctid", "matched": answer.verified, "reference": answer.reference}
    except DomainError as exc:
        _decide(attempt, passed=False, reason=getattr(exc, "reason", "") or exc.code)
        raise
    finally:
        del frames  # nothing of the capture outlives the check
    _decide(attempt, passed=outcome["matched"], reason="" if outcome["matched"] else "not_matched")
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
