from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "eban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .checks import check_rates, check_shared_cache

        checks.register(check_rates, "eban")
        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
