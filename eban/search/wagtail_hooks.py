"""The synonym list in the back office (Wagtail snippets), editable by staff."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    menu_name = "search-synonyms"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["__str__", "enabled", "note", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["terms", "note"]
    panels = [FieldPanel("terms"), FieldPanel("note"), FieldPanel("enabled")]


register_snippet(SynonymViewSet)
