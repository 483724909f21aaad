"""SMS providers that misbehave on purpose, selected by EBAN_SMS_PROVIDER's dotted path (the
same door a deployment's own adapter comes through). Their state is class-level: the provider
is built again for every message."""

from __future__ import annotations

import uuid

from eban.notifications import sms


def reset() -> None:
    FlakyProvider.failures_left = 0
    FlakyProvider.calls = 0
    DyingProvider.calls = 0


class FlakyProvider(sms.SmsProvider):
    """Down for the first `failures_left` sends, then delivers to the locmem outbox."""

    failures_left = 0
    calls = 0

    def send(self, phone, text, *, reference):
        FlakyProvider.calls += 1
        if FlakyProvider.failures_left > 0:
            FlakyProvider.failures_left -= 1
            raise sms.SmsNotSent()
        return sms.LocmemProvider().send(phone, text, reference=reference)


class RefusingProvider(sms.SmsProvider):
    """Takes the message but will not deliver it (an opted-out number)."""

    def send(self, phone, text, *, reference):
        return sms.SendResult(uuid.uuid4().hex, False)


class DyingProvider(sms.SmsProvider):
    """The worker is killed while the provider is being called."""

    calls = 0

    def send(self, phone, text, *, reference):
        DyingProvider.calls += 1
        raise SystemExit("worker killed")


class BrokenProvider(sms.SmsProvider):
    """A provider with a bug."""

    def send(self, phone, text, *, reference):
        raise KeyError("a bug")


class SlowProvider(sms.SmsProvider):
    """Takes 30 seconds: long enough to kill the worker in the middle (manual checks)."""

    def send(self, phone, text, *, reference):
        import time

        time.sleep(30)
        return sms.LocmemProvider().send(phone, text, reference=reference)
