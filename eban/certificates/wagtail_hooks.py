from wagtail import hooks

from . import log_actions


@hooks.register("register_log_actions")
def register_certificates_log_actions(actions_registry):
    log_actions.register(actions_registry)
