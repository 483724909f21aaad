"""The working-day calendar in the back office: years and special days as snippets,
a CSV upload, and a warning from 1 November when next year is not loaded."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from eban.core import audit
from eban.core.admin_views import StaffMenuItem

from . import actions, admin_views, permissions
from .models import CalendarYear, SpecialDay


class CalendarYearViewSet(SnippetViewSet):
    model = CalendarYear
    icon = "date"
    menu_label = _("Loaded years")
    list_display = ["year", "source", "loaded_at"]
    ordering = ["-year"]
    add_view_class = admin_views.CalendarYearCreateView
    edit_view_class = admin_views.CalendarYearEditView
    delete_view_class = admin_views.CalendarYearDeleteView
    index_view_class = admin_views.CalendarYearIndexView


class SpecialDayViewSet(SnippetViewSet):
    model = SpecialDay
    icon = "calendar-alt"
    menu_label = _("Holidays and make-up workdays")
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    ordering = ["-date"]
    add_view_class = admin_views.SpecialDayCreateView
    edit_view_class = admin_views.SpecialDayEditView
    delete_view_class = admin_views.SpecialDayDeleteView


class WorkdaysGroup(SnippetViewSetGroup):
    items = (CalendarYearViewSet, SpecialDayViewSet)
    menu_icon = "date"
    menu_label = _("Working days")
    menu_name = "working-days"
    menu_order = 310

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            StaffMenuItem(
                _("Load holidays (CSV)"),
                reverse("workdays_upload"),
                icon_name="upload",
                order=len(items) + 1,
                allowed=permissions.can_load_calendar_file,
            )
        )
        return items


register_snippet(WorkdaysGroup)


@hooks.register("register_admin_urls")
def register_upload_url():
    return [path("workdays/upload/", admin_views.CalendarUploadView.as_view(), name="workdays_upload")]


@hooks.register("construct_homepage_panels")
def add_missing_year_panel(request, panels):
    panel = admin_views.missing_year_panel(user=request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_log_actions")
def register_calendar_log_actions(registry):
    for action, label, message in [
        (actions.LOAD_YEAR, _("Load calendar year"), _("Calendar year loaded")),
        (actions.SAVE_YEAR, _("Save calendar year"), _("Calendar year saved")),
        (actions.DELETE_YEAR, _("Delete calendar year"), _("Calendar year deleted")),
        (actions.SAVE_DAY, _("Save special day"), _("Special day saved")),
        (actions.DELETE_DAY, _("Delete special day"), _("Special day deleted")),
    ]:
        audit.register_action(action, label, message, registry=registry)
