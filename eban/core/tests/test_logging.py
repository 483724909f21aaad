import logging
import logging.config
from io import StringIO

import pytest
from django.conf import settings

from eban.core.logging import RedactPII, redact

ID_NUMBER = "33030219640101123X"  # made up
PHONE = "13812345678"


def emit(*args, exc_info=None, stack_info=False) -> str:
    """What a handler carrying RedactPII writes for one record."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPII())
    logger = logging.getLogger("eban.tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(*args, exc_info=exc_info, stack_info=stack_info)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return stream.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"citizen {ID_NUMBER} signed in", "citizen [id number] signed in"),
        ("id=330302196401011234;", "id=[id number];"),
        (f"sms to {PHONE} sent", "sms to [phone] sent"),
        ("sms to +86 138-1234-5678", "sms to [phone]"),
        ("order 12345678901234567890 paid", "order 12345678901234567890 paid"),  # a longer digit run
        ("trace a1b2c3d4e5f6", "trace a1b2c3d4e5f6"),
        ("took 12345 ms", "took 12345 ms"),
    ],
)
def test_redact_replaces_id_numbers_and_mobile_numbers_only(text, expected):
    assert redact(text) == expected


def test_values_in_the_args_are_redacted():
    line = emit("check of %s by %s failed", ID_NUMBER, PHONE)
    assert line == "check of [id number] by [phone] failed\n"


def test_values_in_the_message_are_redacted():
    assert ID_NUMBER not in emit(f"bad number {ID_NUMBER}")


def test_values_in_an_exception_are_redacted():
    try:
        raise ValueError(f"not a valid id number: {ID_NUMBER}")
    except ValueError as error:
        line = emit("validation failed", exc_info=error)
    assert "ValueError: not a valid id number: [id number]" in line
    assert ID_NUMBER not in line


def test_a_record_without_personal_values_is_left_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d rows in %s", (3, "0.2 s"), None)
    assert RedactPII().filter(record)
    assert (record.msg, record.args) == ("%d rows in %s", (3, "0.2 s"))


def test_every_configured_handler_carries_the_filter():
    config = settings.LOGGING
    assert config["filters"]["redact_pii"]["()"] == "eban.core.logging.RedactPII"
    for name, handler in config["handlers"].items():
        assert "redact_pii" in handler.get("filters", []), name


def test_the_configured_root_handler_redacts():
    root = logging.getLogger()
    filtered = [h for h in root.handlers if any(isinstance(f, RedactPII) for f in h.filters)]
    assert filtered, "settings.LOGGING did not install RedactPII on the root handlers"


def test_the_development_servers_request_lines_are_redacted_as_urls_write_numbers(caplog):
    """What runserver logged for the staff's search: the query's values, URL-encoded."""
    import logging as std_logging

    from eban.core.logging import RedactPII

    lines = [
        '"GET /admin/identity/citizens/?q=33032419640315003X HTTP/1.1" 200 1234',
        '"GET /admin/identity/citizens/?q=330324+19640315+003x HTTP/1.1" 200 1234',
        '"GET /admin/identity/citizens/?q=138%201234%205678 HTTP/1.1" 200 1234',
        '"GET /admin/identity/citizens/?q=%2B86-138-1234-5678 HTTP/1.1" 200 1234',
    ]
    for line in lines:
        record = std_logging.LogRecord("django.server", std_logging.INFO, __file__, 1, "%s", (line,), None)
        RedactPII().filter(record)
        message = record.getMessage()
        assert "5678" not in message and "003" not in message, message


def test_the_development_servers_logger_goes_through_the_redacting_handler(settings):
    server = settings.LOGGING["loggers"]["django.server"]
    assert server["handlers"] == ["console"] and not server.get("propagate", True)
    assert "redact_pii" in settings.LOGGING["handlers"]["console"]["filters"]
