"""Identity in the back office: the second sign-in step (TOTP), the citizens, enterprises and
staff pages (menu items only for those whose roles allow them), and the labels of identity's
audit actions."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from eban.core import audit

from . import admin_views, log_actions, permissions
from .staff import lockout, otp, otp_views
from .staff import managing as staffing


@hooks.register("register_admin_urls")
def register_identity_urls():
    return [
        path("otp/verify/", otp_views.VerifyView.as_view(), name="staff_otp_verify"),
        path("otp/setup/", otp_views.SetupView.as_view(), name="staff_otp_setup"),
        path("identity/citizens/", admin_views.CitizenIndexView.as_view(), name="accounts_citizens"),
        path("identity/citizens/<int:pk>/", admin_views.CitizenDetailView.as_view(), name="accounts_citizen"),
        path("identity/enterprises/", admin_views.EnterpriseIndexView.as_view(), name="accounts_enterprises"),
        path(
            "identity/enterprises/<int:pk>/",
            admin_views.EnterpriseDetailView.as_view(),
            name="accounts_enterprise",
        ),
        path("identity/staff/", admin_views.StaffIndexView.as_view(), name="accounts_staff"),
        path("identity/staff/add/", admin_views.StaffFormView.as_view(), name="accounts_staff_add"),
        path("identity/staff/<int:pk>/", admin_views.StaffFormView.as_view(), name="accounts_staff_edit"),
        path(
            "identity/staff/<int:pk>/reset-authenticator/",
            admin_views.ResetSecondFactorView.as_view(),
            name="accounts_staff_reset_otp",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_identity_menu():
    item = admin_views.PermissionMenuItem
    menu = Menu(
        items=[
            item(_("Citizens"), reverse("accounts_citizens"), name="citizens", icon_name="user",
                 order=1, test=permissions.can_view_citizens),
            item(_("Enterprises"), reverse("accounts_enterprises"), name="enterprises", icon_name="site",
                 order=2, test=permissions.can_view_enterprises),
            item(_("Staff"), reverse("accounts_staff"), name="staff", icon_name="group",
                 order=3, test=staffing.can_view_staff),
        ]
    )  # fmt: skip
    return SubmenuMenuItem(_("Identity"), menu, name="identity", icon_name="user", order=250)


@hooks.register("register_log_actions")
def register_accounts_log_actions(actions_registry):
    log_actions.register(actions_registry)
    for action, label, message in [
        (otp.VERIFY, _("Second factor passed"), _("Official gave a right authenticator code")),
        (otp.FAIL, _("Second factor failed"), _("Official gave a wrong authenticator code")),
        (otp.SETUP, _("Authenticator set up"), _("Official set up an authenticator app")),
        (otp.RESET, _("Authenticator reset"), _("Official's authenticator was reset")),
        (lockout.LOCKED_OUT, _("Sign-in locked"), _("Sign-in locked after repeated wrong passwords")),
    ]:
        audit.register_action(action, label, message, registry=actions_registry)
