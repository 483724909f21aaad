"""Content-Security-Policy on every answer; HSTS under production settings; no template runs an
inline script outside the back office (the policy's promise)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import eban
from eban.core import csp

from .conftest import INDEX_KEY_1, KEY_A

PUBLIC_PAGES = ["/", "/account/sign-in/", "/kiosks/", "/verify/", "/api/v1/docs", "/healthz"]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_answers_carry_a_policy_without_inline_scripts(client, path):
    response = client.get(path)
    directives = _directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_the_back_office_allows_wagtails_inline_scripts_and_nothing_else_more(client):
    directives = _directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["connect-src"] == ["'self'"]


def test_map_tiles_are_allowed_from_the_configured_hosts_only(settings):
    settings.EBAN_MAP_TILES = {**settings.EBAN_MAP_TILES, "url": "https://t{s}.example.cn/{z}/{x}/{y}.png"}
    settings.EBAN_MAP_TILES["subdomains"] = "ab"
    img = _directives(csp.policy(admin=False))["img-src"]
    assert img == ["'self'", "data:", "blob:", "https://ta.example.cn", "https://tb.example.cn"]


def test_the_default_tiles_are_allowed():
    assert csp.tile_origins("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}", "12") == [
        "https://webrd01.is.autonavi.com",
        "https://webrd02.is.autonavi.com",
    ]


# Back-office templates are left out: the back office's policy allows inline scripts (Wagtail's own).
TEMPLATES = sorted(
    p for p in Path(eban.__file__).parent.glob("**/templates/**/*.html") if "/admin/" not in p.as_posix()
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(eban.__file__).parent)))
def test_no_page_outside_the_back_office_runs_an_inline_script(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to a static file"
    assert not EVENT_HANDLER.search(text), "attach the handler from a static script"


def test_production_sends_hsts_for_a_year():
    env = {k: v for k, v in os.environ.items() if not k.startswith("EBAN_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        EBAN_SECRET_KEY="x" * 50,
        EBAN_ENCRYPTION_KEYS=KEY_A,
        EBAN_BLIND_INDEX_KEY=INDEX_KEY_1,
        EBAN_CACHE_URL="redis://127.0.0.1:6379/1",
        EBAN_TRUSTED_PROXY_COUNT="1",
    )
    code = (
        "import eban.settings.production as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, 'eban.core.csp.ContentSecurityPolicyMiddleware' in s.MIDDLEWARE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(eban.__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')", "True"]
