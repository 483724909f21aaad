"""Template tags of the kiosk app: what the screen is (terminal, signed-in citizen, idle timeout)
and the voice prompt each page declares.

Voice prompts: every page says what to do in one sentence (`{% kiosk_prompt "key" text %}`);
eban/static/js/kiosk-voice.js speaks it with the browser's speech synthesis in the page's
language, or plays a pre-generated recording when one exists for the key:
eban/static/kiosk/voice/<language>/<key>.mp3 (language "zh-hans" or "en"; e.g.
kiosk/voice/zh-hans/home.mp3). Recordings are optional: a page without one is spoken.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import json_script
from django.utils.translation import get_language

from .. import pairing

register = template.Library()

IDLE_SECONDS = 60  # without a touch, then the warning strip
WARNING_SECONDS = 20  # the countdown on the strip before signing out


@dataclass(frozen=True)
class Screen:
    terminal: Any
    citizen: Any
    idle_seconds: int
    warning_seconds: int


@register.simple_tag(takes_context=True)
def kiosk_screen(context) -> Screen | None:
    request = context.get("request")
    if request is None:
        return None
    citizen = None
    if request.user.is_authenticated and request.session.get("eban_kiosk"):
        citizen = getattr(request.user, "citizen", None)
    return Screen(
        terminal=pairing.current_terminal(request),
        citizen=citizen,
        idle_seconds=int(settings.EBAN_KIOSK_IDLE_SECONDS),
        warning_seconds=int(settings.EBAN_KIOSK_IDLE_WARNING_SECONDS),
    )


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


@functools.lru_cache(maxsize=512)
def recording(language: str, key: str) -> str:
    """The URL of the pre-generated recording of a prompt, or "" when there is none."""
    path = f"kiosk/voice/{language}/{key}.mp3"
    return static(path) if finders.find(path) else ""


@register.simple_tag
def kiosk_prompt(key: str, text: str) -> str:
    """The page's voice prompt, as a JSON script the voice script reads."""
    language = _language()
    data = {"key": key, "text": str(text), "lang": "en" if language == "en" else "zh-CN"}
    data["audio"] = recording(language, key)
    return json_script(data, "kiosk-prompt")
