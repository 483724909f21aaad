"""The demo PKI (`eban demo-ca`): a root nobody trusts and a key per sample department, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command

from eban.certificates import pki
from eban.certificates.signing import DEMO_PASSPHRASE


def test_the_demo_pki_has_a_root_and_a_key_per_department(tmp_path):
    result = pki.ensure_demo_pki(tmp_path, [("330300-MZ", "温州市民政局"), ("330300-GA", "温州市公安局")])
    assert result.ca_created and result.created == ["330300-MZ", "330300-GA"]
    root = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes())
    common_name = root.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert common_name == "eban demo CA — not trusted, sample"
    key, cert, chain = pkcs12.load_key_and_certificates(
        (tmp_path / "departments" / "330300-MZ.p12").read_bytes(), DEMO_PASSPHRASE
    )
    assert key is not None and chain[0] == root
    cert.verify_directly_issued_by(root)
    assert "样例" in cert.subject.rfc4514_string()
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert (tmp_path / "departments" / "330300-MZ.p12").stat().st_mode & 0o077 == 0  # private


def test_running_it_again_keeps_everything(tmp_path):
    departments = [("330300-MZ", "温州市民政局")]
    pki.ensure_demo_pki(tmp_path, departments)
    before = (tmp_path / "departments" / "330300-MZ.p12").read_bytes(), (tmp_path / "ca.pem").read_bytes()
    again = pki.ensure_demo_pki(tmp_path, departments)
    assert not again.ca_created and again.created == [] and again.kept == ["330300-MZ"]
    after = (tmp_path / "departments" / "330300-MZ.p12").read_bytes(), (tmp_path / "ca.pem").read_bytes()
    assert before == after


def test_a_key_from_another_ca_is_made_again(tmp_path):
    other = tmp_path / "other"
    pki.ensure_demo_pki(other, [("330300-MZ", "温州市民政局")])
    pki.ensure_demo_pki(tmp_path, [])
    (tmp_path / "departments").mkdir(exist_ok=True)
    (tmp_path / "departments" / "330300-MZ.p12").write_bytes(
        (other / "departments" / "330300-MZ.p12").read_bytes()
    )
    result = pki.ensure_demo_pki(tmp_path, [("330300-MZ", "温州市民政局")])
    assert result.created == ["330300-MZ"]


def test_a_department_code_cannot_escape_the_directory(tmp_path):
    pki.ensure_demo_pki(tmp_path, [("../evil", "x")])
    assert (tmp_path / "departments" / ".._evil.p12").exists()
    assert not (tmp_path / "evil.p12").exists()


@pytest.mark.django_db
def test_the_command_makes_keys_for_the_sample_departments(tmp_path, settings, civil_affairs, city):
    from eban.government.models import Department

    Department.objects.create(code="999999-XX", name="非样例部门", division=city, is_sample=False)
    settings.EBAN_PKI_DIR = tmp_path
    out = StringIO()
    call_command("demo_ca", stdout=out)
    assert "1 created" in out.getvalue()
    assert (tmp_path / "departments" / "330300-MZ.p12").exists()
    assert not (tmp_path / "departments" / "999999-XX.p12").exists()
    out = StringIO()
    call_command("demo_ca", stdout=out)
    assert "0 created, 1 kept" in out.getvalue()
