"""Recipients' addresses: checked before a message is created, masked wherever shown."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from eban.core.exceptions import DomainError
from eban.core.masking import mask_phone

_PHONE = re.compile(r"^1[3-9]\d{9}$")


def clean_phone(value: str) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped)."""
    phone = re.sub(r"[\s-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not _PHONE.match(phone):
        raise DomainError(_("This is not a mainland mobile number."), code="phone")
    return phone


def clean_email(value: str) -> str:
    email = (value or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("This is not an e-mail address."), code="email") from None
    return email


def mask_email(value: str) -> str:
    """`zhang.san@example.com` -> `z***@example.com`."""
    local, at, domain = (value or "").rpartition("@")
    if not at:
        return "*" * len(value or "")
    return f"{local[:1]}***@{domain}"


def mask_address(channel: str, value: str) -> str:
    if not value:
        return ""
    return mask_email(value) if channel == "email" else mask_phone(value)
