"""Encryption of short personal values (ID numbers, phones, passport numbers) and blind indexes.

Encryption is AES-256-GCM (`cryptography`'s AESGCM) with a random 96-bit nonce per value.
A ciphertext names its format version and its key, so keys can rotate:

    v1:<key id>:<base64url(nonce 12 bytes + ciphertext + tag 16 bytes), no padding>

The associated data is `eban:v1:<purpose>`, where the purpose names the column
(`"accounts.citizen.id_number"`): a value copied into another column does not decrypt.
A purpose must never change once data is stored under it (renaming a model does not
rename the purpose).

Keys come from settings (declared in eban/settings/env.py):

- `EBAN_ENCRYPTION_KEYS`: `keyid:base64url(32 bytes)` items, comma-separated. The first
  encrypts; every one decrypts (old keys stay listed until `eban rotate-keys` is done).
- `EBAN_BLIND_INDEX_KEY`: 32 bytes, hex or base64. Keys the HMAC of the blind indexes.
  It has no key id: rotating it means recomputing every index
  (`eban rotate-keys --blind-indexes`, i.e. `eban.core.rotation.recompute_blind_indexes`).

Without them (development and tests only) both keys are derived from SECRET_KEY with
HKDF under the key id `dev-only`, and a warning is logged; production settings refuse
to start without them. `eban generate-keys` prints fresh values.

Errors never contain a plaintext or a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("eban.crypto")

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
# 32 hex characters = 128 bits of the HMAC-SHA256: no collisions among a city's people.
BLIND_INDEX_LENGTH = 32
DEV_KEY_ID = "dev-only"
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TOKEN_PATTERN = re.compile(r"^v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$")
_HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")
# Removed before a blind index is computed: spaces of every kind, dashes, dots.
_INDEX_NOISE = re.compile(r"[\s\-‐-―.·]+")


class CryptoError(Exception):
    """A value could not be decrypted. The message names the key id, never the plaintext."""


class UnknownKeyError(CryptoError):
    def __init__(self, key_id: str, known: Iterable[str]) -> None:
        self.key_id = key_id
        known_ids = ", ".join(known) or "none"
        super().__init__(
            f"No key with id '{key_id}' in EBAN_ENCRYPTION_KEYS (it holds: {known_ids}). "
            f"Put the key '{key_id}' back among the old keys, then run `eban rotate-keys`."
        )


class InvalidCiphertextError(CryptoError):
    pass


@dataclass(frozen=True)
class Keyring:
    current_id: str
    ciphers: dict[str, AESGCM]
    index_key: bytes
    dev_only: bool

    @property
    def key_ids(self) -> list[str]:
        return list(self.ciphers)


# --- configuration -------------------------------------------------------------------


def _b64decode(text: str) -> bytes:
    text = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def parse_encryption_keys(value: str | Iterable[str]) -> dict[str, bytes]:
    """`["keyid:base64url", ...]` (or the comma-separated string) -> {key id: 32 bytes}, in order.

    Raises ImproperlyConfigured naming the faulty entry; the message never holds key material.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    keys: dict[str, bytes] = {}
    for position, item in enumerate((i.strip() for i in items if i and i.strip()), start=1):
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(
                f"EBAN_ENCRYPTION_KEYS entry {position} must be 'keyid:base64url(32 bytes)' "
                "with a key id of 1-32 letters, digits, '-' or '_'"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"EBAN_ENCRYPTION_KEYS lists the key id '{key_id}' twice")
        try:
            secret = _b64decode(encoded)
        except (binascii.Error, ValueError):
            secret = b""
        if len(secret) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"EBAN_ENCRYPTION_KEYS key '{key_id}' must be {KEY_BYTES} bytes in base64url "
                "(`eban generate-keys` prints one)"
            )
        keys[key_id] = secret
    return keys


def parse_blind_index_key(value: str) -> bytes:
    """EBAN_BLIND_INDEX_KEY (64 hex characters, or base64/base64url of 32 bytes) -> 32 bytes."""
    value = (value or "").strip()
    try:
        secret = bytes.fromhex(value) if _HEX_KEY.match(value) else _b64decode(value)
    except (binascii.Error, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"EBAN_BLIND_INDEX_KEY must be {KEY_BYTES} bytes, as 64 hex characters or base64 "
            "(`eban generate-keys` prints one)"
        )
    return secret


def _derive_dev_key(secret_key: str, info: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=b"eban dev-only keys", info=info)
    return hkdf.derive((secret_key or "").encode("utf-8"))


@lru_cache(maxsize=8)
def _build_keyring(encryption_keys: tuple[str, ...], index_key: str, secret_key: str) -> Keyring:
    keys = parse_encryption_keys(encryption_keys)
    dev_only = False
    if not keys:
        dev_only = True
        keys = {DEV_KEY_ID: _derive_dev_key(secret_key, b"encryption")}
        logger.warning(
            "EBAN_ENCRYPTION_KEYS is not set: encrypting with the DEVELOPMENT-ONLY key '%s' "
            "derived from SECRET_KEY. Never use this for real data.",
            DEV_KEY_ID,
        )
    if index_key:
        index_secret = parse_blind_index_key(index_key)
    else:
        dev_only = True
        index_secret = _derive_dev_key(secret_key, b"blind index")
        logger.warning(
            "EBAN_BLIND_INDEX_KEY is not set: using a DEVELOPMENT-ONLY blind index key "
            "derived from SECRET_KEY. Never use this for real data."
        )
    ciphers = {key_id: AESGCM(secret) for key_id, secret in keys.items()}
    return Keyring(next(iter(ciphers)), ciphers, index_secret, dev_only)


def keyring() -> Keyring:
    """The keys of the current settings (cached per distinct configuration)."""
    configured = settings.EBAN_ENCRYPTION_KEYS or ()
    if isinstance(configured, str):
        configured = configured.split(",")
    return _build_keyring(
        tuple(item.strip() for item in configured if item.strip()),
        settings.EBAN_BLIND_INDEX_KEY or "",
        settings.SECRET_KEY or "",
    )


def current_key_id() -> str:
    return keyring().current_id


# --- encryption ----------------------------------------------------------------------


def _aad(purpose: str) -> bytes:
    if not purpose or not isinstance(purpose, str):
        raise ValueError("an encryption purpose (such as 'accounts.citizen.id_number') is required")
    return f"eban:{VERSION}:{purpose}".encode()


def encrypt(text: str, purpose: str) -> str:
    """Encrypt `text` under the current key, bound to `purpose`. Returns `v1:<key id>:<data>`."""
    if not isinstance(text, str):
        raise TypeError(f"encrypt() takes a str, not {type(text).__name__}")
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.current_id].encrypt(nonce, text.encode("utf-8"), _aad(purpose))
    return f"{VERSION}:{ring.current_id}:{_b64encode(nonce + sealed)}"


def is_ciphertext(value: object) -> bool:
    return isinstance(value, str) and TOKEN_PATTERN.match(value) is not None


def key_id_of(token: str) -> str:
    """The key id a ciphertext was made with. Raises InvalidCiphertextError for anything else."""
    match = TOKEN_PATTERN.match(token) if isinstance(token, str) else None
    if match is None:
        raise InvalidCiphertextError("Not an eban ciphertext (expected 'v1:<key id>:<base64url data>')")
    return match.group(1)


def decrypt(token: str, purpose: str) -> str:
    """The plaintext of `token`, made by `encrypt(..., purpose)` under any configured key.

    Raises UnknownKeyError (naming the key id) when its key is not configured,
    InvalidCiphertextError when it is malformed, tampered with or made for another purpose.
    """
    key_id = key_id_of(token)
    ring = keyring()
    cipher = ring.ciphers.get(key_id)
    if cipher is None:
        raise UnknownKeyError(key_id, ring.key_ids)
    try:
        blob = _b64decode(token.rsplit(":", 1)[1])
    except (binascii.Error, ValueError):
        blob = b""
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise InvalidCiphertextError(f"Truncated ciphertext under key '{key_id}'")
    try:
        plain = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(purpose))
    except InvalidTag:
        raise InvalidCiphertextError(
            f"A ciphertext under key '{key_id}' does not authenticate for purpose '{purpose}': "
            "the key material for that id differs, the value was copied from another column, "
            "or it was altered"
        ) from None
    return plain.decode("utf-8")


def needs_rotation(token: str | None) -> bool:
    """True when `token` was encrypted under a key other than the current one (empty: False)."""
    if not token:
        return False
    return key_id_of(token) != current_key_id()


def reencrypt(token: str, purpose: str) -> str:
    """`token` under the current key (unchanged when it already is)."""
    if not needs_rotation(token):
        return token
    return encrypt(decrypt(token, purpose), purpose)


# --- blind index ---------------------------------------------------------------------


def normalize_for_index(text: str) -> str:
    """The form a blind index is computed over: NFKC (full-width digits become ASCII),
    spaces, dashes and dots removed, upper case (`33030219640101123x` = `...123X`).
    Domain-specific forms (a `+86` prefix on a phone) are the caller's to strip first."""
    return _INDEX_NOISE.sub("", unicodedata.normalize("NFKC", text)).upper()


def blind_index(text: str, purpose: str) -> str:
    """HMAC-SHA256 of the normalized `text` under EBAN_BLIND_INDEX_KEY, 32 hex characters.

    Equal values (after normalization) give equal indexes, so a column of indexes finds a
    row by ID number without decrypting every row. The purpose keeps the indexes of
    different columns apart. Rotating EBAN_BLIND_INDEX_KEY changes every index: run
    `eban rotate-keys --blind-indexes` right after (until then, lookups miss).
    """
    normalized = normalize_for_index(text or "")
    if not normalized:
        raise ValueError("a blind index needs a non-empty value")
    message = _aad(purpose) + b"\x00" + normalized.encode("utf-8")
    digest = hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()
    return digest[:BLIND_INDEX_LENGTH]


# --- fresh keys (eban generate-keys) -------------------------------------------------


def new_key_id(today: date | None = None) -> str:
    """`k` + the date + 4 random hex digits, e.g. `k20250612a3f0`."""
    return f"k{(today or date.today()):%Y%m%d}{secrets.token_hex(2)}"


def new_encryption_key_entry(key_id: str | None = None) -> str:
    """A fresh `keyid:base64url(32 bytes)` item for EBAN_ENCRYPTION_KEYS."""
    key_id = key_id or new_key_id()
    if not KEY_ID_PATTERN.match(key_id):
        raise ValueError("a key id is 1-32 letters, digits, '-' or '_'")
    return f"{key_id}:{_b64encode(secrets.token_bytes(KEY_BYTES))}"


def new_blind_index_key() -> str:
    """A fresh EBAN_BLIND_INDEX_KEY value: 32 random bytes as 64 hex characters."""
    return secrets.token_hex(KEY_BYTES)
