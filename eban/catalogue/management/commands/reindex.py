"""`eban reindex`: rebuild the search index of the published matters."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Rebuild the search index of the published matters (重建事项搜索索引)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="Do not print progress lines.")

    def handle(self, *args, **options):
        from eban.catalogue.search import reindex_all

        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if not options["quiet_progress"] and options["verbosity"] > 0:
                self.stdout.write(_("Indexed %(done)d of %(total)d matters") % {"done": done, "total": total})

        count = reindex_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("Search index rebuilt: %(count)d published matters in %(seconds).1f s")
                % {"count": count, "seconds": time.monotonic() - started}
            )
        )
