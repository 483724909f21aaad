"""The demo PKI: a root CA that nobody trusts and a signing key per sample department.

`eban demo-ca` (and `make demo`) calls `ensure_demo_pki()`, which makes under `EBAN_PKI_DIR`
(`DATA_DIR/pki/`):

    ca.pem, ca-key.pem                 "eban demo CA — not trusted, sample" (10 years)
    departments/<code>.p12, <code>.pem a signing certificate per department (3 years), its key,
                                       and the CA, in a PKCS#12 file (password: signing.DEMO_PASSPHRASE)

It is idempotent: what exists and is still good is kept; a department certificate that expires
within 30 days, or that another CA issued, is made again. Keys are ECDSA P-256 (fast to make,
supported by PDF readers and pyHanko). The files are samples: their password is public, they
are for demonstration and tests, never for real certificates (see docs/certificates.md).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from .signing import DEMO_PASSPHRASE, safe_code

CA_NAME = "eban demo CA — not trusted, sample"
CA_DAYS = 3650
DEPARTMENT_DAYS = 3 * 365
RENEW_BEFORE = datetime.timedelta(days=30)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # non-repudiation: what a document signature asserts
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def make_root(common_name: str = CA_NAME, *, days: int = CA_DAYS):
    """A self-signed root CA: (private key, certificate)."""
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "eban (sample)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _fit(value: str, limit: int = 64) -> str:
    """A name attribute cut to what X.509 allows (64, counted in UTF-8 bytes by cryptography)."""
    while len(value.encode("utf-8")) > limit:
        value = value[:-1]
    return value


def make_signing_certificate(
    ca_key, ca_cert, department_name: str, department_code: str, *, days: int = DEPARTMENT_DAYS
):
    """A department's document-signing key and certificate issued by the CA: (key, certificate)."""
    key = _new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(f"{department_name}（样例 sample）")),
            x509.NameAttribute(
                NameOID.ORGANIZATIONAL_UNIT_NAME, _fit(f"eban demo — not trusted ({department_code})")
            ),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(f"{department_name} 电子证照签章（样例）")),
        ]
    )
    now = _now()
    not_after = min(now + datetime.timedelta(days=days), ca_cert.not_valid_after_utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def pkcs12_bytes(key, cert, ca_cert, *, friendly_name: str, passphrase: bytes = DEMO_PASSPHRASE) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase)
    )


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)  # never a half-written key file


@dataclass
class PKIResult:
    directory: Path
    ca_created: bool = False
    created: list[str] = field(default_factory=list)  # department codes
    kept: list[str] = field(default_factory=list)


def _load_ca(directory: Path):
    cert_path, key_path = directory / "ca.pem", directory / "ca-key.pem"
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=DEMO_PASSPHRASE)
    except ValueError:
        return None
    if cert.not_valid_after_utc - _now() < RENEW_BEFORE * 12:
        return None  # a CA in its last year is replaced (and its departments with it)
    return key, cert


def _department_is_good(path: Path, ca_cert) -> bool:
    if not path.is_file():
        return False
    try:
        _key, cert, _extra = pkcs12.load_key_and_certificates(path.read_bytes(), DEMO_PASSPHRASE)
    except ValueError:
        return False
    return (
        cert is not None
        and cert.issuer == ca_cert.subject
        and cert.not_valid_after_utc - _now() > RENEW_BEFORE
        and _verifies(cert, ca_cert)
    )


def _verifies(cert, ca_cert) -> bool:
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, Exception):
        return False
    return True


def ensure_demo_pki(directory: Path, departments: Iterable[tuple[str, str]]) -> PKIResult:
    """Make (or keep) the demo CA in `directory` and a signing key for each (code, name)."""
    directory = Path(directory)
    result = PKIResult(directory)
    loaded = _load_ca(directory)
    if loaded is None:
        ca_key, ca_cert = make_root()
        _write(
            directory / "ca-key.pem",
            ca_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(DEMO_PASSPHRASE),
            ),
            private=True,
        )
        _write(directory / "ca.pem", ca_cert.public_bytes(serialization.Encoding.PEM))
        result.ca_created = True
    else:
        ca_key, ca_cert = loaded
    _write(
        directory / "README.txt",
        (
            "eban demo PKI — SAMPLE, NOT TRUSTED. Made by `eban demo-ca` for demonstration and tests.\n"
            "The password of every file here is public (eban.certificates.signing.DEMO_PASSPHRASE).\n"
            "Never sign a real certificate with these keys: configure EBAN_SIGNING_KEYS instead.\n"
        ).encode(),
    )
    for code, name in departments:
        path = directory / "departments" / f"{safe_code(code)}.p12"
        if not result.ca_created and _department_is_good(path, ca_cert):
            result.kept.append(code)
            continue
        key, cert = make_signing_certificate(ca_key, ca_cert, name, code)
        _write(path, pkcs12_bytes(key, cert, ca_cert, friendly_name=code), private=True)
        _write(path.with_suffix(".pem"), cert.public_bytes(serialization.Encoding.PEM))
        result.created.append(code)
    return result


def write_pkcs12(path: Path, key, cert, ca_cert, *, passphrase: bytes) -> None:
    """A PKCS#12 file with a chosen password (a deployment's own keys; tests)."""
    _write(
        Path(path),
        pkcs12_bytes(key, cert, ca_cert, friendly_name=path.stem, passphrase=passphrase),
        private=True,
    )
