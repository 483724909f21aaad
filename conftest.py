"""Shared pytest fixtures for every app's tests."""

import pytest


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", password="a-long-test-password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, past the staff's second sign-in step (the TOTP code that
    the back office asks for after the password; see eban/accounts/otp.py)."""
    from eban.accounts.testing import staff_login

    return staff_login(client, admin_user)
