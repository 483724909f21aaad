"""One gate for the catalogue's back office: every page is a StaffPage whose permission comes
from catalogue/permissions.py, and none writes its own dispatch."""

import inspect

import pytest

from eban.catalogue import admin_views, permissions
from eban.core.admin_views import StaffPage


def views():
    return [
        value
        for value in vars(admin_views).values()
        if inspect.isclass(value)
        and issubclass(value, StaffPage)
        and value.__module__ == admin_views.__name__
    ]


def test_every_catalogue_page_is_a_staff_page_gated_by_the_permissions_module():
    found = {view.__name__ for view in views()}
    assert {"ImportView", "JobView", "JobStatusView", "ExportView"} <= found
    for view in views():
        assert "dispatch" not in vars(view), view
        assert view.allowed.__globals__["can_import"] is permissions.can_import


def test_no_function_view_and_no_predicate_left_in_admin_views():
    source = inspect.getsource(admin_views)
    assert "def can_" not in source
    assert "require_GET" not in source


@pytest.mark.django_db
def test_the_predicate_needs_active_staff_with_the_permission(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("clerk", password="x" * 12, is_staff=True)
    assert not permissions.can_import(user)
    user.user_permissions.add(Permission.objects.get(codename="import_matters"))
    user = django_user_model.objects.get(pk=user.pk)
    assert permissions.can_import(user)
    user.is_active = False
    assert not permissions.can_import(user)
