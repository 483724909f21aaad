"""ID card readers at the kiosks: what a reading holds and how the server trusts one.

A second-generation ID card is read at the terminal by a certified reader (with its security
module); the terminal-side agent sends the reading to eban. The server must not believe a
reading that any browser could have typed, so a reading arrives **signed**: an HMAC-SHA256 over
the canonical JSON of the reading with the reader key (`EBAN_ID_CARD_READER_KEY`, one key for
every reader; a key per terminal is not built yet). `verify_reading` checks the signature, the
freshness (a reading older than two minutes is refused) and the card's content. Each reading also
carries a number the server gave that terminal's card page (`nonce`): eban.accounts.signin.kiosk
accepts it once, at that terminal only, so a reading copied off the wire signs no one in again.

`SimulatedReader` stands in for the hardware on the demo terminal: it "reads" a sample card and
signs the reading exactly as a terminal agent would, so the server path is the real one.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError

from ..identity.idnumbers import check_id_number

MAX_AGE_SECONDS = 120
MAX_PHOTO_BYTES = 200 * 1024  # the card's photo is ~40 kB once decoded


@dataclass(frozen=True)
class IdCardData:
    """What a reader gives: the fields printed on the card and the card's photo."""

    name: str
    id_number: str
    photo: bytes = b""
    sex: str = ""
    ethnicity: str = ""
    address: str = ""
    issuing_authority: str = ""
    valid_until: str = ""  # YYYY-MM-DD, or 长期 (no end)
    read_at: float = field(default_factory=time.time)
    nonce: str = ""  # the server's number for this reading (see eban.accounts.signin.kiosk)


class IdCardReader(Protocol):
    """The interface a terminal's card reader driver implements."""

    def read(self, nonce: str) -> IdCardData:
        """Read the card on the reader, with the server's number for this reading."""


def _key() -> bytes:
    key = settings.EBAN_ID_CARD_READER_KEY or ""
    if not key:
        raise DomainError(_("No ID card reader is configured on this server."), code="no_reader")
    return key.encode()


def _payload(card: IdCardData) -> bytes:
    data = asdict(card)
    data["photo"] = base64.b64encode(card.photo).decode()
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign_reading(card: IdCardData) -> dict[str, str]:
    """The message a terminal agent sends: the reading and its signature."""
    payload = _payload(card)
    signature = hmac.new(_key(), payload, hashlib.sha256).hexdigest()
    return {"reading": base64.b64encode(payload).decode(), "signature": signature}


def verify_reading(message: dict, *, now: float | None = None) -> IdCardData:
    """The card in a signed reading, or a DomainError saying what is wrong."""
    try:
        payload = base64.b64decode(str(message["reading"]), validate=True)
        signature = str(message["signature"])
    except (KeyError, TypeError, ValueError) as error:
        raise DomainError(_("The card reading is incomplete. Please put the card on the reader again."),
                          code="reading") from error  # fmt: skip
    expected = hmac.new(_key(), payload, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise DomainError(_("The card reading could not be trusted."), code="signature")
    try:
        data = json.loads(payload)
        data["photo"] = base64.b64decode(data.get("photo", ""))
        card = IdCardData(**data)
    except (TypeError, ValueError) as error:
        raise DomainError(_("The card reading is incomplete. Please put the card on the reader again."),
                          code="reading") from error  # fmt: skip
    age = (now or time.time()) - float(card.read_at)
    if not -5 <= age <= MAX_AGE_SECONDS:
        raise DomainError(_("The card reading has expired. Please put the card on the reader again."),
                          code="stale")  # fmt: skip
    if not check_id_number(card.id_number).valid:
        raise DomainError(_("The card's number is not a valid ID number."), code="id_number")
    if len(card.photo) > MAX_PHOTO_BYTES:
        raise DomainError(_("The card reading is incomplete. Please put the card on the reader again."),
                          code="photo")  # fmt: skip
    if card.valid_until and card.valid_until != "长期":
        try:
            expires = datetime.date.fromisoformat(card.valid_until)
        except ValueError as error:
            raise DomainError(_("The card reading is incomplete. Please put the card on the reader again."),
                              code="reading") from error  # fmt: skip
        if expires < datetime.date.today():
            raise DomainError(_("This ID card has expired. Please use a valid card or sign in by face."),
                              code="expired")  # fmt: skip
    return card


class SimulatedReader:
    """The demo terminal's reader: returns the card it was given, as a driver would."""

    def __init__(self, card: IdCardData) -> None:
        self.card = card

    def read(self, nonce: str = "") -> IdCardData:
        return IdCardData(**{**asdict(self.card), "read_at": time.time(), "nonce": nonce})
