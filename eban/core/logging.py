"""`RedactPII`: a logging filter that scrubs ID numbers and mobile numbers from log records.

Defence in depth: code must not log personal values in the first place (see the audit
rules), but a value in an exception message or a third-party library's log line would
otherwise reach the logs. Installed on every handler in settings.LOGGING, so it sees the
records of every logger that reaches a handler.

It replaces, in the message (after %-formatting with the record's args), in the
exception text and in the stack text:

- anything shaped like an 18-character ID number (17 digits and a digit or X, not part of
  a longer run of letters or digits) with `[id number]`;
- a mainland mobile number (1[3-9] and 9 more digits, optionally +86 and separators, not
  part of a longer digit run) with `[phone]`;
- the same values as they appear in a URL (a request line of the development server's log:
  separators written `+`, `%20` or `%2D`, `%2B86`, a lower-case `x`).

The development server's request log (the `django.server` logger) has a handler of Django's
own; settings.LOGGING sends it through the console handler, so this filter sees it too.

It never drops a record. False positives (an 18-digit order number) are redacted too.
"""

from __future__ import annotations

import logging
import re

_SEP = r"(?:[\s+-]|%20|%2[Dd])?"  # a separator as typed, or as a URL encodes it
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{6}" + _SEP + r"\d{8}" + _SEP + r"\d{3}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(
    r"(?<![0-9])(?:(?:\+|%2[Bb])?86" + _SEP + r")?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?![0-9])"
)
ID_NUMBER_MARK = "[id number]"
PHONE_MARK = "[phone]"


def redact(text: str) -> str:
    """`text` with ID numbers and mobile numbers replaced by markers."""
    return MOBILE.sub(PHONE_MARK, ID_NUMBER.sub(ID_NUMBER_MARK, text))


class RedactPII(logging.Filter):
    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string: leave it for logging to report
            return True
        scrubbed = redact(message)
        if scrubbed != message:
            # Freeze the formatted message: the args held the values.
            record.msg = scrubbed
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
