"""The back office asks for the second factor: a signed-in official who has not given a TOTP
code in this session is sent to the code page (or, with no authenticator yet, to its setup)
before any back-office page. Installed after django-otp's OTPMiddleware."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .staff import otp

# Back-office pages that work before the second factor: signing in and out, the code pages
# themselves, and what they load (the icon sprite, the JavaScript translations).
EXEMPT = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "staff_otp_verify",
    "staff_otp_setup",
}


def _exempt(match) -> bool:
    name = getattr(match, "url_name", None) or ""
    return name in EXEMPT or name.startswith("wagtailadmin_password_reset")


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not otp.enabled():
            return None
        if self.prefix is None:
            self.prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(self.prefix) or _exempt(request.resolver_match):
            return None
        user = request.user
        if not otp.needs_second_factor(user) or otp.is_verified(user):
            return None
        target = "staff_otp_verify" if otp.confirmed_device(user) else "staff_otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
