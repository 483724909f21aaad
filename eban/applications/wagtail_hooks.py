"""Applications in the back office: the menu "Applications" (办件) with the case queue and the
follow-ups of low ratings (shown to those who handle cases), their pages, and the labels of the
audit actions."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from eban.core.admin_views import StaffMenuItem

from . import admin_views, log_actions, permissions, window_views
from .models import MatterSetup


class CaseSubmenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return permissions.can_view_cases(request.user)


@hooks.register("register_admin_urls")
def register_applications_urls():
    return [
        path("applications/", admin_views.QueueView.as_view(), name="applications_queue"),
        path("applications/case/<str:number>/", admin_views.CaseView.as_view(), name="applications_case"),
        path(
            "applications/case/<str:number>/materials/<int:pk>/",
            admin_views.MaterialDownloadView.as_view(),
            name="applications_material",
        ),
        path("applications/window/", window_views.WindowView.as_view(), name="applications_window"),
        path("applications/ratings/", admin_views.RatingsView.as_view(), name="applications_ratings"),
        path("applications/ratings/<int:pk>/", admin_views.RatingView.as_view(), name="applications_rating"),
    ]


@hooks.register("register_admin_menu_item")
def register_applications_menu():
    menu = Menu(
        items=[
            StaffMenuItem(
                _("Case queue"),
                reverse("applications_queue"),
                name="case-queue",
                icon_name="tasks",
                order=1,
                allowed=permissions.can_view_cases,
            ),
            StaffMenuItem(
                _("Apply at the window"),
                reverse("applications_window"),
                name="apply-at-window",
                icon_name="form",
                order=3,
                allowed=permissions.can_apply_at_window,
            ),
            StaffMenuItem(
                _("Low ratings to follow up"),
                reverse("applications_ratings"),
                name="low-ratings",
                icon_name="warning",
                order=2,
                allowed=permissions.can_view_cases,
            ),
        ]
    )
    return CaseSubmenuItem(_("Applications"), menu, name="applications", icon_name="tasks", order=150)


@hooks.register("construct_homepage_panels")
def add_reviewer_queue_panel(request, panels):
    panel = admin_views.reviewer_queue_panel(request.user)
    if panel is not None:
        panels.append(panel)


# Wagtail's home-page counts of pages, images and documents (their summary items' templates).
SITE_SUMMARY_TEMPLATES = {
    "wagtailadmin/home/site_summary_pages.html",
    "wagtailimages/homepage/site_summary_images.html",
    "wagtaildocs/homepage/site_summary_documents.html",
}


@hooks.register("construct_homepage_summary_items", order=100)
def hide_site_counts_from_those_who_do_not_edit_pages(request, items):
    if not permissions.edits_site_pages(request.user):
        items[:] = [
            item for item in items if getattr(item, "template_name", "") not in SITE_SUMMARY_TEMPLATES
        ]


@hooks.register("register_log_actions")
def register_applications_log_actions(actions_registry):
    log_actions.register(actions_registry)


class MatterSetupViewSet(SnippetViewSet):
    """How each matter is applied for: its form (JSON Schema), instant approval, rule set and
    certificate type. Validated by MatterSetup.clean(); every edit is in the object's history."""

    model = MatterSetup
    icon = "form"
    menu_label = _("Application set-ups")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["matter", "instant", "rule_code", "certificate_type", "accepting"]
    list_filter = ["instant", "accepting"]
    search_fields = ["matter__name", "matter__code"]


register_snippet(MatterSetupViewSet)
