from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from eban.core import audit

from . import actions


@hooks.register("register_log_actions")
def register_government_log_actions(actions_registry):
    for action, label, message in [
        (actions.DIVISION_CREATE, _("Division created"), _("Division created")),
        (actions.DIVISION_UPDATE, _("Division updated"), _("Division updated")),
        (actions.DEPARTMENT_CREATE, _("Department created"), _("Department created")),
        (actions.DEPARTMENT_UPDATE, _("Department updated"), _("Department updated")),
    ]:
        audit.register_action(action, label, message, registry=actions_registry)
