from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernmentConfig(AppConfig):
    name = "eban.government"
    label = "government"
    verbose_name = _("Government structure")
