"""Back-office views of the working-day calendar: the snippet views route every write
through `actions` (so it is audited), and the CSV upload."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.components import Component
from wagtail.snippets.views import snippets as snippet_views

from eban.core.admin_views import StaffPage

from . import actions, permissions, queries
from .forms import CalendarUploadForm
from .holiday_file import CalendarFileRejected


class MissingYearPanel(Component):
    """Home panel: next year's holidays are not loaded (shown from 1 November)."""

    template_name = "workdays/admin/missing_year_panel.html"
    order = 50

    def __init__(self, year: int, *, can_load: bool = True) -> None:
        self.year, self.can_load = year, can_load

    def get_context_data(self, parent_context=None):
        return {"year": self.year, "upload_url": reverse("workdays_upload") if self.can_load else ""}


def missing_year_panel(today=None, *, user=None) -> MissingYearPanel | None:
    """The warning, with the upload button for those who may load the file."""
    year = queries.missing_next_year(today)
    if not year:
        return None
    return MissingYearPanel(year, can_load=user is None or permissions.can_load_calendar_file(user))


# --- Snippet views: writes through actions ------------------------------------------------


class SpecialDayCreateView(snippet_views.CreateView):
    def save_instance(self):
        return actions.save_special_day(self.form.instance, actor=self.request.user, form=self.form)


class SpecialDayEditView(snippet_views.EditView):
    def save_instance(self):
        return actions.save_special_day(self.form.instance, actor=self.request.user, form=self.form)


class SpecialDayDeleteView(snippet_views.DeleteView):
    def delete_action(self):
        actions.delete_special_day(self.object, actor=self.request.user)


class CalendarYearCreateView(snippet_views.CreateView):
    def save_instance(self):
        return actions.save_calendar_year(self.form.instance, actor=self.request.user, form=self.form)


class CalendarYearEditView(snippet_views.EditView):
    def save_instance(self):
        return actions.save_calendar_year(self.form.instance, actor=self.request.user, form=self.form)


class CalendarYearDeleteView(snippet_views.DeleteView):
    def delete_action(self):
        actions.delete_calendar_year(self.object, actor=self.request.user)


class CalendarYearIndexView(snippet_views.IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = queries.missing_next_year()
        if year:
            messages.warning(
                self.request,
                _("The holidays of %(year)s are not loaded yet: deadlines reaching %(year)s are refused.")
                % {"year": year},
            )
        return context


# --- CSV upload -----------------------------------------------------------------------------


class CalendarUploadView(StaffPage, FormView):
    form_class = CalendarUploadForm
    template_name = "workdays/admin/upload.html"
    page_title = _("Load holidays from a CSV file")
    header_icon = "date"

    def allowed(self, user) -> bool:
        return permissions.can_load_calendar_file(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing_year"] = queries.missing_next_year()
        context["years"] = queries.year_summaries()[-5:]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            report = actions.load_calendar_file(
                upload.read(), actor=self.request.user, source=upload.name, dry_run=dry_run
            )
        except CalendarFileRejected as exc:
            form.add_error("file", exc.message)
            return self.render_to_response(
                self.get_context_data(form=form, file_errors=exc.errors), status=400
            )
        years = ", ".join(str(y.year) for y in report.years)
        if dry_run:
            messages.info(
                self.request,
                _("The file is valid: %(days)s special days for %(years)s. Nothing was loaded (check only).")
                % {"days": report.days, "years": years},
            )
            return redirect("workdays_upload")
        messages.success(
            self.request,
            _("Loaded %(days)s special days; %(years)s marked as loaded.")
            % {"days": report.days, "years": years},
        )
        return redirect("workdays_upload")
