"""Back office: import a catalogue file with a progress bar, export the catalogue.

The upload becomes an ImportJob row; the import runs as a background task (`eban worker`), and
the page polls a small JSON status view until the report is ready. Staff with the permission
"Can import and export the catalogue of matters" only.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from eban.core.admin_views import progress_answer

from . import actions
from .models import ImportJob

PERMISSION = "catalogue.import_matters"
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


def can_import(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(PERMISSION))


def _check(request) -> None:
    if not can_import(request.user):
        raise PermissionDenied


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


class ImportView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "catalogue/admin/import.html"
    page_title = _("Import / export matters")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        _check(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.page_title},
        ]

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


def _job_for(request, job_id: int) -> ImportJob:
    _check(request)
    return get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)


class JobView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "catalogue/admin/job.html"
    page_title = _("Import of matters")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("catalogue_import"), "label": _("Import / export matters")},
            {"url": "", "label": self.job.filename},
        ]

    def dispatch(self, request, *args, **kwargs):
        self.job = _job_for(request, kwargs["job_id"])
        return super().dispatch(request, *args, **kwargs)

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


@require_GET
def job_status(request, job_id: int):
    job = _job_for(request, job_id)
    return progress_answer(job, PHASES, summary=job.report.get("summary", []) if job.finished else [])


@require_GET
def export_view(request, fmt: str):
    _check(request)
    if fmt not in CONTENT_TYPES:
        raise Http404
    content = actions.export_catalogue(fmt, actor=request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="matters-{stamp}.{fmt}"'
    return response
