"""One interface for every channel: `channel_for(name).deliver(message) -> provider's id`.

- `sms`: the SMS provider of eban.notifications.sms (EBAN_SMS_PROVIDER: console, file,
  locmem, http, or a deployment's class). The message's `idempotency_key` is the reference,
  so the HTTP gateway gets it as its Idempotency-Key and drops a repeated send.
- `email`: Django's e-mail backend (EMAIL_BACKEND; eban's console backend in development,
  which masks the recipient). The Message-ID header is derived from the message's key, the
  same at every attempt.
- `inbox`: the message is delivered when it is visible in the user's inbox, that is at once
  (`immediate`: notify() marks it delivered in the caller's transaction).

A channel raises `NotDelivered(code, retry=...)`: `retry=True` when a later attempt may work
(provider down, timeout), False when it will not (the provider refused this recipient).
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage

from . import sms

if TYPE_CHECKING:
    from .models import Message

UNAVAILABLE = "unavailable"  # the provider did not take the message; retried
REJECTED = "rejected"  # the provider will not deliver it to this recipient; not retried
NO_ADDRESS = "no_address"
INTERRUPTED = "interrupted"  # the worker stopped while sending; picked up by the sweeper
ERROR = "error"  # an unexpected exception in a provider; retried


class NotDelivered(Exception):
    def __init__(self, code: str, *, retry: bool, cause: BaseException | None = None) -> None:
        self.code = code
        self.retry = retry
        self.cause_name = type(cause).__name__ if cause is not None else ""
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """For Message.error: the code and the exception's class, never its text (it may hold an address)."""
        return f"{self.code}: {self.cause_name}" if self.cause_name else self.code


class MessageChannel:
    name = ""
    immediate = False  # delivered when created (no task)

    def deliver(self, message: Message) -> str:
        """Hand the message to the provider; return the provider's id for it."""
        raise NotImplementedError


class SmsChannel(MessageChannel):
    name = "sms"

    def deliver(self, message: Message) -> str:
        if not message.address:
            raise NotDelivered(NO_ADDRESS, retry=False)
        try:
            result = sms.get_provider().send(message.address, message.body, reference=message.idempotency_key)
        except sms.SmsNotSent as error:
            raise NotDelivered(UNAVAILABLE, retry=True, cause=error) from None
        if not result.accepted:
            raise NotDelivered(REJECTED, retry=False)
        return result.provider_message_id


def _mail_domain() -> str:
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "") or ""
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    return address.rsplit("@", 1)[-1] if "@" in address else "eban.localhost"


class EmailChannel(MessageChannel):
    name = "email"

    def deliver(self, message: Message) -> str:
        if not message.address:
            raise NotDelivered(NO_ADDRESS, retry=False)
        message_id = f"<{message.key}@{_mail_domain()}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={"Message-ID": message_id, "X-Eban-Reference": message.reference},
        )
        try:
            sent = email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise NotDelivered(REJECTED, retry=False, cause=error) from None
        except (smtplib.SMTPException, OSError) as error:
            raise NotDelivered(UNAVAILABLE, retry=True, cause=error) from None
        if not sent:
            raise NotDelivered(UNAVAILABLE, retry=True)
        return message_id


class InboxChannel(MessageChannel):
    name = "inbox"
    immediate = True

    def deliver(self, message: Message) -> str:
        if message.recipient_user_id is None:
            raise NotDelivered(NO_ADDRESS, retry=False)
        return f"inbox-{message.pk}"


CHANNELS: dict[str, MessageChannel] = {c.name: c for c in (SmsChannel(), InboxChannel(), EmailChannel())}


def channel_for(name: str) -> MessageChannel:
    return CHANNELS[name]
