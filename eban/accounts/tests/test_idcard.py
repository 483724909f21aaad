import time

import pytest

from eban.accounts.identity.idcard import IdCardData, SimulatedReader, sign_reading, verify_reading
from eban.core.exceptions import DomainError

from . import factories


def _card(**extra) -> IdCardData:
    return IdCardData(name="王阿公", id_number=factories.id_number(), photo=b"\xff\xd8photo", **extra)


def test_a_signed_reading_is_trusted():
    card = SimulatedReader(_card()).read()
    assert verify_reading(sign_reading(card)) == card


def test_a_forged_reading_is_refused():
    message = sign_reading(_card())
    other = sign_reading(_card())
    with pytest.raises(DomainError) as error:
        verify_reading({"reading": other["reading"], "signature": message["signature"]})
    assert error.value.code == "signature"


def test_a_reading_signed_with_another_key_is_refused(settings):
    message = sign_reading(_card())
    settings.EBAN_ID_CARD_READER_KEY = "another-key"
    with pytest.raises(DomainError):
        verify_reading(message)


def test_an_old_reading_cannot_be_replayed():
    message = sign_reading(_card(read_at=time.time() - 600))
    with pytest.raises(DomainError) as error:
        verify_reading(message)
    assert error.value.code == "stale"


def test_an_expired_card_is_refused():
    with pytest.raises(DomainError) as error:
        verify_reading(sign_reading(_card(valid_until="2001-01-01")))
    assert error.value.code == "expired"


@pytest.mark.parametrize("message", [{}, {"reading": "not base64!", "signature": "x"}, {"reading": 5}])
def test_malformed_readings_are_refused(message):
    with pytest.raises(DomainError):
        verify_reading(message)


def test_without_a_reader_key_nothing_is_trusted(settings):
    settings.EBAN_ID_CARD_READER_KEY = ""
    with pytest.raises(DomainError) as error:
        sign_reading(_card())
    assert error.value.code == "no_reader"
