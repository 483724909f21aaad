"""Building blocks of the back office's own pages (inside Wagtail's admin).

`StaffPage`: the one gate of the back office's pages. A page an official may open only when
`allowed(user)` says so (else 403) — each page's `allowed` asks a predicate of its app's
permissions.py — whose `load(**kwargs)` fetches what the URL names after that check, with
Wagtail's header and breadcrumbs (Home › [parent_crumb] › the page's title). No page writes its
own `dispatch` (tests/test_architecture.py); a step of a flow that sends the request on says
where in `elsewhere(request)`. A page that only takes a form's POST sets
`http_method_names = ["post"]`; a form page mixes in Django's `FormView` after `StaffPage`.

`StaffMenuItem`: a menu item shown to those the same predicate allows.

`progress_answer`: the JSON a long job's progress bar polls (eban/static/js/eban-progress.js),
for any model with status, phase, done, total, `percent` and `finished`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class StaffPage(WagtailAdminTemplateMixin, TemplateView):
    parent_crumb: tuple[str, Any] | None = None  # (URL name, label) between Home and the page

    def allowed(self, user) -> bool:
        return False

    def elsewhere(self, request) -> str | None:
        """Where a step of a flow sends the request instead of showing this page (None: here)."""
        return None

    def dispatch(self, request, *args, **kwargs):
        target = self.elsewhere(request)
        if target:
            return redirect(target)
        if not self.allowed(request.user):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the object named in the URL (after the permission check)."""

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}]
        if self.parent_crumb:
            items.append({"url": reverse(self.parent_crumb[0]), "label": self.parent_crumb[1]})
        return [*items, {"url": "", "label": self.get_page_title()}]


class StaffMenuItem(MenuItem):
    """A back-office menu item shown only when `allowed(user)` (the page's own predicate)."""

    def __init__(self, *args, allowed: Callable[[Any], bool], **kwargs) -> None:
        self.allowed = allowed
        super().__init__(*args, **kwargs)

    def is_shown(self, request) -> bool:
        return bool(self.allowed(request.user))


def progress_answer(job, phases: dict, **extra) -> JsonResponse:
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "phase": job.phase,
            "phase_label": str(phases.get(job.phase, job.phase)),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.finished,
            **extra,
        }
    )
