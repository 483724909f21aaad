"""`eban generate-keys`: fresh values for EBAN_ENCRYPTION_KEYS and EBAN_BLIND_INDEX_KEY.

The environment lines go to standard output (ready for an env file); advice goes to
standard error.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eban.core import crypto


class Command(BaseCommand):
    help = "Print fresh encryption and blind index keys as environment lines (生成加密密钥)."

    def add_arguments(self, parser):
        parser.add_argument("--key-id", help="Id of the new encryption key (default: k<date><4 hex digits>).")
        parser.add_argument(
            "--rotation",
            action="store_true",
            help="Print only a new `keyid:key` item, to put first in EBAN_ENCRYPTION_KEYS (key rotation).",
        )

    def handle(self, *args, **options):
        try:
            entry = crypto.new_encryption_key_entry(options["key_id"])
        except ValueError:
            raise CommandError(_("A key id is 1 to 32 letters, digits, '-' or '_'.")) from None
        if options["rotation"]:
            self.stdout.write(entry)
            self.stderr.write(
                _(
                    "Put this item first in EBAN_ENCRYPTION_KEYS and keep the old keys after it, "
                    "restart every process, then run `eban rotate-keys`."
                )
            )
            return
        self.stdout.write(f"EBAN_ENCRYPTION_KEYS={entry}")
        self.stdout.write(f"EBAN_BLIND_INDEX_KEY={crypto.new_blind_index_key()}")
        self.stderr.write(
            _("Keep these secret and backed up: values encrypted under a lost key cannot be recovered.")
        )
