"""The development e-mail backend: e-mails are written to the log (`eban.email`, INFO) with the
recipients masked, like the console SMS provider, instead of being sent.

`EBAN_EMAIL_BACKEND=console` (the default) selects it; `smtp` selects Django's SMTP backend
with the `EBAN_EMAIL_HOST*` settings; a dotted path selects any Django e-mail backend.
"""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

from .addresses import mask_email

logger = logging.getLogger("eban.email")


class ConsoleBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for email in email_messages:
            logger.info(
                "E-mail (not sent, console backend) to %s [%s]: %s\n%s",
                ", ".join(mask_email(address) for address in email.recipients()),
                email.extra_headers.get("X-Eban-Reference", ""),
                email.subject,
                email.body,
            )
        return len(email_messages)
