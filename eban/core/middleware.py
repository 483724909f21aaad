"""Display preferences kept in a cookie: the elderly mode (large text, high contrast)."""

from __future__ import annotations

ELDERLY_COOKIE = "eban_elderly"


class DisplayPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.GET.get("elderly")
        if wanted in {"1", "0"}:
            request.elderly_mode = wanted == "1"
        else:
            request.elderly_mode = request.COOKIES.get(ELDERLY_COOKIE) == "1"
        response = self.get_response(request)
        if wanted in {"1", "0"}:
            response.set_cookie(ELDERLY_COOKIE, wanted, max_age=365 * 24 * 3600, samesite="Lax")
        return response
