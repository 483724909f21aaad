"""`eban serve [--port N]`: Django's development server when DEBUG is on; otherwise gunicorn
with 2 workers (static files served by WhiteNoise after collectstatic). Binds 127.0.0.1."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

HOST = "127.0.0.1"


def gunicorn_argv(port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "eban.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--keep-alive", "5",
        "--log-level", "warning",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve eban on 127.0.0.1: runserver when DEBUG is on, gunicorn (2 workers) otherwise."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("EBAN_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (DEBUG off).")
        parser.add_argument("--noreload", action="store_true", help="No auto-reload (DEBUG on).")

    def handle(self, *args, port, workers, noreload, **options):
        if settings.DEBUG:
            call_command("runserver", f"{HOST}:{port}", use_reloader=not noreload)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = gunicorn_argv(port, workers)
        self.stdout.write(f"gunicorn: http://{HOST}:{port}/ ({workers} workers)")
        self.stdout.flush()
        os.execv(sys.executable, argv)
