"""Fixtures for the crypto tests: test-only keys, and a throwaway model with encrypted fields.

The model lives in an isolated app registry (not in INSTALLED_APPS, no migration): its
table is created for the test session with the schema editor and dropped after.
"""

import base64

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from eban.core.fields import BlindIndexField, EncryptedTextField


def _entry(key_id: str, byte: int) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(bytes([byte]) * 32).decode().rstrip('=')}"


# Test-only keys (fixed bytes: never use such keys anywhere else).
KEY_A = _entry("ka", 1)
KEY_B = _entry("kb", 2)
KEY_C = _entry("kc", 3)
INDEX_KEY_1 = "11" * 32
INDEX_KEY_2 = "22" * 32


@pytest.fixture
def use_keys(settings):
    """`use_keys(KEY_B, KEY_A)`: the first encrypts, all decrypt; `index=` sets the blind index key."""

    def use(*entries: str, index: str = INDEX_KEY_1) -> None:
        settings.EBAN_ENCRYPTION_KEYS = list(entries)
        settings.EBAN_BLIND_INDEX_KEY = index

    return use


@pytest.fixture(scope="session")
def probe_registry(django_db_setup, django_db_blocker):
    """(app registry, Probe model) with the Probe table created in the test database."""
    with isolate_apps("eban.core") as registry:

        class Probe(models.Model):
            secret = EncryptedTextField(purpose="core.probe.secret", blank=True, null=True)
            secret_index = BlindIndexField(source="secret")
            other = EncryptedTextField(purpose="core.probe.other", blank=True, default="")

            class Meta:
                app_label = "core"
                db_table = "core_test_encrypted_probe"

            def __str__(self) -> str:
                return f"probe {self.pk}"

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Probe)
    yield registry, Probe
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.delete_model(Probe)


@pytest.fixture
def probe(probe_registry, db):
    return probe_registry[1]
