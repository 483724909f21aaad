"""Fixtures for the certificates tests: a demo PKI made once per session in a temporary
directory, sample departments and certificate types."""

from __future__ import annotations

import pytest

from eban.certificates import actions, pki, signing
from eban.government.models import Department, Division, DivisionLevel

DEPARTMENTS = [
    ("330300-MZ", "温州市民政局", "Wenzhou Civil Affairs Bureau"),
    ("330300-GA", "温州市公安局", "Wenzhou Public Security Bureau"),
]


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    pki.ensure_demo_pki(directory, [(code, name) for code, name, _en in DEPARTMENTS])
    return directory


@pytest.fixture(autouse=True)
def demo_keys(settings, pki_dir):
    """Every test signs with the session's demo keys and trusts the session's demo CA."""
    settings.EBAN_PKI_DIR = pki_dir
    settings.EBAN_DEMO_SIGNING_KEYS = True
    settings.EBAN_SIGNING_KEYS = ""
    settings.EBAN_SIGNATURE_TRUST_ROOTS = []
    settings.EBAN_BASE_URL = "https://eban.example.test"
    yield
    signing.clear_cache()


@pytest.fixture
def city(db):
    return Division.objects.get_or_create(
        code="330300", defaults={"name": "温州市", "name_en": "Wenzhou", "level": DivisionLevel.CITY}
    )[0]


@pytest.fixture
def civil_affairs(city):
    code, name, name_en = DEPARTMENTS[0]
    return Department.objects.create(code=code, name=name, name_en=name_en, division=city, is_sample=True)


@pytest.fixture
def police(city):
    code, name, name_en = DEPARTMENTS[1]
    return Department.objects.create(code=code, name=name, name_en=name_en, division=city, is_sample=True)


@pytest.fixture
def senior_type(civil_affairs):
    return actions.save_certificate_type(
        code="senior_card",
        department=civil_affairs,
        name="老年人优待证",
        name_en="Senior citizen card",
        number_prefix="LNYD",
        template="senior_card",
        validity_days=None,
        is_sample=True,
    )


@pytest.fixture
def household_type(police):
    return actions.save_certificate_type(
        code="household_registration_certificate",
        department=police,
        name="户籍证明",
        name_en="Certificate of household registration",
        number_prefix="HJZM",
        template="generic",
        validity_days=90,
        is_sample=True,
    )


HOLDER_ID = "330302196401011230"  # well formed (check character 0), born 1964-01-01, male


@pytest.fixture
def issue(senior_type):
    """issue(key=..., **overrides): a senior card for 张三."""

    def _issue(key: str = "application:1", **overrides):
        kwargs = {
            "key": key,
            "type_code": "senior_card",
            "department": None,
            "holder_name": "张三",
            "holder_id_number": HOLDER_ID,
            "data": {},
            "photo": None,
            "valid_from": None,
            "valid_until": None,
            "actor": None,
        }
        kwargs.update(overrides)
        return actions.issue_certificate(**kwargs)

    return _issue


@pytest.fixture
def issued(issue):
    return issue()


def pdf_bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()
