from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "eban.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import kinds  # noqa: F401  (the kinds of message and their fields)
        from .checks import check_email_backend, check_sms_provider

        checks.register(check_sms_provider, checks.Tags.security, deploy=True)
        checks.register(check_email_backend, checks.Tags.security, deploy=True)
