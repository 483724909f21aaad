"""Where departments' keys come from: EBAN_SIGNING_KEYS (PKCS#12 files, PKCS#11 tokens), the demo keys."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured

from eban.certificates import pki, signing
from eban.certificates.signing import DEMO_PASSPHRASE, KeySpec, SigningKeyMissing, parse_signing_keys
from eban.certificates.verification import verify_pdf

from .conftest import pdf_bytes

# Parsing EBAN_SIGNING_KEYS


def test_keys_as_a_list_of_code_and_path():
    specs = parse_signing_keys("330300-MZ=/keys/mz.p12, 330300-GA=/keys/ga.p12")
    assert specs["330300-MZ"] == KeySpec("330300-MZ", "pkcs12", path="/keys/mz.p12")
    assert specs["330300-GA"].path == "/keys/ga.p12"


def test_keys_as_json_with_pkcs12_and_pkcs11_entries():
    specs = parse_signing_keys(
        json.dumps(
            {
                "330300-MZ": "/keys/mz.p12",
                "330302-MZ": {"pkcs12": "/keys/lc.p12", "password_env": "LC_PASSWORD"},
                "330300-GA": {
                    "pkcs11": {
                        "module": "/usr/lib/x.so",
                        "token": "eban",
                        "key_label": "ga",
                        "pin_env": "GA_PIN",
                    }
                },
            }
        )
    )
    assert specs["330300-MZ"].kind == "pkcs12"
    assert specs["330302-MZ"].password_env == "LC_PASSWORD"
    token = specs["330300-GA"]
    assert (token.kind, token.module, token.token, token.key_label, token.cert_label) == (
        "pkcs11",
        "/usr/lib/x.so",
        "eban",
        "ga",
        "ga",
    )


@pytest.mark.parametrize(
    "value",
    [
        "330300-MZ",  # no path
        "{not json",
        '["a list"]',
        '{"330300-MZ": {"pkcs11": {"token": "no module"}}}',
        '{"330300-MZ": {"hsm": "?"}}',
    ],
)
def test_malformed_keys_are_refused_with_the_entry_named(value):
    with pytest.raises(ImproperlyConfigured):
        parse_signing_keys(value)


def test_an_empty_setting_configures_nothing():
    assert parse_signing_keys("") == {}


def test_the_system_check_reports_a_missing_file(settings):
    from eban.certificates.checks import check_signing_keys

    settings.EBAN_SIGNING_KEYS = "330300-MZ=/nonexistent/mz.p12"
    assert [error.id for error in check_signing_keys()] == ["certificates.E002"]
    settings.EBAN_SIGNING_KEYS = "{broken"
    assert [error.id for error in check_signing_keys()] == ["certificates.E001"]
    settings.EBAN_SIGNING_KEYS = ""
    settings.EBAN_SIGNATURE_TRUST_ROOTS = ["/nonexistent/root.pem"]
    assert [error.id for error in check_signing_keys()] == ["certificates.E003"]


# Choosing a department's key


def test_a_department_without_key_cannot_sign_when_demo_keys_are_off(settings):
    settings.EBAN_DEMO_SIGNING_KEYS = False
    with pytest.raises(SigningKeyMissing, match="EBAN_SIGNING_KEYS"):
        signing.key_for("330300-MZ")


def test_demo_keys_are_used_when_on(pki_dir):
    spec = signing.key_for("330300-MZ")
    assert spec.demo and Path(spec.path) == pki_dir / "departments" / "330300-MZ.p12"


def test_a_department_without_a_demo_key_is_told_to_run_demo_ca():
    with pytest.raises(SigningKeyMissing, match="eban demo-ca"):
        signing.key_for("999999-XX")


def test_a_configured_key_wins_over_the_demo_key(settings):
    settings.EBAN_SIGNING_KEYS = "330300-MZ=/somewhere/mz.p12"
    assert signing.key_for("330300-MZ").path == "/somewhere/mz.p12"


@pytest.mark.django_db
def test_a_configured_pkcs12_file_signs_with_the_password_from_the_environment(
    tmp_path, settings, monkeypatch, pki_dir, issue
):
    ca_key = serialization.load_pem_private_key((pki_dir / "ca-key.pem").read_bytes(), DEMO_PASSPHRASE)
    from cryptography import x509

    ca_cert = x509.load_pem_x509_certificate((pki_dir / "ca.pem").read_bytes())
    key, cert = pki.make_signing_certificate(ca_key, ca_cert, "温州市民政局", "330300-MZ")
    path = tmp_path / "mz.p12"
    pki.write_pkcs12(path, key, cert, ca_cert, passphrase=b"s3cret-password")
    settings.EBAN_SIGNING_KEYS = f"330300-MZ={path}"
    settings.EBAN_SIGNING_KEY_PASSWORD = "s3cret-password"
    report = verify_pdf(pdf_bytes(issue("application:p12")))
    assert report.ok and cert.serial_number


def test_a_wrong_pkcs12_password_fails_clearly(tmp_path, settings, pki_dir):
    settings.EBAN_SIGNING_KEYS = f"330300-MZ={pki_dir / 'departments' / '330300-MZ.p12'}"
    settings.EBAN_SIGNING_KEY_PASSWORD = "wrong"
    with pytest.raises(ImproperlyConfigured, match="cannot be opened"):
        signing.signer_for("330300-MZ")


def test_a_missing_pkcs12_file_fails_clearly(settings):
    settings.EBAN_SIGNING_KEYS = "330300-MZ=/nonexistent/mz.p12"
    with pytest.raises(SigningKeyMissing, match="does not exist"):
        signing.signer_for("330300-MZ")


def test_a_token_whose_pin_is_not_set_fails_clearly(settings, monkeypatch):
    monkeypatch.delenv("EBAN_TEST_PIN", raising=False)
    settings.EBAN_SIGNING_KEYS = json.dumps(
        {
            "330300-MZ": {
                "pkcs11": {"module": "/nonexistent.so", "key_label": "mz", "pin_env": "EBAN_TEST_PIN"}
            }
        }
    )
    with pytest.raises(ImproperlyConfigured, match="EBAN_TEST_PIN"):
        signing.signer_for("330300-MZ")


# A PKCS#11 token: SoftHSM (Debian's softhsm2), where it is installed

SOFTHSM = next(
    (
        p
        for p in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
        if Path(p).exists()
    ),
    None,
)


@pytest.mark.django_db
@pytest.mark.skipif(SOFTHSM is None or not shutil.which("softhsm2-util"), reason="softhsm2 is not installed")
def test_a_pkcs11_token_signs(tmp_path, settings, monkeypatch, pki_dir, issue):
    import pkcs11
    from cryptography import x509
    from pkcs11.util.x509 import decode_x509_certificate

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "eban-test",
            "--pin",
            "1234",
            "--so-pin",
            "5678",
        ],
        check=True,
        capture_output=True,
    )
    ca_key = serialization.load_pem_private_key((pki_dir / "ca-key.pem").read_bytes(), DEMO_PASSPHRASE)
    ca_cert = x509.load_pem_x509_certificate((pki_dir / "ca.pem").read_bytes())
    key, cert = pki.make_signing_certificate(ca_key, ca_cert, "温州市民政局", "330300-MZ")
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key_pem),
            "--token",
            "eban-test",
            "--label",
            "mz",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
        check=True,
        capture_output=True,
    )
    key_pem.unlink()
    token = pkcs11.lib(SOFTHSM).get_token(token_label="eban-test")
    with token.open(rw=True, user_pin="1234") as session:
        attributes = decode_x509_certificate(cert.public_bytes(serialization.Encoding.DER))
        attributes.update(
            {pkcs11.Attribute.TOKEN: True, pkcs11.Attribute.LABEL: "mz", pkcs11.Attribute.ID: b"\x01"}
        )
        session.create_object(attributes)

    monkeypatch.setenv("EBAN_TEST_PIN", "1234")
    settings.EBAN_SIGNING_KEYS = json.dumps(
        {
            "330300-MZ": {
                "pkcs11": {
                    "module": SOFTHSM,
                    "token": "eban-test",
                    "key_label": "mz",
                    "pin_env": "EBAN_TEST_PIN",
                    "raw_mechanism": True,  # SoftHSM signs ECDSA with CKM_ECDSA, not CKM_ECDSA_SHA256
                }
            }
        }
    )
    certificate = issue("application:token")
    report = verify_pdf(pdf_bytes(certificate))
    assert report.ok, report.problems
    assert "330300-MZ" in report.signer or "温州市民政局" in report.signer
