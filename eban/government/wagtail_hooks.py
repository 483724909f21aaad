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


# --- Divisions and departments in the back office (snippets) ---------------------------------

from wagtail.admin.panels import FieldPanel  # noqa: E402
from wagtail.snippets.models import register_snippet  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup  # noqa: E402

from .models import Department, Division  # noqa: E402


class DivisionViewSet(SnippetViewSet):
    model = Division
    icon = "site"
    menu_label = _("Divisions")
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level", "is_sample"]
    search_fields = ["name", "code", "name_en"]
    search_backend_name = None
    ordering = ["code"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("is_sample"),
    ]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "code", "division", "phone"]
    list_filter = ["division__level", "is_sample"]
    search_fields = ["name", "code", "short_name", "name_en"]
    search_backend_name = None
    ordering = ["code"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("name_en"),
        FieldPanel("division"),
        FieldPanel("phone"),
        FieldPanel("address"),
        FieldPanel("is_sample"),
    ]


class GovernmentGroup(SnippetViewSetGroup):
    items = (DivisionViewSet, DepartmentViewSet)
    menu_icon = "site"
    menu_label = _("Government")
    menu_name = "government"
    menu_order = 210


register_snippet(GovernmentGroup)
