"""`eban totp-code USERNAME`: the current authenticator code of a DEMO account.

Only for the demo logins whose authenticator holds the public sample secret of eban/demo/users.py:
such a code reveals nothing that is not already public (the secret is in the source, like the
password). Any other account — or a demo username whose secret was changed — is refused, so the
command cannot read out a real official's second factor.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eban.accounts.staff import otp
from eban.demo.users import DEMO_TOTP_KEYS


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo login (sample accounts only; refuses any other)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        refused = CommandError(
            f"{username}: 不是演示账号，拒绝 / not a demo account with the sample authenticator: refused."
        )
        key = DEMO_TOTP_KEYS.get(username)
        user = get_user_model().objects.filter(username=username).first()
        device = otp.confirmed_device(user) if user is not None and key else None
        if device is None or device.key != key:
            raise refused
        self.stdout.write(otp.current_code(device))
