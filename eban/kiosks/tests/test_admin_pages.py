"""One gate for the kiosk network's back office: every page is a StaffPage (eban.core.admin_views)
whose permission is eban.kiosks.permissions.may_operate; none writes its own dispatch."""

import pytest
from django.urls import reverse

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff, staff_login
from eban.core.admin_views import StaffPage
from eban.kiosks import wagtail_hooks
from eban.kiosks.admin_pages import OperatorPage
from eban.kiosks.permissions import may_operate

from .fleet_factories import operator

URLS = [url for module in wagtail_hooks.PAGES for url in module.urlpatterns]


@pytest.mark.parametrize("url", URLS, ids=[url.name for url in URLS])
def test_every_kiosk_back_office_page_is_an_operator_page_without_its_own_dispatch(url):
    view = url.callback.view_class
    assert issubclass(view, OperatorPage) and issubclass(view, StaffPage)
    assert all(
        "dispatch" not in vars(cls) for cls in view.__mro__ if cls.__module__.startswith("eban.kiosks")
    )
    assert OperatorPage.allowed.__code__.co_names == ("may_operate",)
    assert may_operate.__module__ == "eban.kiosks.permissions"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, args",
    [
        ("kiosks_fleet", []),
        ("kiosks_alerts", []),
        ("kiosks_refused", []),
        ("kiosks_terminal_add", []),
        ("kiosks_coverage", []),
        ("kiosks_coverage_status", [1]),
        ("kiosks_usage", []),
        ("kiosks_usage_export", []),
    ],
)
def test_staff_who_do_not_operate_kiosks_are_refused_everywhere(client, name, args):
    """A reviewer reaches the back office, but none of the kiosk network's pages."""
    staff_login(client, make_staff("reviewer", roles=[StaffRole.REVIEWER]))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(reverse(name, args=args))
    # Wagtail answers a PermissionDenied in its admin with a redirect to its home and a message.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


@pytest.mark.django_db
def test_an_operator_opens_the_usage_export_and_another_operators_run_is_404(client):
    from eban.kiosks.models import CoverageRun

    other = operator("other-op", "330303")
    run = CoverageRun.objects.create(created_by=other, radius_m=840)
    staff_login(client, operator("op", "330302"))
    assert client.get(reverse("kiosks_usage_export")).status_code == 200
    assert client.get(reverse("kiosks_coverage_status", args=[run.pk])).status_code == 404
