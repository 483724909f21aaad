"""Usage figures (usage.queries), the Usage dashboard and its .xlsx export (usage.admin_views)."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff, staff_login
from eban.accounts.tests.factories import division
from eban.catalogue.testing import make_department, make_division, make_matter
from eban.kiosks.models import KioskTransaction, Terminal
from eban.kiosks.usage import export as usage_export
from eban.kiosks.usage import queries as q

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
PERIOD = q.Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


def terminal(code: str, division_code: str, *, sample: bool = False, active: bool = True) -> Terminal:
    place = division(
        division_code, f"区划{division_code}", "county" if len(division_code) == 6 else "township"
    )
    return Terminal.objects.create(
        code=code, name=f"终端{code}", name_en=f"Kiosk {code}", level="township", division=place,
        address="测试地址", latitude=28.0, longitude=120.6, opening_hours={"always": True},
        hardware=["id_reader", "printer"], is_sample=sample, active=active,
    )  # fmt: skip


def txn(t: Terminal, day: datetime.date, *, matter=None, kind: str = "print", n: int = 1) -> None:
    at = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))
    KioskTransaction.objects.bulk_create(
        [
            KioskTransaction(terminal=t, kind=kind, matter=matter, division_id=t.division_id, day=day, at=at)
            for _ in range(n)
        ]
    )


def staff(username: str, division_code: str, *, role=StaffRole.KIOSK_OPERATOR):
    city = make_division("330300", "温州市")
    place = city if division_code == "330300" else division(division_code)
    department = make_department(f"{division_code}-T{username[:3].upper()}", "测试部门", division=place)
    return make_staff(username, department=department, divisions=[place], roles=[role])


@pytest.fixture
def network():
    """Two counties: 鹿城 (330302) with a township terminal, 龙湾 (330303); known transactions."""
    make_division("330300", "温州市")
    card = make_matter(code="M-CARD", name="老年人优待证办理", name_en="Senior card", channel_kiosk=True)
    proof = make_matter(
        code="M-PROOF", name="社保参保证明打印", name_en="Social insurance proof", channel_kiosk=True
    )
    lc1 = terminal("LC-1", "330302")
    lc2 = terminal("LC-2", "330302001", sample=True)
    lc_idle = terminal("LC-IDLE", "330302")
    terminal("LC-OFF", "330302", active=False)
    lw1 = terminal("LW-1", "330303")
    txn(lc1, datetime.date(2026, 4, 3), matter=card, n=5)
    txn(lc1, datetime.date(2026, 5, 20), matter=proof, n=2)
    txn(lc1, datetime.date(2026, 5, 20), kind="sign_in", n=3)  # no matter
    txn(lc2, datetime.date(2026, 6, 1), matter=proof, n=4)
    txn(lw1, datetime.date(2026, 6, 2), matter=card, n=1)
    txn(lw1, datetime.date(2026, 3, 31), matter=card, n=7)  # before the period
    txn(lw1, datetime.date(2026, 7, 1), matter=card, n=9)  # after it
    return {"card": card, "proof": proof, "lc1": lc1, "lc2": lc2, "lc_idle": lc_idle, "lw1": lw1}


@pytest.fixture
def admin_user():
    return staff("platform", "330300", role=StaffRole.PLATFORM_ADMIN)


def test_counts_by_month_day_matter_terminal_and_county(network, admin_user):
    selection = q.Selection(admin_user, PERIOD)
    assert q.total(selection) == 15
    assert q.by_month(selection) == [
        (datetime.date(2026, 4, 1), 5),
        (datetime.date(2026, 5, 1), 5),
        (datetime.date(2026, 6, 1), 5),
    ]
    days = dict(q.by_day(selection))
    assert len(days) == PERIOD.days == 91
    assert days[datetime.date(2026, 5, 20)] == 5 and days[datetime.date(2026, 4, 4)] == 0
    assert [(m.code, m.count) for m in q.by_matter(selection)] == [
        ("M-CARD", 6),
        ("M-PROOF", 6),
    ]  # ties by code
    assert [(t.code, t.count) for t in q.busiest_terminals(selection, 2)] == [("LC-1", 10), ("LC-2", 4)]
    assert [(d.code, d.count) for d in q.by_county(selection)] == [("330302", 14), ("330303", 1)]
    assert q.by_kind(selection) == {"print": 12, "sign_in": 3}


def test_idle_terminals_include_those_with_no_transaction_but_not_those_out_of_service(network, admin_user):
    idle = q.idle_terminals(q.Selection(admin_user, PERIOD), 3)
    assert [(t.code, t.count) for t in idle] == [("LC-IDLE", 0), ("LW-1", 1), ("LC-2", 4)]
    assert "LC-OFF" not in {t.code for t in q.all_terminals(q.Selection(admin_user, PERIOD))}


def test_a_division_filter_keeps_what_is_under_it(network, admin_user):
    selection = q.Selection(admin_user, PERIOD, division=network["lc2"].division)
    assert q.total(selection) == 4
    assert [t.code for t in q.idle_terminals(selection, None)] == ["LC-2"]


def test_an_operator_of_one_county_sees_only_its_terminals(network):
    longwan = staff("lw-op", "330303")
    selection = q.Selection(longwan, PERIOD)
    assert q.total(selection) == 1
    assert [t.code for t in q.busiest_terminals(selection, None)] == ["LW-1"]
    assert [t.code for t in q.idle_terminals(selection, None)] == ["LW-1"]
    assert [d.code for d in q.by_county(selection)] == ["330303"]
    # Asking for another county's division gives nothing of it.
    other = q.Selection(longwan, PERIOD, division=network["lc1"].division)
    assert q.total(other) == 0 and q.idle_terminals(other, None) == []


def test_an_official_without_the_operator_role_sees_nothing(network):
    reviewer = staff("rev", "330302", role=StaffRole.REVIEWER)
    selection = q.Selection(reviewer, PERIOD)
    assert q.total(selection) == 0 and q.all_terminals(selection) == []


def test_periods():
    assert q.last_days(30, TODAY) == q.Period(datetime.date(2026, 5, 17), TODAY)
    assert q.last_months(6, TODAY) == q.Period(datetime.date(2026, 1, 1), TODAY)
    assert q.last_months(6, datetime.date(2026, 3, 31)).start == datetime.date(2025, 10, 1)
    assert PERIOD.months() == [datetime.date(2026, m, 1) for m in (4, 5, 6)]
    with pytest.raises(q.DomainError):
        q.custom_period(TODAY, TODAY - datetime.timedelta(days=1))
    with pytest.raises(q.DomainError):
        q.custom_period(datetime.date(2020, 1, 1), TODAY)


def sheet_rows(book, name):
    return [tuple(row) for row in book[name].iter_rows(min_row=2, values_only=True)]


def test_the_xlsx_opens_and_holds_the_same_figures(network, admin_user):
    with translation.override("en"):
        selection = q.Selection(admin_user, PERIOD)
        book = load_workbook(BytesIO(usage_export.workbook_bytes(selection)))
        assert book.sheetnames == ["By month", "By day", "By matter", "By terminal", "By division"]
        assert sheet_rows(book, "By month") == [("2026-04", 5), ("2026-05", 5), ("2026-06", 5)]
        days = sheet_rows(book, "By day")
        assert len(days) == 91 and sum(n for _d, n in days) == q.total(selection) == 15
        assert sheet_rows(book, "By matter") == [
            ("M-CARD", "Senior card", 6),
            ("M-PROOF", "Social insurance proof", 6),
        ]
        terminals = {row[0]: row[-1] for row in sheet_rows(book, "By terminal")}
        assert terminals == {"LC-1": 10, "LC-2": 4, "LW-1": 1, "LC-IDLE": 0}
        assert [(r[0], r[2]) for r in sheet_rows(book, "By division")] == [("330302", 14), ("330303", 1)]


def test_dashboard_shows_the_charts_data_and_tables_in_scope(client, network):
    staff_login(client, staff("lc-op", "330302"))
    with translation.override("en"):
        response = client.get(
            reverse("kiosks_usage"), {"period": "custom", "start": "2026-04-01", "end": "2026-06-30"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="usage-charts"' in html and "echarts.common.min.js" in html
    for table in ("usage-months", "usage-matters", "usage-busiest", "usage-idle", "usage-counties"):
        assert f'id="{table}"' in html
    charts = response.context["charts"]
    assert charts["months"]["values"] == [5, 5, 4]
    assert charts["busiest"]["labels"] == ["LC-1", "LC-2"]
    assert charts["idle"]["labels"][0] == "LC-IDLE"
    assert "LW-1" not in html
    assert 'data-testid="sample-banner"' in html  # LC-2 is a sample terminal


def test_dashboard_falls_back_to_30_days_on_a_bad_range(client, network, admin_user):
    staff_login(client, admin_user)
    with translation.override("en"):
        response = client.get(
            reverse("kiosks_usage"), {"period": "custom", "start": "2026-06-30", "end": "x"}
        )
    assert response.status_code == 200
    assert response.context["period_key"] == "30d" and response.context["error"]


def test_dashboard_and_export_are_for_kiosk_operators_only(client, network):
    staff_login(client, staff("rev", "330302", role=StaffRole.REVIEWER))
    assert client.get(reverse("kiosks_usage")).status_code in (302, 403)
    assert client.get(reverse("kiosks_usage_export")).status_code in (302, 403)


def test_export_downloads_the_selection_and_is_audited(client, network):
    operator = staff("lc-op", "330302")
    staff_login(client, operator)
    response = client.get(
        reverse("kiosks_usage_export"),
        {"period": "custom", "start": "2026-04-01", "end": "2026-06-30", "division": "330302"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('kiosk-usage-20260401-20260630-330302.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert sum(row[-1] for row in sheet_rows(book, book.sheetnames[3])) == 14
    entry = ModelLogEntry.objects.get(action="kiosks.usage.exported")
    assert entry.user_id == operator.pk
    assert entry.data == {"start": "2026-04-01", "end": "2026-06-30", "division": "330302"}
