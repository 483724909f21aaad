"""`eban kiosk-agent`: a simulated terminal that sends heartbeats, for the demo and for trying the
fleet pages.

    eban kiosk-agent --url http://127.0.0.1:8000 --token WZ-LC-0001.secret [--interval 60] [--paper 80]

Every `--interval` seconds it POSTs a heartbeat to /api/v1/kiosks/heartbeat; the paper level
drops by `--paper-step` per heartbeat (a printer in use) until it is refilled by restarting.
`--count N` stops after N heartbeats (`--count 1`: one and done); `--printer`/`--camera` set the
devices' states. The token is read from `--token` or the EBAN_KIOSK_TOKEN environment variable
(which keeps it out of the process list) and is never printed.
"""

from __future__ import annotations

import datetime
import json
import os
import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

STATES = ("ok", "fault", "absent")


def heartbeat_body(
    *, paper: int | None, printer: str, camera: str, online: bool = True, version: str
) -> bytes:
    sent_at = datetime.datetime.now(datetime.UTC).astimezone().isoformat(timespec="seconds")
    return json.dumps(
        {
            "sent_at": sent_at,
            "online": online,
            "paper_level": paper,
            "printer": printer,
            "camera": camera,
            "software_version": version,
        }
    ).encode()


def send(url: str, token: str, body: bytes, *, timeout: float = 10) -> tuple[int, dict]:
    """POST one heartbeat; (HTTP status, the JSON answer)."""
    request = urllib.request.Request(
        url.rstrip("/") + "/api/v1/kiosks/heartbeat",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}


class Command(BaseCommand):
    help = "A simulated kiosk terminal: send heartbeats to an eban server (for the demo)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The eban server.")
        parser.add_argument(
            "--token", default="", help="The terminal's token CODE.secret (or EBAN_KIOSK_TOKEN)."
        )
        parser.add_argument("--interval", type=float, default=60, help="Seconds between heartbeats.")
        parser.add_argument(
            "--paper", type=int, default=80, help="Paper level (%%) at the start; -1: no printer."
        )
        parser.add_argument("--paper-step", type=int, default=1, help="Paper used per heartbeat (%%).")
        parser.add_argument("--printer", choices=STATES, default="ok")
        parser.add_argument("--camera", choices=STATES, default="ok")
        parser.add_argument(
            "--count", type=int, default=0, help="Stop after this many heartbeats (0: never)."
        )
        parser.add_argument("--software-version", default="agent-1.0", help="The software version reported.")

    def handle(self, *args, **options):
        token = options["token"] or os.environ.get("EBAN_KIOSK_TOKEN", "")
        if "." not in token:
            raise CommandError("Give the terminal's token as --token CODE.secret (or EBAN_KIOSK_TOKEN).")
        if options["interval"] <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        code = token.rpartition(".")[0]
        paper = None if options["paper"] < 0 else max(0, min(100, options["paper"]))
        printer = "absent" if paper is None else options["printer"]
        sent = failed = 0
        while True:
            body = heartbeat_body(
                paper=paper,
                printer=printer,
                camera=options["camera"],
                version=options["software_version"][:40],
            )
            try:
                status, answer = send(options["url"], token, body)
            except (OSError, ValueError) as error:
                status, answer = 0, {"error": {"message": str(error)}}
            sent += 1
            if status == 200:
                self.stdout.write(
                    f"{code}: heartbeat {sent} accepted (paper {paper if paper is not None else '-'})"
                )
                wait = float(answer.get("next_in_s") or options["interval"])
            else:
                failed += 1
                message = (answer.get("error") or {}).get("message", "")
                self.stderr.write(f"{code}: heartbeat {sent} refused ({status or 'no answer'}): {message}")
                wait = options["interval"]
                if status == 401:
                    raise CommandError("The token was refused: issue a new one in the back office.")
            if options["count"] and sent >= options["count"]:
                break
            if paper is not None:
                paper = max(0, paper - options["paper_step"])
            time.sleep(min(wait, options["interval"]))
        if failed:
            raise CommandError(f"{failed} of {sent} heartbeats were refused.")
