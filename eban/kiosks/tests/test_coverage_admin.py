"""The coverage page (Kiosks → Coverage), the loader and the stored runs: scoped to the operator's
divisions, audited, large runs in the background with a progress bar."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff, staff_login
from eban.accounts.tests.factories import division
from eban.catalogue.testing import make_department, make_division
from eban.core.exceptions import DomainError
from eban.government.models import DivisionLevel
from eban.kiosks.coverage import runs as coverage_runs
from eban.kiosks.models import CoverageRun, Settlement, Terminal

pytestmark = pytest.mark.django_db

LUCHENG, RUIAN = "330302", "330381"
URL = "/admin/kiosks/coverage/"


def place(code: str, name: str):
    make_division("330300", "温州市")
    return division(code, name, DivisionLevel.COUNTY)


def make_operator(username: str, code: str, name: str, roles=(StaffRole.KIOSK_OPERATOR,)):
    county = place(code, name)
    department = make_department(f"{code}-ZWB", "政务服务中心", division=county)
    return make_staff(username, department=department, divisions=[county], roles=roles)


def settlement(code: str, county, lat: float, lng: float, population: int, *, key=False, name=None):
    return Settlement.objects.create(
        code=code,
        name=name or f"{code}村",
        kind="village",
        division=county,
        population=population,
        latitude=lat,
        longitude=lng,
        key_village=key,
    )


def terminal(code: str, county, lat: float, lng: float, *, active=True):
    return Terminal.objects.create(
        code=code,
        name=f"{code}终端",
        level="village",
        division=county,
        address="测试地址",
        latitude=lat,
        longitude=lng,
        opening_hours={"always": True},
        active=active,
    )


@pytest.fixture
def network():
    lucheng, ruian = place(LUCHENG, "鹿城区"), place(RUIAN, "瑞安市")
    terminal("LC-001", lucheng, 28.00, 120.65)
    terminal("LC-OFF", lucheng, 28.10, 120.65, active=False)  # out of service: does not count
    settlement("LC-A", lucheng, 28.001, 120.65, 1000, name="鹿城甲村")  # ~110 m: covered
    settlement("LC-B", lucheng, 28.10, 120.65, 300, key=True, name="鹿城乙村")  # far: a gap
    settlement("LC-C", lucheng, 28.101, 120.65, 200, name="鹿城丙村")
    terminal("RA-001", ruian, 27.78, 120.63)
    settlement("RA-A", ruian, 27.78, 120.631, 500, name="瑞安甲村")
    settlement("RA-B", ruian, 27.90, 120.63, 800, key=True, name="瑞安乙村")
    return lucheng, ruian


@pytest.fixture
def lucheng_operator(network):
    return make_operator("lc-op", LUCHENG, "鹿城区")


@pytest.fixture
def ruian_operator(network):
    return make_operator("ra-op", RUIAN, "瑞安市")


def test_loader_reads_active_terminals_and_settlements_with_counties(network):
    data = coverage_runs.load(None)
    assert sorted(data.terminal_codes) == ["LC-001", "RA-001"]
    assert len(data.settlements) == 5
    assert set(data.settlements.county) == {LUCHENG, RUIAN}
    assert data.county_names == {LUCHENG: "鹿城区", RUIAN: "瑞安市"}
    within = coverage_runs.load(None, division=RUIAN)
    assert within.terminal_codes == ["RA-001"] and sorted(within.settlements.codes) == ["RA-A", "RA-B"]


def test_loader_scopes_an_operator_to_their_divisions(lucheng_operator):
    data = coverage_runs.load(lucheng_operator)
    assert data.terminal_codes == ["LC-001"]
    assert sorted(data.settlements.codes) == ["LC-A", "LC-B", "LC-C"]
    assert len(coverage_runs.load(lucheng_operator, division=RUIAN).settlements) == 0


def test_page_computes_then_shows_the_run_with_map_and_tables(client, lucheng_operator):
    staff_login(client, lucheng_operator)
    with translation.override("en"):
        response = client.get(URL)
        assert response.status_code == 302
        run = CoverageRun.objects.get()
        assert response["Location"] == f"{URL}?run={run.pk}"
        page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="eban-map"' in html and "eban-map-points" in html
    for table in ("coverage-sites", "coverage-counties", "coverage-villages", "coverage-runs"):
        assert f'id="{table}"' in html
    assert run.status == CoverageRun.Status.DONE and not run.background
    assert run.report["population"] == 1500 and run.report["covered_population"] == 1000
    assert "66.7 %" in html  # share covered
    assert "鹿城乙村" in html  # the uncovered key village, in the table
    kinds = {p["kind"] for p in page.context["map_points"]}
    assert kinds == {"ok", "bad", "settlement", "site"}
    terminal_point = next(p for p in page.context["map_points"] if p["kind"] == "ok")
    assert terminal_point["r"] == round(run.radius_m)
    assert page.context["sites"][0]["people"] == 500  # B and C together


def test_every_run_is_audited(client, lucheng_operator):
    staff_login(client, lucheng_operator)
    client.get(URL, {"minutes": "20", "sites": "3"})
    run = CoverageRun.objects.get()
    entry = ModelLogEntry.objects.get(action="kiosks.coverage.run")
    assert entry.object_id == str(run.pk) and entry.user == lucheng_operator
    assert entry.data["sites"] == 3 and entry.data["minutes"] == 20


def test_an_operator_of_another_division_sees_only_their_own(client, lucheng_operator, ruian_operator):
    staff_login(client, lucheng_operator)
    client.get(URL)
    lucheng_run = CoverageRun.objects.get(created_by=lucheng_operator)

    client.logout()
    staff_login(client, ruian_operator)
    response = client.get(URL, follow=True)
    html = response.content.decode()
    run = CoverageRun.objects.get(created_by=ruian_operator)
    assert [c["code"] for c in run.report["counties"]] == [RUIAN]
    assert run.report["terminals"] == 1 and run.report["settlements"] == 2
    assert "瑞安乙村" in html and "鹿城" not in html
    assert all("LC-" not in p["label"] for p in response.context["map_points"])
    # Another operator's run, by its number: not found.
    assert client.get(URL, {"run": lucheng_run.pk}).status_code == 404
    assert client.get(reverse("kiosks_coverage_status", args=[lucheng_run.pk])).status_code == 404
    # A division outside their scope is not a choice.
    response = client.get(URL, {"division": LUCHENG})
    assert response.status_code == 200 and response.context["form"].errors
    assert CoverageRun.objects.filter(created_by=ruian_operator).count() == 1


def test_a_platform_administrator_sees_everything(client, network):
    admin = make_operator("boss", "330300", "温州市", roles=(StaffRole.PLATFORM_ADMIN,))
    staff_login(client, admin)
    client.get(URL, {"division": RUIAN})
    run = CoverageRun.objects.get()
    assert run.division == RUIAN and run.report["settlements"] == 2
    client.get(URL)
    assert CoverageRun.objects.latest("pk").report["settlements"] == 5


def test_a_non_operator_is_refused(client, network):
    clerk = make_operator("clerk", LUCHENG, "鹿城区", roles=(StaffRole.REVIEWER,))
    staff_login(client, clerk)
    refused = client.get(URL)  # Wagtail turns PermissionDenied into a way back to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not CoverageRun.objects.exists()
    op = make_operator("lc-op2", LUCHENG, "鹿城区")
    run = coverage_runs.start_run(op, coverage_runs.Parameters())
    refused = client.get(reverse("kiosks_coverage_status", args=[run.pk]))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    with pytest.raises(DomainError):
        coverage_runs.start_run(clerk, coverage_runs.Parameters())


def test_anonymous_is_sent_to_sign_in(client, network):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_bad_parameters_show_the_form_with_errors(client, lucheng_operator):
    staff_login(client, lucheng_operator)
    response = client.get(URL, {"minutes": "-3", "sites": "500"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"minutes", "sites"}
    assert not CoverageRun.objects.exists()


def test_a_large_run_goes_to_the_background_with_a_progress_bar(
    client, lucheng_operator, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(coverage_runs, "INLINE_MAX_WORK", 0)
    staff_login(client, lucheng_operator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(URL, follow=True)
    run = CoverageRun.objects.get()
    assert run.background and run.status == CoverageRun.Status.PENDING
    assert len(callbacks) == 1  # the task is enqueued after the commit
    html = response.content.decode()
    assert 'id="coverage-progress"' in html and "<progress" in html and 'id="eban-map"' not in html
    status = client.get(reverse("kiosks_coverage_status", args=[run.pk])).json()
    assert status["status"] == "pending" and not status["finished"]
    # Opening the page again while it waits does not start another run.
    client.get(URL)
    assert CoverageRun.objects.count() == 1
    callbacks[0]()  # the immediate backend runs the task now
    run.refresh_from_db()
    assert run.status == CoverageRun.Status.DONE and run.phase == "done" and run.percent == 100
    assert client.get(reverse("kiosks_coverage_status", args=[run.pk])).json()["finished"] is True
    assert 'id="eban-map"' in client.get(URL, {"run": run.pk}).content.decode()
    assert coverage_runs.execute(run.pk) == "done"  # idempotent


def test_a_failed_run_says_so(client, lucheng_operator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(coverage_runs.coverage, "compute", broken)
    staff_login(client, lucheng_operator)
    response = client.get(URL, follow=True)
    run = CoverageRun.objects.get()
    assert run.status == CoverageRun.Status.FAILED and run.finished
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_long_tables_are_paginated(client, lucheng_operator):
    lucheng = place(LUCHENG, "鹿城区")
    for i in range(60):
        settlement(f"KV-{i:03d}", lucheng, 28.3 + i * 0.02, 120.9, 100 + i, key=True)
    staff_login(client, lucheng_operator)
    response = client.get(URL, follow=True)
    run = CoverageRun.objects.get()
    assert len(run.report["uncovered_key_villages"]) == 61
    assert response.context["villages"].paginator.num_pages == 2
    assert f"run={run.pk}&amp;cp=1&amp;vp=2" in response.content.decode()
    second = client.get(URL, {"run": run.pk, "vp": 2})
    assert len(second.context["villages"].object_list) == 11
    assert CoverageRun.objects.count() == 1  # paging does not compute again


def test_the_menu_has_coverage(client, lucheng_operator):
    staff_login(client, lucheng_operator)
    assert reverse("kiosks_coverage") in client.get("/admin/").content.decode()


def test_sample_data_is_labelled(client, lucheng_operator):
    Settlement.objects.filter(code="LC-A").update(is_sample=True)
    staff_login(client, lucheng_operator)
    assert 'data-testid="sample-banner"' in client.get(URL, follow=True).content.decode()
