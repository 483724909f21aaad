"""The back office's second sign-in step: enter the authenticator code, or set the app up."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from eban.core.admin_views import StaffPage
from eban.core.exceptions import DomainError
from eban.core.ratelimit import RateLimited

from .. import permissions
from ..staff import otp


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )


class SecondFactorView(StaffPage, FormView):
    """A page of the second step: for an account that passed the password (and needs the code)."""

    form_class = CodeForm
    page_title = _("Second step")

    def allowed(self, user) -> bool:
        return permissions.can_use_second_factor(user)

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if safe and target.startswith("/") else reverse("wagtailadmin_home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.next_url()
        return context

    def confirm(self, code: str) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.confirm(form.cleaned_data["code"])
        except RateLimited as error:
            form.add_error(None, error.message)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(error.retry_after)
            return response
        except DomainError as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        return redirect(self.next_url())


class VerifyView(SecondFactorView):
    template_name = "accounts/otp/verify.html"

    def elsewhere(self, request) -> str | None:
        if not otp.needs_second_factor(request.user) or otp.is_verified(request.user):
            return self.next_url()
        if otp.confirmed_device(request.user) is None:
            return f"{reverse('staff_otp_setup')}?{request.GET.urlencode()}"
        return None

    def confirm(self, code: str) -> None:
        otp.verify(self.request, code)


class SetupView(SecondFactorView):
    template_name = "accounts/otp/setup.html"

    def elsewhere(self, request) -> str | None:
        if not otp.needs_second_factor(request.user) or otp.is_verified(request.user):
            return self.next_url()
        # Once an app is set up, only its codes sign in: a password alone never adds a device.
        if otp.confirmed_device(request.user) is not None:
            return f"{reverse('staff_otp_verify')}?{request.GET.urlencode()}"
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = otp.pending_device(self.request.user)
        # segno writes the SVG from the otpauth URI; nothing in it comes from the request.
        context["qr_svg"] = mark_safe(otp.qr_svg(device))  # noqa: S308
        context["secret"] = otp.secret_text(device)
        return context

    def confirm(self, code: str) -> None:
        otp.confirm_setup(self.request, code)
