"""Validation errors speak the request's language: no pydantic English ("Input should be a valid
number") in a Chinese answer. Every pydantic error kind an eban schema can raise is mapped in
eban/api/api.py (describe_error); the field at fault is kept."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Literal

import pytest
from django.utils import translation
from pydantic import BaseModel, Field, ValidationError, field_validator

from eban.api.api import describe_error


class Everything(BaseModel):
    number: float
    whole: int
    flag: bool
    text: str
    short: str = Field(max_length=3)
    items: list[int] = Field(max_length=2)
    mapping: dict
    ident: uuid.UUID
    day: datetime.date
    moment: datetime.datetime
    even: int = Field(multiple_of=2)
    money: Decimal
    choice: Literal["a", "b"]
    required: str
    checked: str

    @field_validator("checked")
    @classmethod
    def _refuse(cls, value):
        raise ValueError("refused by a validator")


BAD = {
    "number": "abc",
    "whole": "1.5x",
    "flag": "maybe",
    "text": 3,
    "short": "toolong",
    "items": [1, 2, 3],
    "mapping": [1],
    "ident": "x",
    "day": "2020-13-01",
    "moment": "yesterday",
    "even": 3,
    "money": "lots",
    "choice": "c",
    "checked": "x",
}


def _errors():
    with pytest.raises(ValidationError) as info:
        Everything(**BAD)
    return info.value.errors()


def test_every_kind_of_problem_is_described_without_pydantic_english():
    errors = _errors()
    assert len(errors) == len(BAD) + 1  # and `required` is missing
    with translation.override("en"):
        for error in errors:
            message = describe_error(error, None)
            assert "Input should" not in message and error["msg"] not in message, (error["type"], message)
            assert str(error["loc"][-1]) in message or error["type"] == "value_error"


def test_a_number_that_is_not_one(client):
    with translation.override("en"):
        response = client.get("/api/v1/kiosks/nearest?lat=abc&lng=120.6", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    (detail,) = response.json()["error"]["details"]
    assert detail["field"] == "lat"
    assert detail["type"] == "float_parsing"
    assert detail["message"] == "lat must be a number, not “abc”."
    assert "Input should" not in response.json()["error"]["message"]


def test_the_chinese_answer_carries_no_pydantic_english(client):
    response = client.get("/api/v1/kiosks/nearest?lat=abc&lng=120.6", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert "Input should" not in response.content.decode()
