"""Notifications in the back office: menu "Notifications" with the message templates and the
messages sent (each item shown only to those whose roles allow it), and the audit labels."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from eban.core.admin_views import StaffMenuItem

from . import admin_views, log_actions, permissions


@hooks.register("register_admin_urls")
def register_notifications_urls():
    return [
        path(
            "notifications/templates/",
            admin_views.TemplateIndexView.as_view(),
            name="notifications_templates",
        ),
        path(
            "notifications/templates/new/",
            admin_views.TemplateCreateView.as_view(),
            name="notifications_template_new",
        ),
        path(
            "notifications/templates/<int:pk>/",
            admin_views.TemplateDetailView.as_view(),
            name="notifications_template",
        ),
        path(
            "notifications/messages/", admin_views.MessageIndexView.as_view(), name="notifications_messages"
        ),
        path(
            "notifications/messages/<int:pk>/",
            admin_views.MessageDetailView.as_view(),
            name="notifications_message",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_notifications_menu():
    menu = Menu(
        items=[
            StaffMenuItem(_("Message templates"), reverse("notifications_templates"), name="message-templates",
                          icon_name="doc-full", order=1, allowed=permissions.can_view_templates),
            StaffMenuItem(_("Messages sent"), reverse("notifications_messages"), name="messages-sent",
                          icon_name="mail", order=2, allowed=permissions.can_view_messages),
        ]
    )  # fmt: skip
    return SubmenuMenuItem(_("Notifications"), menu, name="notifications", icon_name="mail", order=320)


@hooks.register("register_log_actions")
def register_notifications_log_actions(actions_registry):
    log_actions.register(actions_registry)
