"""Back office: import a catalogue file with a progress bar, export the catalogue.

The upload becomes an ImportJob row; the import runs as a background task (`eban worker`), and
the page polls a small JSON status view until the report is ready. Every page here is a
`CataloguePage` (core's StaffPage): staff for whom `permissions.can_import` holds, else 403.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic.edit import FormMixin, ProcessFormView
from wagtail.admin.menu import MenuItem

from eban.core.admin_views import StaffPage, progress_answer

from . import actions
from .models import ImportJob
from .permissions import can_import

MAX_UPLOAD = 50 * 1024 * 1024
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PHASES = {
    "": _("Waiting to start"),
    "reading": _("Reading the file"),
    "checking": _("Checking every row"),
    "saving": _("Saving and publishing"),
    "done": _("Finished"),
}


class ImportExportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_("An .xlsx workbook or a .json file in the eban.matters/1 format."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run)"),
        required=False,
        help_text=_("Check the file and report what would change, without saving anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".json"):
            raise forms.ValidationError(_("Use an .xlsx or .json file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large (at most 50 MB)."))
        return upload


class CataloguePage(StaffPage):
    """The catalogue's back-office pages: staff who may import and export the catalogue."""

    header_icon = "upload"
    parent_crumb = ("catalogue_import", _("Import / export matters"))

    def allowed(self, user) -> bool:
        return can_import(user)


class ImportView(FormMixin, ProcessFormView, CataloguePage):
    form_class = ImportForm
    template_name = "catalogue/admin/import.html"
    page_title = _("Import / export matters")
    parent_crumb = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jobs"] = ImportJob.objects.select_related("created_by").defer("content")[:10]
        context["export_json"] = reverse("catalogue_export", args=["json"])
        context["export_xlsx"] = reverse("catalogue_export", args=["xlsx"])
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = actions.start_import_job(
            filename=Path(upload.name).name,
            content=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            actor=self.request.user,
        )
        return redirect("catalogue_import_job", job_id=job.pk)


class JobView(CataloguePage):
    template_name = "catalogue/admin/job.html"
    page_title = _("Import of matters")

    def load(self, job_id: int, **kwargs) -> None:
        self.job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            job=self.job,
            phase_label=PHASES.get(self.job.phase, self.job.phase),
            status_url=reverse("catalogue_import_status", args=[self.job.pk]),
            import_url=reverse("catalogue_import"),
            report=self.job.report,
        )
        return context


class JobStatusView(JobView):
    """The JSON that the job page's progress bar polls."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        job = self.job
        return progress_answer(job, PHASES, summary=job.report.get("summary", []) if job.finished else [])


class ExportView(CataloguePage):
    http_method_names = ["get"]

    def load(self, fmt: str, **kwargs) -> None:
        if fmt not in CONTENT_TYPES:
            raise Http404
        self.fmt = fmt

    def get(self, request, *args, **kwargs):
        content = actions.export_catalogue(self.fmt, actor=request.user)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=CONTENT_TYPES[self.fmt])
        response["Content-Disposition"] = f'attachment; filename="matters-{stamp}.{self.fmt}"'
        return response
