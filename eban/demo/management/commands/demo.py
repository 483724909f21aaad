"""`eban demo`: migrate, load the sample data, print the demo logins, start a task worker and serve."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from eban.demo.identities import sample_people_lines
from eban.demo.users import DEMO_TOTP_KEYS, DEMO_USERS

DEMO_TERMINAL = "WZ-330300-001"  # 温州市民中心自助服务区1号机（样例）


def demo_pairing_path() -> str | None:
    """A fresh pairing link (valid 15 minutes) for one sample terminal: a new token is issued for
    it first (the old one stops working). None without the sample terminals."""
    from eban.kiosks.actions import SYSTEM
    from eban.kiosks.actions.tokens import issue_token, make_pairing_link
    from eban.kiosks.models import Terminal

    terminal = Terminal.objects.filter(code=DEMO_TERMINAL, is_sample=True, active=True).first()
    if terminal is None:
        return None
    issue_token(terminal, actor=SYSTEM)
    return make_pairing_link(terminal, actor=SYSTEM)


def confirmed_device(username: str):
    """The demo login's authenticator, if it still holds the public sample secret."""
    from django.contrib.auth import get_user_model

    from eban.accounts.staff import otp

    user = get_user_model().objects.filter(username=username).first()
    device = otp.confirmed_device(user) if user is not None else None
    return device if device is not None and device.key == DEMO_TOTP_KEYS.get(username) else None


class Command(BaseCommand):
    help = (
        "Set up and run the demo: migrate, loadsample, print the demo staff logins (demo-only "
        "passwords), run a background worker and serve on 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("EBAN_PORT", "8000")))
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything, then stop.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a background worker.")

    def handle(self, *args, port, no_serve, no_worker, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移 / database migrated")
        call_command("loadsample", stdout=self.stdout, stderr=self.stderr)
        # The demo CA and the sample departments' signing keys (under EBAN_DATA_DIR/pki; sample only).
        call_command("demo_ca", stdout=self.stdout, stderr=self.stderr)
        self.print_logins(port)
        if no_serve:
            return
        worker = None
        if not no_worker:
            worker = subprocess.Popen(
                [sys.executable, "-m", "eban", "worker", "--no-startup-delay", "--no-reload"]
            )
        try:
            call_command("serve", port=port, noreload=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def print_logins(self, port: int) -> None:
        base = f"http://127.0.0.1:{port}"
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "演示账号（仅供演示，密码公开，切勿用于生产） / Demo logins (DEMO ONLY — public passwords)"
            )
        )
        for username, password, role, _superuser, _groups in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {password:<22} {role}")
        self.stdout.write(
            "  第二步验证码 second step: 运行 run `eban totp-code <用户名 username>`，"
            "或用身份验证器 App 扫描 or add to an authenticator app:"
        )
        for username, *_rest in DEMO_USERS:
            device = confirmed_device(username)
            if device is not None:
                self.stdout.write(f"    {username:<8} {device.config_url}")
        self.stdout.write(
            f"  后台 back office: {base}/admin/    网站 site: {base}/    API: {base}/api/v1/docs"
        )
        for line in sample_people_lines(base):
            self.stdout.write(line)
        self.stdout.write(f"  演示终端 demo terminal (ID card / face): {base}/kiosk/sign-in/")
        pairing = demo_pairing_path()
        if pairing:
            self.stdout.write(
                f"  终端应用（本屏幕配对为样例终端 {DEMO_TERMINAL}，链接 15 分钟内有效，过期后在后台"
                f"“自助终端 › 终端总览”中重新生成） / kiosk app, pairing this screen with sample terminal {DEMO_TERMINAL} "
                f"(the link expires in 15 minutes; make a new one in the back office, Kiosks → Fleet): "
                f"{base}{pairing}"
            )
        self.stdout.write(f"  查找终端 find a terminal: {base}/kiosks/")
        self.stdout.write("")
