"""Sending: created → sending → delivered or failed; at most once per message; retries with
backoff; a worker killed mid-send is picked up by the sweeper and the gateway drops the repeat."""

from __future__ import annotations

import datetime
import json
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from eban.notifications import actions, delivery, samples, sms, tasks
from eban.notifications.models import Message, Status

from . import fakes
from .test_sms import Gateway

PHONE = "13812345678"
CONTEXT = {"case_number": "330302-20251009-0001", "matter": "老年人优待证办理"}
FAKES = "eban.notifications.tests.fakes"


def new_text_message(**kwargs) -> Message:
    """A text message created and committed, its task not run yet."""
    (message,) = actions.notify(
        "application.approved",
        phone=PHONE,
        context=CONTEXT,
        reference=CONTEXT["case_number"],
        channels=["sms"],
    )
    return message


def later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def reload(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


def test_status_goes_from_created_through_sending_to_delivered(db):
    message = new_text_message()
    assert message.status == Status.CREATED and message.attempts == 0
    assert delivery.claim(message.pk)
    sending = reload(message)
    assert (sending.status, sending.attempts) == (Status.SENDING, 1)
    assert sending.sending_at is not None
    Message.objects.filter(pk=message.pk).update(status=Status.CREATED)  # let send() claim it again
    assert delivery.send(message.pk) == "delivered"
    done = reload(message)
    assert done.status == Status.DELIVERED and done.delivered_at and done.provider_message_id
    assert done.error == ""


def test_the_task_run_twice_sends_once(db):
    message = new_text_message()
    tasks.send_message.enqueue(message.pk)
    tasks.send_message.enqueue(message.pk)
    assert len(sms.outbox) == 1
    assert reload(message).attempts == 1
    assert delivery.send(message.pk) == "already delivered"


def test_a_message_being_sent_is_not_sent_by_another_worker(db):
    message = new_text_message()
    assert delivery.claim(message.pk)
    assert delivery.send(message.pk) == "being sent"
    assert sms.outbox == []


@override_settings(EBAN_SMS_PROVIDER=f"{FAKES}.FlakyProvider", EBAN_NOTIFY_RETRY_DELAY=60)
def test_a_failure_is_retried_after_a_delay_and_then_delivered(db):
    fakes.FlakyProvider.failures_left = 1
    message = new_text_message()
    assert delivery.send(message.pk) == "retry"
    waiting = reload(message)
    assert (waiting.status, waiting.attempts) == (Status.CREATED, 1)
    assert waiting.error == "unavailable: SmsNotSent"
    assert waiting.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert delivery.send(message.pk) == "not due"  # a duplicate task before the delay does nothing
    assert delivery.send(message.pk, now=later(2)) == "delivered"
    done = reload(message)
    assert (done.status, done.attempts, done.error) == (Status.DELIVERED, 2, "")
    assert fakes.FlakyProvider.calls == 2 and len(sms.outbox) == 1


def test_the_delay_grows_with_each_attempt():
    delays = [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 10)]
    assert delays == [60, 240, 960, 3840, 6 * 3600]


@override_settings(EBAN_SMS_PROVIDER=f"{FAKES}.FlakyProvider", EBAN_NOTIFY_MAX_ATTEMPTS=3)
def test_a_message_fails_after_the_last_attempt(db):
    fakes.FlakyProvider.failures_left = 10
    message = new_text_message()
    outcomes = [delivery.send(message.pk, now=later(24 * 60 * n)) for n in range(4)]
    assert outcomes == ["retry", "retry", "failed", "already failed"]
    failed = reload(message)
    assert (failed.status, failed.attempts) == (Status.FAILED, 3)
    assert failed.failed_at and failed.error == "unavailable: SmsNotSent"


@override_settings(EBAN_SMS_PROVIDER=f"{FAKES}.RefusingProvider")
def test_a_recipient_the_provider_refuses_fails_at_once(db):
    message = new_text_message()
    assert delivery.send(message.pk) == "failed"
    assert (reload(message).status, reload(message).error) == (Status.FAILED, "rejected")


@override_settings(EBAN_SMS_PROVIDER=f"{FAKES}.BrokenProvider")
def test_a_provider_bug_is_a_retryable_error_without_its_text(db):
    message = new_text_message()
    assert delivery.send(message.pk) == "retry"
    assert reload(message).error == "error: KeyError"


def test_the_error_holds_no_address(db, settings):
    settings.EBAN_SMS_PROVIDER = f"{FAKES}.FlakyProvider"
    fakes.FlakyProvider.failures_left = 1
    message = new_text_message()
    delivery.send(message.pk)
    assert PHONE not in reload(message).error


@override_settings(EBAN_SMS_PROVIDER=f"{FAKES}.DyingProvider")
def test_a_killed_worker_leaves_the_message_sending(db):
    message = new_text_message()
    result = tasks.send_message.enqueue(message.pk)  # the immediate backend records the crash
    assert result.status == "FAILED"
    assert reload(message).status == Status.SENDING


def test_the_sweeper_sends_again_a_message_left_sending_with_the_same_idempotency_key(db, settings):
    with Gateway([(200, {"id": "gw-1"}), (200, {"id": "gw-1"})]) as gateway:
        settings.EBAN_SMS_PROVIDER = "http"
        settings.EBAN_SMS_HTTP_URL = gateway.url
        settings.EBAN_SMS_HTTP_TOKEN = "gateway-token"
        settings.EBAN_SMS_HTTP_RETRIES = 0
        message = new_text_message()
        # The worker claims the message, the gateway takes it, and the worker dies before recording it.
        assert delivery.claim(message.pk)
        sms.get_provider().send(message.address, message.body, reference=message.idempotency_key)
        assert delivery.sweep() == {"interrupted": 0, "failed": 0, "queued": 0}  # not stale yet
        counts = delivery.sweep(now=later(11))
        assert counts["interrupted"] == 1 and counts["queued"] == 1
    done = reload(message)
    assert (done.status, done.attempts, done.provider_message_id) == (Status.DELIVERED, 2, "gw-1")
    keys = [r["headers"]["Idempotency-Key"] for r in gateway.requests]
    assert keys == [f"msg-{message.key}"] * 2
    assert json.loads(gateway.requests[1]["body"])["reference"] == f"msg-{message.key}"


@override_settings(EBAN_NOTIFY_MAX_ATTEMPTS=1)
def test_the_sweeper_fails_an_interrupted_message_out_of_attempts(db):
    message = new_text_message()
    delivery.claim(message.pk)
    assert delivery.sweep(now=later(11))["failed"] == 1
    assert (reload(message).status, reload(message).error) == (Status.FAILED, "interrupted")
    assert sms.outbox == []


def test_the_sweeper_queues_a_message_whose_task_was_lost(db):
    message = new_text_message()  # created, queued_at set; its on_commit enqueue never ran
    assert delivery.sweep()["queued"] == 0  # queued a moment ago: its task may still come
    assert delivery.sweep(now=later(11))["queued"] == 1
    assert reload(message).status == Status.DELIVERED and len(sms.outbox) == 1


def test_the_sweeper_leaves_delivered_and_failed_messages_alone(db):
    message = new_text_message()
    delivery.send(message.pk)
    assert delivery.sweep(now=later(60)) == {"interrupted": 0, "failed": 0, "queued": 0}
    assert len(sms.outbox) == 1


def test_a_failed_message_can_be_sent_again_by_an_official(db, settings, django_capture_on_commit_callbacks):
    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff

    admin = make_staff("platform", roles=[StaffRole.PLATFORM_ADMIN])
    settings.EBAN_SMS_PROVIDER = f"{FAKES}.RefusingProvider"
    message = new_text_message()
    delivery.send(message.pk)
    settings.EBAN_SMS_PROVIDER = "locmem"
    with django_capture_on_commit_callbacks(execute=True):
        actions.retry_message(reload(message), actor=admin)
    assert reload(message).status == Status.DELIVERED and len(sms.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_message_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are tested on PostgreSQL (DATABASE_URL)")
    samples.ensure_sample_templates()  # a transactional test may follow another one's flush
    message = new_text_message()  # in autocommit, sent at once: make it new again
    Message.objects.filter(pk=message.pk).update(status=Status.CREATED, attempts=0, delivered_at=None)
    sms.outbox.clear()
    barrier = threading.Barrier(4)
    outcomes = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            outcomes.append(delivery.send(message.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("delivered") == 1
    assert len(sms.outbox) == 1 and reload(message).attempts == 1
