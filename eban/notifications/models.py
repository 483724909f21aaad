"""Message templates (versioned) and the messages sent from them.

A `Template` row is one version of the text of one kind of message (`code`) for one channel
and one language; versions are never edited: a change is saved as the next version, which
becomes the active one (at most one active version per code, channel and language). A
`Message` records the version it was rendered from, its rendered text, its recipient and its
delivery status. Writes go through eban.notifications.actions.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eban.core.fields import EncryptedTextField

from . import rendering

ADDRESS_PURPOSE = "notifications.message.address"


class Channel(models.TextChoices):
    SMS = "sms", _("Text message (SMS)")
    INBOX = "inbox", _("Message in my account")
    EMAIL = "email", _("E-mail")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class Status(models.TextChoices):
    CREATED = "created", _("Created")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


# Channels whose templates have a subject line.
WITH_SUBJECT = (Channel.INBOX, Channel.EMAIL)


class Template(models.Model):
    code = models.CharField(
        _("message"),
        max_length=100,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")],
        help_text=_("Such as application.approved."),
    )
    version = models.PositiveIntegerField(_("version"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code", "channel", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "channel", "language", "version"], name="notifications_template_version"
            ),
            models.UniqueConstraint(
                fields=["code", "channel", "language"],
                condition=Q(active=True),
                name="notifications_template_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.channel} · {self.language} · v{self.version}"

    def fields(self) -> set[str]:
        """The named fields this version uses."""
        return rendering.fields(self)


class MessageQuerySet(models.QuerySet):
    def inbox(self, user) -> MessageQuerySet:
        """The messages in `user`'s inbox (delivered in-site messages addressed to them)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_user=user, channel=Channel.INBOX, status=Status.DELIVERED)

    def unread(self) -> MessageQuerySet:
        return self.filter(read_at__isnull=True)


class Message(models.Model):
    # eban's id for the message towards providers (the SMS gateway's Idempotency-Key, the
    # e-mail's Message-ID): unique across databases, unlike the row id.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.PROTECT, related_name="messages"
    )
    template_code = models.CharField(_("message"), max_length=100, db_index=True)
    template_version = models.PositiveIntegerField(_("template version"))
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification_messages",
    )
    # The phone number or e-mail address, encrypted (empty for in-site messages).
    address = EncryptedTextField(_("address"), purpose=ADDRESS_PURPOSE, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CREATED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Why the last attempt failed, as a code and an exception class name: never personal data.
    error = models.CharField(_("error"), max_length=200, blank=True)
    provider_message_id = models.CharField(_("provider's id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sending_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notifications_msg_status"),
            models.Index(
                fields=["recipient_user", "channel", "status", "-created_at"], name="notifications_msg_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} → {self.channel} [{self.reference or self.pk}]"

    @property
    def idempotency_key(self) -> str:
        """What a provider may use to drop a repeated send of this message."""
        return f"msg-{self.key}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
