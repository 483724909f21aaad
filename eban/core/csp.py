"""The Content-Security-Policy of every answer (all environments, so development shows a breach).

eban's pages run no inline script: every script is a static file (eban/static/js, vendor/), and
the kiosk, the finder, the sign-in pages and the API docs load theirs by `<script src>`. Styles may
be inline (`style=""` attributes, a few `<style>` blocks, and Leaflet, ECharts and Swagger UI set
styles), so style-src allows 'unsafe-inline'; CSS cannot run code.

The back office (/admin/) is Wagtail's, whose own templates still carry inline scripts (the inline
panel, the date and time widgets): there script-src also allows 'unsafe-inline'. That is the one
place; see docs/adr/0013-content-security-policy-and-private-files.md.

Map tiles come from the host of EBAN_MAP_TILES["url"] (with its {s} subdomains expanded).
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings

ADMIN_PREFIX = "/admin/"


def tile_origins(url: str, subdomains: str) -> list[str]:
    """The origins a Leaflet URL template loads tiles from: {s} is each subdomain in turn."""
    parts = urlsplit(url or "")
    if not parts.scheme or not parts.netloc:
        return []
    hosts = [parts.netloc.replace("{s}", s) for s in (subdomains or "")] if "{s}" in parts.netloc else []
    return [f"{parts.scheme}://{host}" for host in (hosts or [parts.netloc]) if "{" not in host]


def policy(*, admin: bool) -> str:
    tiles = settings.EBAN_MAP_TILES
    return _policy(admin, tiles.get("url", ""), tiles.get("subdomains", ""))


@functools.lru_cache(maxsize=8)
def _policy(admin: bool, tile_url: str, subdomains: str) -> str:
    script = "'self' 'unsafe-inline'" if admin else "'self'"
    directives = {
        "default-src": "'self'",
        "script-src": script,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": " ".join(["'self'", "data:", "blob:", *tile_origins(tile_url, subdomains)]),
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' blob:",
        "frame-src": "'self'",  # the kiosk prints a certificate from a hidden frame; Wagtail's preview
        "frame-ancestors": "'self'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every answer that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(admin=request.path.startswith(ADMIN_PREFIX))
        return response
