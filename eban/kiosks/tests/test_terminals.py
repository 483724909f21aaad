import pytest
from django.utils.translation import override
from wagtail.models import ModelLogEntry

from eban.catalogue.testing import make_matter
from eban.core.exceptions import PermissionDenied
from eban.kiosks.actions import terminals
from eban.kiosks.models import Terminal

from .fleet_factories import make_terminal, operator, with_token

pytestmark = pytest.mark.django_db


def data(**fields):
    values = {
        "code": "WZ-LC-0100",
        "name": "五马街道便民服务中心",
        "name_en": "Wuma Street Service Centre",
        "level": "township",
        "division": "330302",
        "address": "鹿城区五马街1号",
        "latitude": "28.0215",
        "longitude": "120.6552",
        "hardware": ["printer", "id_reader", "printer"],
        "opening_hours": {"always": True},
        "matters": [],
        "active": True,
    }
    values.update(fields)
    return values


def log_actions(terminal):
    return list(
        ModelLogEntry.objects.filter(object_id=str(terminal.pk), action__startswith="kiosks.terminal.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_create_terminal_saves_and_audits():
    official = operator()
    matter = make_matter()
    terminal = terminals.create_terminal(data(matters=[matter.pk]), actor=official)
    assert terminal.code == "WZ-LC-0100" and terminal.division.code == "330302"
    assert terminal.hardware == ["id_reader", "printer"]  # known order, no repeats
    assert terminal.latitude == pytest.approx(28.0215)
    assert list(terminal.matters.all()) == [matter]
    assert log_actions(terminal) == ["kiosks.terminal.created"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "wz 1"}, "code"),
        ({"code": ""}, "code"),
        ({"name": " "}, "name"),
        ({"address": ""}, "address"),
        ({"level": "palace"}, "level"),
        ({"latitude": "91"}, "latitude"),
        ({"latitude": "nan"}, "latitude"),
        ({"longitude": "-180.5"}, "longitude"),
        ({"longitude": "east"}, "longitude"),
        ({"hardware": ["printer", "teleporter"]}, "hardware"),
        ({"opening_hours": {}}, "opening_hours"),
        ({"opening_hours": {"weekly": {"mon": [["09:00", "25:00"]]}}}, "opening_hours"),
        ({"matters": [999999]}, "matters"),
        ({"matters": ["x"]}, "matters"),
        ({"division": "999999"}, "division"),
    ],
)
def test_create_terminal_refuses_bad_input_and_writes_nothing(fields, field):
    official = operator()
    with override("en"), pytest.raises(terminals.TerminalInvalid) as caught:
        terminals.create_terminal(data(**fields), actor=official)
    assert field in caught.value.errors
    assert not Terminal.objects.exists()


def test_code_must_be_unique():
    official = operator()
    terminals.create_terminal(data(), actor=official)
    with pytest.raises(terminals.TerminalInvalid) as caught:
        terminals.create_terminal(data(), actor=official)
    assert "code" in caught.value.errors


def test_division_outside_the_scope_is_refused():
    official = operator(division_code="330302")
    make_terminal(division_code="330303")  # the division exists
    with pytest.raises(terminals.TerminalInvalid) as caught:
        terminals.create_terminal(data(division="330303"), actor=official)
    assert "division" in caught.value.errors


def test_only_kiosk_operators_may_create():
    from eban.accounts.testing import make_staff

    clerk = make_staff("clerk")
    with pytest.raises(PermissionDenied):
        terminals.create_terminal(data(), actor=clerk)


def test_update_changes_only_what_is_given_and_audits_the_fields():
    official = operator()
    terminal = terminals.create_terminal(data(), actor=official)
    updated = terminals.update_terminal(
        terminal,
        {"name": "新名字", "opening_hours": {"weekly": {"mon": [["08:30", "12:00"]]}}},
        actor=official,
    )
    assert updated.name == "新名字" and updated.address == "鹿城区五马街1号"
    assert updated.opening_hours["weekly"]["mon"] == [["08:30", "12:00"]]
    entry = ModelLogEntry.objects.filter(action="kiosks.terminal.changed").get()
    assert sorted(entry.data["fields"]) == ["name", "opening_hours"]


def test_update_with_nothing_changed_writes_no_audit_row():
    official = operator()
    terminal = terminals.create_terminal(data(), actor=official)
    terminals.update_terminal(terminal, {"name": terminal.name}, actor=official)
    assert log_actions(terminal) == ["kiosks.terminal.created"]


def test_update_is_atomic():
    official = operator()
    terminal = terminals.create_terminal(data(), actor=official)
    with pytest.raises(terminals.TerminalInvalid):
        terminals.update_terminal(terminal, {"name": "好名字", "latitude": "200"}, actor=official)
    terminal.refresh_from_db()
    assert terminal.name == "五马街道便民服务中心"


def test_an_operator_cannot_update_a_terminal_of_another_division():
    official = operator(division_code="330302")
    other = make_terminal(division_code="330303")
    with pytest.raises(PermissionDenied):
        terminals.update_terminal(other, {"name": "hijacked"}, actor=official)
    other.refresh_from_db()
    assert other.name != "hijacked"


def test_the_code_of_a_terminal_with_a_token_is_kept():
    official = operator()
    terminal = terminals.create_terminal(data(), actor=official)
    with_token(terminal)
    with pytest.raises(terminals.TerminalInvalid) as caught:
        terminals.update_terminal(terminal, {"code": "WZ-LC-0999"}, actor=official)
    assert "code" in caught.value.errors
