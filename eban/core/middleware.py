"""Display preferences kept in a cookie: the elderly mode (large text, high contrast)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

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


def request_language(request) -> str:
    """The language to answer `request` in (see LanguageMiddleware)."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in supported and request.path.startswith("/api/"):
        language = translation.get_language_from_request(request)
    return language if language in supported else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Chinese first: pages are in Chinese unless the visitor chose another language (the
    language cookie set by the switch in the header). API clients may also ask with
    Accept-Language, as HTTP clients do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
