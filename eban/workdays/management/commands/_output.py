"""Helpers for the calendar commands: messages in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation


def bilingual(render: Callable[[], str]) -> str:
    """`render()` in Chinese, then in English when that differs."""
    with translation.override("zh-hans"):
        zh = str(render())
    with translation.override("en"):
        en = str(render())
    return zh if zh == en else f"{zh}\n{en}"
