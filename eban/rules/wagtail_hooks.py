"""Rule sets in the back office: their pages (for policy officers and platform administrators)
and the labels of their audit actions."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from eban.core.admin_views import StaffMenuItem

from . import admin_views, log_actions, permissions


@hooks.register("register_admin_urls")
def register_rules_urls():
    return [
        path("rules/", admin_views.RuleSetIndexView.as_view(), name="rules_index"),
        path("rules/add/", admin_views.RuleSetEditView.as_view(), name="rules_add"),
        path("rules/<int:pk>/", admin_views.RuleSetDetailView.as_view(), name="rules_detail"),
        path("rules/<int:pk>/edit/", admin_views.RuleSetEditView.as_view(), name="rules_edit"),
        path("rules/<int:pk>/activate/", admin_views.ActivateView.as_view(), name="rules_activate"),
        path("rules/<int:pk>/retire/", admin_views.RetireView.as_view(), name="rules_retire"),
        path("rules/<int:pk>/new-version/", admin_views.NewVersionView.as_view(), name="rules_new_version"),
    ]


@hooks.register("register_admin_menu_item")
def register_rules_menu_item():
    return StaffMenuItem(
        _("Eligibility rules"),
        reverse("rules_index"),
        name="eligibility-rules",
        icon_name="tasks",
        order=260,
        allowed=permissions.can_edit,
    )


@hooks.register("register_log_actions")
def register_rules_log_actions(registry):
    log_actions.register(registry)
