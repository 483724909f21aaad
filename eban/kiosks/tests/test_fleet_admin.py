import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from wagtail.models import ModelLogEntry

from eban.accounts.testing import staff_login
from eban.kiosks import tokens
from eban.kiosks.enums import AlertKind
from eban.kiosks.models import Alert, Heartbeat, RefusedHeartbeat, Terminal

from .fleet_factories import make_terminal, operator, with_token

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def official(client):
    user = operator("op-lc", "330302")
    staff_login(client, user)
    return user


@pytest.fixture
def fleet():
    now = timezone.now()
    return {
        "online": make_terminal(code="LC-ONLINE", last_seen_at=now - MINUTE, online=True, paper_level=90),
        "silent": make_terminal(code="LC-SILENT", last_seen_at=now - 40 * MINUTE, online=True),
        "paper": make_terminal(code="LC-PAPER", last_seen_at=now - MINUTE, online=True, paper_level=0),
        "never": make_terminal(code="LC-NEVER"),
        "elsewhere": make_terminal(code="OH-OTHER", division_code="330303", last_seen_at=now),
    }


def get(client, name, *args, **params):
    client.cookies["django_language"] = "en"
    with override("en"):
        return client.get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE="en")


def test_fleet_page_lists_counts_and_maps_the_terminals_in_scope(client, official, fleet):
    response = get(client, "kiosks_fleet")
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("LC-ONLINE", "LC-SILENT", "LC-PAPER", "LC-NEVER"):
        assert code in html
    assert "OH-OTHER" not in html
    counts = {name: count for name, _label, count in response.context["counts"]}
    assert counts == {"online": 2, "silent": 1, "out_of_paper": 1, "never": 1}
    assert response.context["total"] == 4
    kinds = {p["label"].split()[0]: p["kind"] for p in response.context["map_points"]}
    assert kinds == {"LC-NEVER": "off", "LC-ONLINE": "ok", "LC-PAPER": "warn", "LC-SILENT": "bad"}
    assert 'id="eban-map"' in html


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"status": "silent"}, {"LC-SILENT"}),
        ({"status": "never"}, {"LC-NEVER"}),
        ({"status": "out_of_paper"}, {"LC-PAPER"}),
        ({"q": "paper"}, {"LC-PAPER"}),
        ({"division": "330303"}, set()),
        ({"level": "city"}, set()),
    ],
)
def test_fleet_filters(client, official, fleet, params, codes):
    response = get(client, "kiosks_fleet", **params)
    assert {t.code for t, _kind, _label in response.context["rows"]} == codes


def test_fleet_pages_are_for_kiosk_operators_only(client, fleet):
    from eban.accounts.testing import make_staff

    staff_login(client, make_staff("clerk"))
    for name, args in (
        ("kiosks_fleet", ()),
        ("kiosks_alerts", ()),
        ("kiosks_terminal", (fleet["online"].pk,)),
    ):
        assert get(client, name, *args).status_code in (302, 403)


def test_terminal_page_shows_data_health_heartbeats_and_alerts(client, official, fleet):
    terminal = fleet["paper"]
    now = timezone.now()
    Heartbeat.objects.create(terminal=terminal, received_at=now, sent_at=now, online=True, paper_level=0,
                             printer_state="ok", camera_state="ok", software_version="9.9.9")  # fmt: skip
    Alert.objects.create(terminal=terminal, kind=AlertKind.OUT_OF_PAPER, opened_at=now)
    Alert.objects.create(terminal=terminal, kind=AlertKind.PRINTER, opened_at=now - MINUTE, closed_at=now)
    response = get(client, "kiosks_terminal", terminal.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "LC-PAPER" in html and "9.9.9" in html and "Out of paper" in html and "Printer fault" in html
    assert len(response.context["open_alerts"]) == 1 and len(response.context["past_alerts"]) == 1


def test_an_operator_cannot_see_or_change_a_terminal_of_another_division(client, official, fleet):
    other = fleet["elsewhere"]
    assert get(client, "kiosks_terminal", other.pk).status_code == 404
    assert get(client, "kiosks_terminal_edit", other.pk).status_code == 404
    response = client.post(reverse("kiosks_terminal", args=[other.pk]), {"action": "issue"})
    assert response.status_code == 404
    response = client.post(reverse("kiosks_terminal_edit", args=[other.pk]), {"name": "x"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.token_hash == "" and other.name != "x"


def test_a_new_token_is_shown_once_and_audited(client, official, fleet):
    terminal = fleet["never"]
    response = client.post(reverse("kiosks_terminal", args=[terminal.pk]), {"action": "issue"})
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("LC-NEVER.") and token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    terminal.refresh_from_db()
    assert tokens.authenticate(token).pk == terminal.pk
    assert token.rpartition(".")[2] not in terminal.token_hash
    # Not shown again.
    again = get(client, "kiosks_terminal", terminal.pk)
    assert token not in again.content.decode()
    # Rotating shows a new one; the old one stops working.
    rotated = client.post(reverse("kiosks_terminal", args=[terminal.pk]), {"action": "rotate"}).context[
        "token"
    ]
    assert rotated != token
    with pytest.raises(tokens.BadToken):
        tokens.authenticate(token)
    # Revoking.
    response = client.post(reverse("kiosks_terminal", args=[terminal.pk]), {"action": "revoke"})
    assert response.status_code == 302
    terminal.refresh_from_db()
    assert terminal.token_hash == "" and terminal.token_revoked_at is not None
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(terminal.pk))
        .order_by("pk")
        .values_list("action", "user_id")
    )
    assert actions == [
        ("kiosks.terminal.token_issued", official.pk),
        ("kiosks.terminal.token_rotated", official.pk),
        ("kiosks.terminal.token_revoked", official.pk),
    ]


def test_a_pairing_link_needs_a_token(client, official, fleet):
    terminal = fleet["never"]
    response = client.post(reverse("kiosks_terminal", args=[terminal.pk]), {"action": "pair"})
    assert response.status_code == 400
    with_token(terminal)
    response = client.post(reverse("kiosks_terminal", args=[terminal.pk]), {"action": "pair"})
    if response.status_code == 200 and response.context["pairing_url"]:  # kiosk:pair exists
        assert "/kiosk/pair/" in response.context["pairing_url"] and "<svg" in response.content.decode()
        assert ModelLogEntry.objects.filter(action="kiosks.terminal.pairing_link").count() == 1


def test_posts_need_the_csrf_token(official, fleet):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    staff_login(client, official)
    response = client.post(reverse("kiosks_terminal", args=[fleet["never"].pk]), {"action": "issue"})
    assert response.status_code == 403


def test_add_a_terminal(client, official):
    make_terminal(code="LC-EXISTING")  # the division exists
    assert get(client, "kiosks_terminal_add").status_code == 200
    form = {
        "code": "LC-NEW-1", "name": "新终端", "level": "village", "division": "330302", "address": "某村",
        "latitude": "28.01", "longitude": "120.61", "hardware": ["printer", "camera"],
        "hours_mon": "08:30-12:00, 13:30-17:30", "hours_tue": "08:30-17:00", "active": "on",
    }  # fmt: skip
    response = client.post(reverse("kiosks_terminal_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    terminal = Terminal.objects.get(code="LC-NEW-1")
    assert terminal.opening_hours["weekly"]["mon"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert terminal.hardware == ["camera", "printer"]
    assert ModelLogEntry.objects.filter(action="kiosks.terminal.created", user_id=official.pk).count() == 1


def test_add_a_terminal_shows_the_problems(client, official):
    make_terminal(code="LC-EXISTING")
    with override("en"):
        response = client.post(
            reverse("kiosks_terminal_add"),
            {"code": "bad code", "name": "", "latitude": "999", "always": "on"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 422
    assert set(response.context["errors"]) >= {"code", "name", "latitude", "level", "division", "address"}
    assert not Terminal.objects.filter(name="").exists()


def test_edit_a_terminal(client, official, fleet):
    terminal = fleet["online"]
    assert get(client, "kiosks_terminal_edit", terminal.pk).status_code == 200
    form = {
        "code": terminal.code, "name": "改过的名字", "level": terminal.level, "division": "330302",
        "address": terminal.address, "latitude": "28.1", "longitude": "120.7", "always": "on", "active": "on",
        "hardware": terminal.hardware,
    }  # fmt: skip
    response = client.post(reverse("kiosks_terminal_edit", args=[terminal.pk]), form)
    assert response.status_code == 302
    terminal.refresh_from_db()
    assert terminal.name == "改过的名字"
    entry = ModelLogEntry.objects.get(action="kiosks.terminal.changed")
    assert entry.user_id == official.pk and "name" in entry.data["fields"]


def test_alerts_page_lists_open_alerts_in_scope_newest_first(client, official, fleet):
    now = timezone.now()
    Alert.objects.create(terminal=fleet["silent"], kind=AlertKind.SILENT, opened_at=now - 10 * MINUTE)
    Alert.objects.create(terminal=fleet["paper"], kind=AlertKind.OUT_OF_PAPER, opened_at=now - MINUTE)
    Alert.objects.create(terminal=fleet["paper"], kind=AlertKind.CAMERA, opened_at=now, closed_at=now)
    Alert.objects.create(terminal=fleet["elsewhere"], kind=AlertKind.SILENT, opened_at=now)
    response = get(client, "kiosks_alerts")
    assert response.status_code == 200
    codes = [a.terminal.code for a in response.context["page"].object_list]
    assert codes == ["LC-PAPER", "LC-SILENT"]
    assert (
        get(client, "kiosks_alerts", kind="silent").context["page"].object_list[0].terminal.code
        == "LC-SILENT"
    )


def test_refused_heartbeats_page(client, official, fleet):
    now = timezone.now()
    RefusedHeartbeat.objects.create(
        received_at=now, claimed_code="LC-ONLINE", reason="mismatch", client_ip="10.0.0.1"
    )
    RefusedHeartbeat.objects.create(received_at=now, claimed_code="OH-OTHER", reason="mismatch")
    RefusedHeartbeat.objects.create(received_at=now, claimed_code="NOBODY", reason="unknown")
    response = get(client, "kiosks_refused")
    assert response.status_code == 200
    assert [r.claimed_code for r in response.context["page"].object_list] == ["LC-ONLINE"]


def test_a_platform_admin_sees_every_refusal(client, fleet):
    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff

    admin = make_staff("admin", roles=[StaffRole.PLATFORM_ADMIN])
    staff_login(client, admin)
    RefusedHeartbeat.objects.create(received_at=timezone.now(), claimed_code="NOBODY", reason="unknown")
    response = get(client, "kiosks_refused")
    assert [r.claimed_code for r in response.context["page"].object_list] == ["NOBODY"]
    assert get(client, "kiosks_fleet").context["total"] == 5


def test_menu_has_the_fleet_pages(client, official):
    html = get(client, "kiosks_fleet").content.decode()
    for name in ("kiosks_fleet", "kiosks_alerts", "kiosks_refused", "kiosks_terminal_add"):
        assert reverse(name) in html


def test_a_sample_terminal_whose_name_says_so_is_labelled_once(client, official):
    make_terminal(code="LC-SAMPLE", name="温州市民中心自助服务区1号机（样例）", is_sample=True)
    make_terminal(code="LC-PLAIN-SAMPLE", name="五马街道自助机", is_sample=True)
    html = get(client, "kiosks_fleet").content.decode()
    start = html.index("<code>LC-SAMPLE</code>")
    row = html[start : html.index("</tr>", start)]
    assert row.count("样例") == 1 and "(sample)" not in row
    start = html.index("<code>LC-PLAIN-SAMPLE</code>")
    plain = html[start : html.index("</tr>", start)]
    assert "(sample)" in plain
