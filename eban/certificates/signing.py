"""Signing certificates' PDFs (PAdES, pyHanko) with the issuing department's key.

Where each department's key is (settings, see docs/certificates.md):

- `EBAN_SIGNING_KEYS`: per department code, a PKCS#12 file or a PKCS#11 token. Either JSON,

      {"330300-MZ": "/etc/eban/keys/mz.p12",
       "330302-MZ": {"pkcs12": "/etc/eban/keys/lc-mz.p12", "password_env": "EBAN_LC_MZ_P12_PASSWORD"},
       "330300-GA": {"pkcs11": {"module": "/usr/lib/softhsm/libsofthsm2.so", "token": "eban",
                                "key_label": "ga", "cert_label": "ga", "pin_env": "EBAN_GA_PIN",
                                "raw_mechanism": true}}}

  or, for PKCS#12 files only, `330300-MZ=/etc/eban/keys/mz.p12,330302-MZ=/etc/...`.
  A PKCS#12 file's password comes from the environment variable named by `password_env`,
  or else from `EBAN_SIGNING_KEY_PASSWORD`; a token's PIN from `pin_env` (never from the file).
- `EBAN_DEMO_SIGNING_KEYS` (on in development and tests, off in production unless set):
  a department with no configured key signs with the demo key that `eban demo-ca` made for it
  under `EBAN_PKI_DIR` (`DATA_DIR/pki/`), issued by the untrusted "eban demo CA".

A department with no key cannot issue: `SigningKeyMissing` says which one and how to fix it.
"""

from __future__ import annotations

import functools
import io
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FIELD_NAME = "eban-certificate-signature"
DEMO_PASSPHRASE = b"eban-demo-not-secret"  # the demo keys' PKCS#12 password: public, demo only


class SigningKeyMissing(ImproperlyConfigured):
    """No key is configured (or found) for a department."""


@dataclass(frozen=True)
class KeySpec:
    """Where one department's signing key is."""

    department_code: str
    kind: str  # "pkcs12" or "pkcs11"
    path: str = ""  # pkcs12
    password_env: str = ""  # pkcs12: the variable holding the password ("" = EBAN_SIGNING_KEY_PASSWORD)
    module: str = ""  # pkcs11: the PKCS#11 library
    token: str = ""  # pkcs11: token label
    slot: int | None = None
    key_label: str = ""
    cert_label: str = ""
    pin_env: str = ""  # pkcs11: the variable holding the user PIN
    raw_mechanism: bool = False  # pkcs11: hash in Python, sign with the raw mechanism (CKM_ECDSA)
    demo: bool = False

    def password(self) -> bytes | None:
        if self.demo:
            return DEMO_PASSPHRASE
        value = os.environ.get(self.password_env) if self.password_env else None
        if value is None:
            value = settings.EBAN_SIGNING_KEY_PASSWORD or None
        return value.encode() if value else None


def parse_signing_keys(text: str) -> dict[str, KeySpec]:
    """EBAN_SIGNING_KEYS -> {department code: KeySpec}. Raises ImproperlyConfigured, naming the entry."""
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImproperlyConfigured(
                f"EBAN_SIGNING_KEYS is not valid JSON: {exc.msg} at {exc.pos}"
            ) from None
        if not isinstance(raw, dict):
            raise ImproperlyConfigured("EBAN_SIGNING_KEYS must be a JSON object keyed by department code")
        return {str(code): _spec_from_json(str(code), entry) for code, entry in raw.items()}
    specs = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        code, sep, path = item.partition("=")
        if not sep or not code.strip() or not path.strip():
            raise ImproperlyConfigured(
                f"EBAN_SIGNING_KEYS entry {item.split('=')[0]!r} must read department_code=/path/to/key.p12"
            )
        specs[code.strip()] = KeySpec(code.strip(), "pkcs12", path=path.strip())
    return specs


def _spec_from_json(code: str, entry) -> KeySpec:
    if isinstance(entry, str):
        return KeySpec(code, "pkcs12", path=entry)
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"EBAN_SIGNING_KEYS[{code!r}] must be a path or an object")
    if "pkcs12" in entry:
        return KeySpec(
            code, "pkcs12", path=str(entry["pkcs12"]), password_env=str(entry.get("password_env", ""))
        )
    if "pkcs11" in entry:
        token = entry["pkcs11"]
        if (
            not isinstance(token, dict)
            or not token.get("module")
            or not (token.get("key_label") or token.get("cert_label"))
        ):
            raise ImproperlyConfigured(
                f"EBAN_SIGNING_KEYS[{code!r}].pkcs11 needs at least 'module' and 'key_label' (or 'cert_label')"
            )
        slot = token.get("slot")
        return KeySpec(
            code,
            "pkcs11",
            module=str(token["module"]),
            token=str(token.get("token", "")),
            slot=int(slot) if slot is not None else None,
            key_label=str(token.get("key_label", "")),
            cert_label=str(token.get("cert_label", "") or token.get("key_label", "")),
            pin_env=str(token.get("pin_env", "")),
            raw_mechanism=bool(token.get("raw_mechanism", False)),
        )
    raise ImproperlyConfigured(f"EBAN_SIGNING_KEYS[{code!r}] must have 'pkcs12' or 'pkcs11'")


def pki_dir() -> Path:
    return Path(settings.EBAN_PKI_DIR or Path(settings.DATA_DIR) / "pki")


def safe_code(code: str) -> str:
    """A department code as a file name."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in code)


def demo_key_path(department_code: str) -> Path:
    return pki_dir() / "departments" / f"{safe_code(department_code)}.p12"


def demo_root_path() -> Path:
    return pki_dir() / "ca.pem"


def configured_keys() -> dict[str, KeySpec]:
    return parse_signing_keys(settings.EBAN_SIGNING_KEYS)


def key_for(department) -> KeySpec:
    """The key that signs for `department` (a Department or its code)."""
    code = getattr(department, "code", department)
    specs = configured_keys()
    if code in specs:
        return specs[code]
    if settings.EBAN_DEMO_SIGNING_KEYS:
        path = demo_key_path(code)
        if path.is_file():
            return KeySpec(code, "pkcs12", path=str(path), demo=True)
        raise SigningKeyMissing(
            f"No signing key for department {code}: run `eban demo-ca` to make demo keys "
            f"(looked for {path}), or configure one in EBAN_SIGNING_KEYS."
        )
    raise SigningKeyMissing(
        f"No signing key for department {code}: configure its PKCS#12 file or PKCS#11 token in "
        "EBAN_SIGNING_KEYS (see docs/certificates.md)."
    )


# Loading keys costs tens of milliseconds (PKCS#12 decryption) or a token login: keep them.
_lock = threading.Lock()
_signers: dict[tuple, object] = {}


def _cache_key(spec: KeySpec) -> tuple:
    if spec.kind == "pkcs12":
        try:
            stat = os.stat(spec.path)
        except OSError:
            return (spec, None)
        return (spec, stat.st_mtime_ns, stat.st_size)  # a replaced file is read again
    return (spec,)


def signer_for(department):
    """A pyHanko Signer holding `department`'s key (cached per process)."""
    spec = key_for(department)
    cache_key = _cache_key(spec)
    with _lock:
        signer = _signers.get(cache_key)
        if signer is None:
            signer = _load_signer(spec)
            _signers[cache_key] = signer
    return signer


def clear_cache() -> None:
    with _lock:
        _signers.clear()
        _pkcs11_sessions.clear()


def _load_signer(spec: KeySpec):
    if spec.kind == "pkcs12":
        return _load_pkcs12(spec)
    if spec.kind == "pkcs11":
        return _load_pkcs11(spec)
    raise ImproperlyConfigured(f"Unknown key kind {spec.kind!r} for department {spec.department_code}")


def _load_pkcs12(spec: KeySpec):
    from pyhanko.sign import signers

    if not Path(spec.path).is_file():
        raise SigningKeyMissing(
            f"The PKCS#12 file configured for department {spec.department_code} does not exist: {spec.path}"
        )
    try:
        signer = signers.SimpleSigner.load_pkcs12(spec.path, passphrase=spec.password())
    except Exception as exc:  # pyHanko logs and re-raises cryptography's errors
        raise ImproperlyConfigured(
            f"The PKCS#12 file of department {spec.department_code} cannot be opened "
            f"(wrong password, or not a PKCS#12 file): {type(exc).__name__}"
        ) from None
    if signer is None:  # older pyHanko versions return None on failure
        raise ImproperlyConfigured(
            f"The PKCS#12 file of department {spec.department_code} cannot be opened (wrong password?)"
        )
    return signer


_pkcs11_sessions: dict[tuple, object] = {}


def _load_pkcs11(spec: KeySpec):
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as p11

    pin = os.environ.get(spec.pin_env) if spec.pin_env else None
    if spec.pin_env and pin is None:
        raise ImproperlyConfigured(
            f"The PIN of department {spec.department_code}'s token is not set: export {spec.pin_env}"
        )
    session_key = (spec.module, spec.token, spec.slot)
    session = _pkcs11_sessions.get(session_key)
    if session is None:
        try:
            session = p11.open_pkcs11_session(
                spec.module,
                slot_no=spec.slot,
                token_criteria=TokenCriteria(label=spec.token) if spec.token else None,
                user_pin=pin,
            )
        except Exception as exc:
            raise ImproperlyConfigured(
                f"The PKCS#11 token of department {spec.department_code} cannot be opened "
                f"({spec.module}, token {spec.token or '(first)'}): {type(exc).__name__}: {exc}"
            ) from None
        _pkcs11_sessions[session_key] = session
    return p11.PKCS11Signer(
        session,
        cert_label=spec.cert_label or None,
        key_label=spec.key_label or None,
        use_raw_mechanism=spec.raw_mechanism,
    )


@dataclass(frozen=True)
class SignOptions:
    reason: str = "电子证照 Electronic certificate"
    location: str = ""
    name: str = ""


def sign_pdf(pdf: bytes, department, *, options: SignOptions | None = None) -> bytes:
    """`pdf` with a PAdES signature by `department`'s key, certifying the document: the signature
    forbids any later change (DocMDP "no changes"), and validation fails after any change."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    options = options or SignOptions()
    signer = signer_for(department)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=options.reason,
        location=options.location or None,
        name=options.name or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=io.BytesIO())
    return out.getvalue()


@functools.lru_cache(maxsize=16)
def _load_roots(stamped: tuple[tuple[str, int], ...]) -> tuple:
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([path for path, _mtime in stamped]))


def trust_roots() -> list:
    """The certificates a signature must chain to: EBAN_SIGNATURE_TRUST_ROOTS (PEM/DER files),
    plus the demo CA when demo keys are on and it exists."""
    paths = [str(p) for p in settings.EBAN_SIGNATURE_TRUST_ROOTS or []]
    if settings.EBAN_DEMO_SIGNING_KEYS and demo_root_path().is_file():
        paths.append(str(demo_root_path()))
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise ImproperlyConfigured(f"EBAN_SIGNATURE_TRUST_ROOTS names files that do not exist: {missing}")
    stamped = tuple((p, os.stat(p).st_mtime_ns) for p in paths)  # a replaced file is read again
    return list(_load_roots(stamped)) if stamped else []
