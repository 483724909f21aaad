"""`eban rotate-keys`: re-encrypt stored personal values under the current key.

eban rotate-keys                         re-encrypt what is under old keys
eban rotate-keys --check                 count only; exit status 1 if any remain
eban rotate-keys --blind-indexes         recompute blind indexes (after changing EBAN_BLIND_INDEX_KEY)
eban rotate-keys --blind-indexes --check count stale indexes; exit status 1 if any
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eban.core import crypto, rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt stored personal values under the current key of EBAN_ENCRYPTION_KEYS, "
        "or recompute blind indexes (轮换加密密钥)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count what is left to do; exit with status 1 if anything is.",
        )
        parser.add_argument(
            "--blind-indexes",
            action="store_true",
            help="Recompute the blind indexes with the current EBAN_BLIND_INDEX_KEY instead.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--quiet-progress", action="store_true", help="Do not print progress lines.")

    def handle(self, *args, **options):
        self.options = options
        ring = crypto.keyring()
        if ring.dev_only:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Development-only keys derived from SECRET_KEY are in use (EBAN_ENCRYPTION_KEYS or EBAN_BLIND_INDEX_KEY is unset)."
                    )
                )
            )
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        if options["blind_indexes"]:
            self.blind_indexes(check=options["check"])
        elif options["check"]:
            self.check_encryption(ring)
        else:
            self.rotate(ring)

    def progress(self, label: str, done: int, total: int) -> None:
        if not self.options["quiet_progress"] and self.options["verbosity"] > 0:
            self.stdout.write(
                _("%(label)s: %(done)d of %(total)d") % {"label": label, "done": done, "total": total}
            )

    def check_encryption(self, ring: crypto.Keyring) -> None:
        reports = rotation.count_stale()
        stale = 0
        for report in reports:
            stale += report.stale
            keys = ", ".join(
                f"{key_id}: {count}" + ("" if key_id in ring.key_ids else " " + _("(key not configured!)"))
                for key_id, count in sorted(report.by_key.items())
            )
            self.stdout.write(
                _("%(label)s: %(total)d values, %(stale)d under old keys") % vars(report)
                + (f" ({keys})" if keys else "")
            )
        if stale:
            raise CommandError(
                _("%(count)d values are not under the current key '%(key)s': run `eban rotate-keys`.")
                % {"count": stale, "key": ring.current_id},
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Every encrypted value is under the current key '%(key)s'.") % {"key": ring.current_id}
            )
        )

    def rotate(self, ring: crypto.Keyring) -> None:
        try:
            reports = rotation.rotate_encryption(
                batch_size=self.options["batch_size"], progress=self.progress
            )
        except rotation.RotationError as error:
            raise CommandError(str(error)) from None
        for report in reports:
            self.stdout.write(_("%(label)s: %(rotated)d of %(total)d values re-encrypted") % vars(report))
        self.stdout.write(
            self.style.SUCCESS(
                _("Done: %(count)d values re-encrypted under key '%(key)s'.")
                % {"count": sum(r.rotated for r in reports), "key": ring.current_id}
            )
        )

    def blind_indexes(self, *, check: bool) -> None:
        reports = rotation.recompute_blind_indexes(
            batch_size=self.options["batch_size"], progress=self.progress, check=check
        )
        for report in reports:
            self.stdout.write(
                _("%(label)s: %(total)d rows, %(stale)d stale indexes, %(updated)d recomputed") % vars(report)
            )
        stale = sum(r.stale for r in reports)
        if check and stale:
            raise CommandError(
                _(
                    "%(count)d blind indexes do not match EBAN_BLIND_INDEX_KEY: run `eban rotate-keys --blind-indexes`."
                )
                % {"count": stale},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("Blind indexes are up to date.")))
