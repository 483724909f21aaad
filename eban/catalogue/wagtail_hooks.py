"""The catalogue in the back office: matters (drafted, reviewed, published), themes and life
events as snippets; the import/export page; labels for the catalogue's audit actions."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from eban.core import audit

from . import actions, admin_views
from .models import LifeEvent, Matter, Theme


class MatterViewSet(SnippetViewSet):
    model = Matter
    icon = "doc-full"
    menu_label = _("Matters")
    list_display = ["name", "code", "category", "department", "updated_at"]
    list_filter = ["category", "audience", "themes", "life_events", "live", "is_sample"]
    list_per_page = 50
    search_fields = ["name", "code", "short_name", "aliases", "keywords"]
    search_backend_name = None
    ordering = ["code"]
    inspect_view_enabled = True

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("code"), FieldPanel("is_sample")]),
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("short_name"), FieldPanel("name_en")]),
                    FieldPanel("aliases"),
                    FieldPanel("keywords"),
                    FieldPanel("summary"),
                ],
                heading=_("Basic information"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("category"), FieldPanel("audience")]),
                    FieldPanel("themes"),
                    FieldPanel("life_events"),
                    FieldPanel("department"),
                    FieldPanel("divisions"),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("channel_kiosk"),
                                    FieldPanel("channel_online"),
                                    FieldPanel("channel_window"),
                                    FieldPanel("channel_overseas"),
                                ]
                            )
                        ],
                        heading=_("Channels"),
                    ),
                ],
                heading=_("Classification"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("trips"), FieldPanel("on_the_spot")]),
                    FieldRowPanel([FieldPanel("statutory_days"), FieldPanel("promised_days")]),
                    FieldRowPanel([FieldPanel("fee_free"), FieldPanel("fee_amount")]),
                    FieldPanel("fee_basis"),
                    FieldPanel("legal_basis"),
                ],
                heading=_("Time limits and fee"),
            ),
            ObjectList([FieldPanel("conditions")], heading=_("Conditions")),
            ObjectList([FieldPanel("materials")], heading=_("Materials")),
            ObjectList([FieldPanel("process")], heading=_("Process")),
            ObjectList(
                [
                    FieldPanel("place"),
                    FieldPanel("hours"),
                    FieldRowPanel([FieldPanel("consult_phone"), FieldPanel("complaint_phone")]),
                ],
                heading=_("Place and contacts"),
            ),
            ObjectList([FieldPanel("faq")], heading=_("FAQ")),
        ]
    )


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    list_display = ["name", "code", "name_en", "sort_order"]
    search_fields = ["name", "code", "name_en"]
    search_backend_name = None
    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("name_en"), FieldPanel("sort_order")]


class LifeEventViewSet(SnippetViewSet):
    model = LifeEvent
    icon = "group"
    menu_label = _("Life events")
    list_display = ["name", "code", "audience", "sort_order"]
    list_filter = ["audience"]
    search_fields = ["name", "code", "name_en"]
    search_backend_name = None
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("audience"),
        FieldPanel("sort_order"),
    ]


class CatalogueGroup(SnippetViewSetGroup):
    items = (MatterViewSet, ThemeViewSet, LifeEventViewSet)
    menu_icon = "list-ul"
    menu_label = _("Service catalogue")
    menu_name = "catalogue"
    menu_order = 200

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            admin_views.ImportExportMenuItem(
                _("Import / export matters"),
                reverse("catalogue_import"),
                icon_name="upload",
                order=len(items) + 1,
            )
        )
        return items


register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("catalogue/import/", admin_views.ImportView.as_view(), name="catalogue_import"),
        path("catalogue/import/<int:job_id>/", admin_views.JobView.as_view(), name="catalogue_import_job"),
        path(
            "catalogue/import/<int:job_id>/status/",
            admin_views.JobStatusView.as_view(),
            name="catalogue_import_status",
        ),
        path("catalogue/export/<str:fmt>/", admin_views.ExportView.as_view(), name="catalogue_export"),
    ]


@hooks.register("register_permissions")
def register_import_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="catalogue", codename="import_matters")


@hooks.register("register_log_actions")
def register_catalogue_log_actions(actions_registry):
    for action, label, message in [
        (actions.CREATE, _("Matter created"), _("Matter created and published")),
        (actions.UPDATE, _("Matter updated"), _("Matter updated and published")),
        (actions.PUBLISH, _("Matter published"), _("Matter published (with the changes recorded)")),
        (actions.UNPUBLISH, _("Matter unpublished"), _("Matter unpublished")),
        (actions.IMPORT, _("Catalogue imported"), _("Catalogue of matters imported")),
        (actions.EXPORT, _("Catalogue exported"), _("Catalogue of matters exported")),
    ]:
        audit.register_action(action, label, message, registry=actions_registry)
