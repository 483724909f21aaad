from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "eban.accounts"
    label = "accounts"
    verbose_name = _("Accounts and identity")

    def ready(self):
        from .staff import lockout, roles

        # The staff roles' groups follow eban/accounts/roles.py after every migrate.
        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="eban.accounts.staff.roles")
        lockout.connect()
