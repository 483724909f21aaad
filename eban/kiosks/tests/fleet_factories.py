"""Test data for the fleet tests: terminals with a token, kiosk operators in a division."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff
from eban.accounts.tests.factories import division
from eban.catalogue.testing import make_department, make_division
from eban.kiosks.actions import SYSTEM, tokens
from eban.kiosks.models import Terminal

_seq = itertools.count(1)


def make_terminal(*, code: str | None = None, division_code: str = "330302", **fields) -> Terminal:
    n = next(_seq)
    fields.setdefault("name", f"测试终端{n}")
    fields.setdefault("level", "township")
    fields.setdefault("address", "测试地址1号")
    fields.setdefault("latitude", 28.0 + n / 1000)
    fields.setdefault("longitude", 120.65)
    fields.setdefault("opening_hours", {"always": True})
    fields.setdefault("hardware", ["id_reader", "camera", "printer"])
    return Terminal.objects.create(code=code or f"T-{n:05d}", division=division(division_code), **fields)


def with_token(terminal: Terminal) -> str:
    return tokens.issue_token(terminal, actor=SYSTEM)


def operator(username: str = "op", division_code: str = "330302"):
    """A kiosk operator whose scope is one county."""
    make_division("330300", "温州市")
    place = division(division_code)
    department = make_department(f"{division_code}-ZWB", "政务服务中心", division=place)
    return make_staff(username, department=department, divisions=[place], roles=[StaffRole.KIOSK_OPERATOR])


def body(now: datetime.datetime | None = None, **fields) -> dict:
    now = now or timezone.now()
    data = {
        "sent_at": now.isoformat(),
        "online": True,
        "paper_level": 80,
        "printer": "ok",
        "camera": "ok",
        "software_version": "2.4.1",
    }
    data.update(fields)
    return data
