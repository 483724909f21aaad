"""The kiosk network in the back office: the menu "Kiosks" (终端) with the fleet, coverage and
usage pages (each module declares its URLs and menu entries), and the audit action labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import log_actions
from .coverage import admin_views as coverage_admin
from .fleet import admin_views as fleet_admin
from .permissions import may_operate
from .usage import admin_views as usage_admin

PAGES = (fleet_admin, coverage_admin, usage_admin)


class OperatorMenuItem(MenuItem):
    def is_shown(self, request):
        return may_operate(request.user)


class OperatorSubmenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return may_operate(request.user)


@hooks.register("register_admin_urls")
def register_kiosk_urls():
    return [url for module in PAGES for url in module.urlpatterns]


@hooks.register("register_admin_menu_item")
def register_kiosk_menu():
    items = [
        OperatorMenuItem(
            label, reverse(url_name), name=url_name.replace("_", "-"), icon_name=icon, order=order
        )
        for module in PAGES
        for label, url_name, icon, order in module.MENU_ITEMS
    ]
    return OperatorSubmenuItem(_("Kiosks"), Menu(items=items), name="kiosks", icon_name="desktop", order=330)


@hooks.register("register_log_actions")
def register_kiosk_log_actions(actions_registry):
    log_actions.register(actions_registry)
