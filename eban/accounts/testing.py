"""Test helpers for the staff's sign-in: an authenticator for an account, a signed-in client that
has passed the second factor, a staff member with a role."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .staff import otp


def authenticator(user, *, key: str | None = None) -> TOTPDevice:
    """The user's confirmed TOTP device, created when missing."""
    device = otp.confirmed_device(user)
    if device is None:
        fields = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name=otp.DEVICE_NAME, confirmed=True, **fields)
    return device


def staff_login(client, user):
    """`client.force_login(user)` plus a session that has passed the second factor (as the
    TOTP step would leave it). Returns the client."""
    device = authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def code_for(user) -> str:
    """The code the user's authenticator shows now."""
    return otp.current_code(authenticator(user))


def make_staff(
    username: str, *, department=None, divisions=(), roles=(), password: str = "a-long-test-password"
):
    """An account attached to `department` with `roles` (through actions.set_staff)."""
    from django.contrib.auth import get_user_model

    from . import actions

    user = get_user_model().objects.create_user(username, password=password)
    actions.set_staff(user, department=department, divisions=divisions, roles=roles, actor=None)
    user.refresh_from_db()
    return user
