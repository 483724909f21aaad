"""The back office's "Apply at the window" page: choose one of the department's matters, enter the
citizen's name and ID number (checked against the card in person), the form and scanned materials."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.accounts import permissions as staff_permissions
from eban.core.admin_views import StaffPage
from eban.core.exceptions import DomainError

from . import formschema, materials, permissions, window
from .models import MatterSetup


def _setups(user):
    profile = staff_permissions.staff_profile(user)
    if profile is None or not permissions.is_case_staff(user):
        return MatterSetup.objects.none()
    return (
        MatterSetup.objects.filter(
            matter__department_id=profile.department_id, matter__live=True, accepting=True
        )
        .select_related("matter")
        .order_by("matter__name")
    )


class WindowView(StaffPage):
    template_name = "applications/admin/window.html"
    page_title = gettext_lazy("Apply at the window")
    header_icon = "form"

    def allowed(self, user) -> bool:
        return permissions.can_apply_at_window(user)

    def load(self, **kwargs) -> None:
        request = self.request
        self.setups = _setups(request.user)
        self.setup = self.setups.filter(
            matter__code=request.GET.get("matter") or request.POST.get("matter")
        ).first()

    def get_context_data(self, answers=None, errors=None, error="", **kwargs):
        context = super().get_context_data(**kwargs)
        schema = self.setup.form_schema if self.setup else {}
        context.update(
            setups=self.setups,
            setup=self.setup,
            fields=formschema.fields(schema, answers or {}, errors or {}),
            materials=materials.guide_materials(self.setup.matter) if self.setup else [],
            error=error,
            name=self.request.POST.get("name", ""),
            id_number=self.request.POST.get("id_number", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.setup is None:
            return self.render_to_response(self.get_context_data(error=_("Choose a matter.")), status=400)
        schema = self.setup.form_schema or {}
        answers = formschema.from_post(schema, request.POST)
        wanted = materials.guide_materials(self.setup.matter)
        uploads = {m["name"]: request.FILES.get(f"material-{i}") for i, m in enumerate(wanted)}
        try:
            application = window.apply_at_window(
                request.user,
                self.setup,
                name=request.POST.get("name", ""),
                id_number=request.POST.get("id_number", ""),
                answers=answers,
                uploads=uploads,
            )
        except formschema.FormInvalid as exc:
            return self.render_to_response(
                self.get_context_data(answers, exc.errors, exc.message), status=400
            )
        except DomainError as exc:
            return self.render_to_response(self.get_context_data(answers, error=exc.message), status=400)
        messages.success(request, _("Application %(number)s submitted.") % {"number": application.number})
        return redirect("applications_case", number=application.number)
