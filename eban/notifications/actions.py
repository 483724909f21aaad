"""Every write of notifications: sending (notify), templates (new versions, taken out of use),
the inbox (read), and a failed message sent again.

    notify("application.approved", user=citizen.user, phone=citizen.phone,
           context={"case_number": "330302-…", "matter": "老年人优待证办理"},
           reference="330302-…")          # -> [Message(inbox, delivered), Message(sms, created)]

Messages are created in the caller's transaction (rolled back with it); each one to send is
queued after the commit (tasks.send_message); an in-site message is delivered at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eban.core import audit
from eban.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied

from . import addresses, delivery, kinds, rendering
from .channels import channel_for
from .models import WITH_SUBJECT, Channel, Language, Message, Status, Template

logger = logging.getLogger("eban.notifications")

SAVE_TEMPLATE = "notifications.template.save"
DEACTIVATE_TEMPLATE = "notifications.template.deactivate"
RETRY_MESSAGE = "notifications.message.retry"

CHANNEL_ORDER = (Channel.INBOX, Channel.SMS, Channel.EMAIL)
REFERENCE_MAX = 64


def _language(language: str | None) -> str:
    code = (language or settings.LANGUAGE_CODE).lower().replace("_", "-")
    if code in Language.values:
        return code
    if code.startswith("zh"):
        return Language.ZH_HANS
    if code.startswith("en"):
        return Language.EN
    return _default_language()


def _default_language() -> str:
    code = settings.LANGUAGE_CODE.lower()
    return code if code in Language.values else Language.ZH_HANS


def _channels(channels: Iterable[str] | None) -> list[str]:
    if channels is None:
        return list(CHANNEL_ORDER)
    wanted = list(dict.fromkeys(str(c) for c in channels))
    unknown = [c for c in wanted if c not in Channel.values]
    if unknown:
        raise DomainError(
            _("Unknown channels: %(channels)s.") % {"channels": ", ".join(unknown)}, code="channel"
        )
    return wanted


def _active_templates(code: str, channels: list[str], language: str) -> dict[str, Template]:
    """The active template per channel, in `language` or else in the default language."""
    languages = [language] if language == _default_language() else [language, _default_language()]
    found: dict[str, Template] = {}
    rows = Template.objects.filter(code=code, channel__in=channels, language__in=languages, active=True)
    for template in sorted(rows, key=lambda t: languages.index(t.language)):
        found.setdefault(template.channel, template)
    return found


def notify(
    template_code: str,
    *,
    user: Any = None,
    phone: str = "",
    email: str = "",
    context: Mapping[str, Any],
    reference: str,
    channels: Iterable[str] | None = None,
    language: str | None = None,
) -> list[Message]:
    """Create the messages of `template_code` for one recipient, one per channel that has both an
    address (inbox: `user`; sms: `phone`; email: `email`) and an active template; queue them
    to be sent after the caller's transaction commits. `channels` limits the channels tried.

    Raises DomainError for an unknown template code or channel, a malformed phone or e-mail, a
    reference longer than 64 characters, and TemplateError when the context lacks a field the
    template uses. A channel without an address or an active template is skipped (logged)."""
    if template_code not in kinds.KINDS and not Template.objects.filter(code=template_code).exists():
        raise DomainError(
            _("There is no message template %(code)s.") % {"code": template_code}, code="template"
        )
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        raise DomainError(_("A message reference has at most 64 characters."), code="reference")
    wanted = _channels(channels)
    language = _language(language)
    recipient = user if getattr(user, "is_authenticated", False) else None
    address_of = {
        Channel.INBOX: "",
        Channel.SMS: addresses.clean_phone(phone) if phone else "",
        Channel.EMAIL: addresses.clean_email(email) if email else "",
    }
    reachable = {
        Channel.INBOX: recipient is not None,
        Channel.SMS: bool(address_of[Channel.SMS]),
        Channel.EMAIL: bool(address_of[Channel.EMAIL]),
    }
    wanted = [c for c in wanted if reachable[c]]
    templates = _active_templates(template_code, wanted, language)
    skipped = [c for c in wanted if c not in templates]
    if skipped:
        logger.info(
            "Notification %s [%s]: no active template for %s", template_code, reference, ", ".join(skipped)
        )
    now = timezone.now()
    messages: list[Message] = []
    with transaction.atomic():
        for channel in wanted:
            template = templates.get(channel)
            if template is None:
                continue
            subject = ""
            if channel in WITH_SUBJECT:
                subject = rendering.one_line(
                    rendering.render(template.subject, context, language=template.language)
                )
            body = rendering.render(template.body, context, language=template.language)
            message = Message.objects.create(
                channel=channel,
                template=template,
                template_code=template.code,
                template_version=template.version,
                language=template.language,
                recipient_user=recipient,
                address=address_of[channel],
                reference=reference,
                subject=subject[:200],
                body=body,
                created_at=now,
                queued_at=None if channel_for(channel).immediate else now,
            )
            if channel_for(channel).immediate:
                _deliver_now(message, now)
            messages.append(message)
        to_send = [m.pk for m in messages if m.status == Status.CREATED]
        if to_send:
            transaction.on_commit(partial(delivery.enqueue, to_send), robust=True)
    return messages


def _deliver_now(message: Message, now) -> None:
    """Channels that deliver by being stored (the inbox): created → sending → delivered in one go."""
    provider_id = channel_for(message.channel).deliver(message)
    message.status = Status.DELIVERED
    message.attempts = 1
    message.sending_at = message.delivered_at = now
    message.provider_message_id = provider_id
    message.queued_at = None
    message.save(
        update_fields=["status", "attempts", "sending_at", "delivered_at", "provider_message_id", "queued_at"]
    )


# --- the inbox ----------------------------------------------------------------------------------


def inbox_message(user: Any, message_id: int) -> Message:
    """One message of `user`'s inbox; NotFound for anyone else's (or none)."""
    message = Message.objects.inbox(user).filter(pk=message_id).first()
    if message is None:
        raise NotFound(_("There is no such message."))
    return message


def mark_read(user: Any, message_id: int) -> Message:
    """Open a message of one's inbox: it is marked read (the first time)."""
    message = inbox_message(user, message_id)
    if message.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message


# --- templates ----------------------------------------------------------------------------------


def template_errors(*, code: str, channel: str, subject: str, body: str) -> list[str]:
    """Why this text cannot be saved as a template of `code` for `channel` ([] when it can)."""
    errors = []
    if channel in WITH_SUBJECT and not (subject or "").strip():
        errors.append(_("A subject is needed for this channel."))
    if not (body or "").strip():
        errors.append(_("The text is empty."))
    texts = [subject or "", body or ""] if channel in WITH_SUBJECT else [body or ""]
    errors.extend(rendering.check(texts, kinds.fields_for(code)))
    return errors


def _may(actor: Any, permission: str) -> None:
    if actor is not None and not (getattr(actor, "is_active", False) and actor.has_perm(permission)):
        raise PermissionDenied(_("You may not change message templates."))


def save_template(*, code: str, channel: str, language: str, subject: str, body: str, actor: Any) -> Template:
    """Save a text as the next version of the template (code, channel, language), in use from now
    on; the version in use so far stays as it was, out of use. The same text as the version in
    use saves nothing (that version is returned). Audited."""
    if channel not in Channel.values or language not in Language.values:
        raise DomainError(_("Unknown channel or language."), code="template")
    subject = rendering.one_line(subject) if channel in WITH_SUBJECT else ""
    body = (body or "").strip()
    errors = template_errors(code=code, channel=channel, subject=subject, body=body)
    if errors:
        raise rendering.TemplateError(errors)
    versions = Template.objects.filter(code=code, channel=channel, language=language)
    _may(actor, "notifications.change_template" if versions.exists() else "notifications.add_template")
    try:
        with transaction.atomic():
            current = versions.select_for_update().filter(active=True).first()
            if current is not None and current.subject == subject and current.body == body:
                return current
            last = versions.aggregate(last=Max("version"))["last"] or 0
            if current is not None:
                Template.objects.filter(pk=current.pk).update(active=False)
            template = Template.objects.create(
                code=code,
                channel=channel,
                language=language,
                version=last + 1,
                subject=subject,
                body=body,
                active=True,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit.record(
                actor,
                SAVE_TEMPLATE,
                template,
                data={"code": code, "channel": channel, "language": language, "version": template.version},
            )
    except IntegrityError:
        raise Conflict(
            _("Someone else saved this template at the same moment. Open it again to see their version.")
        ) from None
    return template


def deactivate_template(template: Template, *, actor: Any) -> Template:
    """Take a template out of use: its messages are no longer sent on its channel. Audited."""
    _may(actor, "notifications.change_template")
    with transaction.atomic():
        if Template.objects.filter(pk=template.pk, active=True).update(active=False):
            audit.record(
                actor,
                DEACTIVATE_TEMPLATE,
                template,
                data={"code": template.code, "channel": template.channel, "language": template.language,
                      "version": template.version},
            )  # fmt: skip
    template.active = False
    return template


# --- messages -----------------------------------------------------------------------------------


def retry_message(message: Message, *, actor: Any) -> Message:
    """Send a failed message again (a fresh series of attempts). Audited."""
    _may(actor, "notifications.change_message")
    if message.status != Status.FAILED or channel_for(message.channel).immediate:
        raise Conflict(_("Only a failed message can be sent again."))
    now = timezone.now()
    with transaction.atomic():
        if not Message.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.CREATED, attempts=0, next_attempt_at=None, failed_at=None, queued_at=now
        ):
            raise Conflict(_("Only a failed message can be sent again."))
        audit.record(
            actor, RETRY_MESSAGE, message, data={"channel": message.channel, "reference": message.reference}
        )
        transaction.on_commit(partial(delivery.enqueue, [message.pk]), robust=True)
    message.refresh_from_db()
    return message
