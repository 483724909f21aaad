"""Repeated wrong passwords lock a username from one address (django-axes)."""

import logging

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from eban.accounts.staff import lockout

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", password=PASSWORD)


def attempt(client, password, username="boss", **extra):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password}, **extra)


def fail(client, times, **extra):
    """`times` wrong passwords; the one that reaches the limit already answers with the lockout."""
    statuses = [attempt(client, "wrong-password", **extra).status_code for _ in range(times)]
    assert statuses[:4] == [200] * min(times, 4)
    return statuses


def test_the_sixth_attempt_is_locked_even_with_the_right_password(client, boss, settings):
    assert fail(client, settings.AXES_FAILURE_LIMIT) == [200, 200, 200, 200, 429]
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


def test_fewer_failures_then_the_right_password_signs_in(client, boss, settings):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lockout_is_per_address(client, boss, settings):
    fail(client, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.5")
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, boss, settings):
    settings.EBAN_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    fail(client, settings.AXES_FAILURE_LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    # Another client behind the same proxy is not locked out.
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302


def test_the_lockout_page_is_bilingual(client, boss, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    page = attempt(client, PASSWORD).content.decode()
    assert 'lang="zh-hans"' in page and 'id="lockout-message"' in page  # Chinese by default
    client.cookies["django_language"] = "en"
    assert "locked for 15 minutes" in attempt(client, PASSWORD).content.decode()


def test_the_lockout_is_audited_on_the_account(client, boss, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    entry = ModelLogEntry.objects.get(action=lockout.LOCKED_OUT)
    assert entry.object_id == str(boss.pk) and entry.data == {"minutes": 15}


def test_the_logs_name_neither_the_username_nor_the_address(client, boss, settings, caplog):
    caplog.set_level(logging.DEBUG)
    fail(client, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.5")
    attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in text  # axes did log the failures …
    assert "boss" not in text and "203.0.113.5" not in text  # … masked
