"""Placeholder until its pages land."""

urlpatterns: list = []
MENU_ITEMS: list = []
