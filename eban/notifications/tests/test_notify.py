"""notify(): which messages it creates, in the caller's transaction; in-site messages delivered at
once, the others sent by the task after the commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from eban.core.exceptions import DomainError
from eban.notifications import actions, sms
from eban.notifications.models import Message, Status
from eban.notifications.rendering import TemplateError

PHONE = "13812345678"
CONTEXT = {"case_number": "330302-20251009-0001", "matter": "老年人优待证办理"}


def notify(code="application.approved", **kwargs):
    kwargs.setdefault("context", CONTEXT)
    kwargs.setdefault("reference", CONTEXT["case_number"])
    return actions.notify(code, **kwargs)


def test_a_citizen_gets_an_inbox_message_and_a_text_message(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inbox, text = notify(user=person, phone=PHONE)
    assert (inbox.channel, inbox.status) == ("inbox", Status.DELIVERED)
    assert inbox.subject == "申请已通过：老年人优待证办理"
    assert inbox.reference == "330302-20251009-0001"
    text.refresh_from_db()
    assert (text.channel, text.status, text.attempts) == ("sms", Status.DELIVERED, 1)
    (sent,) = sms.outbox
    assert sent.to == PHONE and sent.text == text.body
    assert "330302-20251009-0001" in sent.text and sent.text.startswith("【e办】")


def test_the_text_message_is_sent_only_after_the_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (text,) = notify(user=person, phone=PHONE, channels=["sms"])
    assert text.status == Status.CREATED and sms.outbox == []
    assert len(callbacks) == 1


def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(user=person, phone=PHONE)
            raise RuntimeError("the decision failed")
    assert not Message.objects.exists()
    assert sms.outbox == []


def test_the_address_is_stored_encrypted(person):
    from django.db import connection

    (text,) = notify(user=person, phone=PHONE, channels=["sms"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notifications_message WHERE id = %s", [text.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:") and PHONE not in stored
    assert Message.objects.get(pk=text.pk).address == PHONE


def test_channels_without_an_address_are_skipped(person):
    assert [m.channel for m in notify(user=person)] == ["inbox"]
    assert [m.channel for m in notify(phone=PHONE)] == ["sms"]


def test_channels_limits_the_channels(person):
    assert [m.channel for m in notify(user=person, phone=PHONE, channels=["sms"])] == ["sms"]


def test_a_channel_without_a_template_is_skipped(person):
    # application.approved has no e-mail template
    assert [m.channel for m in notify(user=person, email="a@example.com")] == ["inbox"]


def test_email_goes_through_djangos_email_backend(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        messages = notify(
            "certificate.issued",
            user=person,
            email="zhang@example.com",
            channels=["email"],
            context={
                **CONTEXT,
                "certificate_number": "LNYD-1",
                "verify_url": "https://e.example/verify/LNYD-1",
            },
        )
    (email,) = mail.outbox
    assert email.to == ["zhang@example.com"]
    assert email.subject == "【e办】电子证照已签发：老年人优待证办理"
    assert "https://e.example/verify/LNYD-1" in email.body
    messages[0].refresh_from_db()
    assert messages[0].status == Status.DELIVERED
    assert email.extra_headers["Message-ID"] == messages[0].provider_message_id
    assert str(messages[0].key) in email.extra_headers["Message-ID"]


def test_english_texts_for_an_english_recipient(person):
    (inbox,) = notify(user=person, language="en")
    assert inbox.subject == "Application approved: 老年人优待证办理"
    assert inbox.language == "en"


def test_the_default_language_when_there_is_no_text_in_the_asked_one(person):
    (inbox,) = notify(user=person, language="fr")
    assert inbox.language == "zh-hans"


def test_a_missing_field_is_refused_with_its_name(person):
    with translation.override("en"), pytest.raises(TemplateError) as caught:
        notify(user=person, context={"case_number": "X"})
    assert "{matter}" in caught.value.message
    assert not Message.objects.exists()


def test_an_unknown_template_code_is_refused(person):
    with pytest.raises(DomainError):
        notify("application.nonsense", user=person)


def test_an_unknown_channel_is_refused(person):
    with pytest.raises(DomainError):
        notify(user=person, channels=["fax"])


def test_a_malformed_phone_is_refused(person):
    with pytest.raises(DomainError):
        notify(user=person, phone="12345")


def test_a_phone_with_a_prefix_is_cleaned(person):
    (text,) = notify(phone="+86 138-1234-5678")
    assert text.address == PHONE


def test_a_signed_out_user_gets_no_inbox_message(db):
    from django.contrib.auth.models import AnonymousUser

    assert notify(user=AnonymousUser(), phone=PHONE, channels=["inbox", "sms"])[0].channel == "sms"
