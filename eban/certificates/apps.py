from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "eban.certificates"
    label = "certificates"
    verbose_name = _("Electronic certificates")

    def ready(self):
        from .checks import check_demo_keys_in_production, check_font, check_signing_keys

        checks.register(check_signing_keys, "certificates")
        checks.register(check_font, "certificates", deploy=True)
        checks.register(check_demo_keys_in_production, checks.Tags.security, deploy=True)
