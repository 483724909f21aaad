"""Issuing and revoking a terminal's token (eban.kiosks.actions.tokens): only a kiosk operator
whose scope holds the terminal's division, or the platform itself (SYSTEM), may."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import ModelLogEntry

from eban.accounts.testing import make_staff
from eban.core.exceptions import PermissionDenied
from eban.kiosks import tokens
from eban.kiosks.actions import SYSTEM
from eban.kiosks.actions import tokens as token_actions
from eban.kiosks.models import Terminal

from .fleet_factories import make_terminal, operator, with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def lucheng_terminal():
    return make_terminal(code="WZ-LC-0001", division_code="330302")


@pytest.fixture
def ruian_operator():
    """An operator of another county (瑞安市)."""
    return operator("ruian-op", division_code="330381")


def test_an_operator_issues_rotates_and_revokes_a_token_of_their_division(lucheng_terminal):
    own = operator("lucheng-op", division_code="330302")
    token = token_actions.issue_token(lucheng_terminal, actor=own)
    assert tokens.authenticate(token).pk == lucheng_terminal.pk
    rotated = token_actions.issue_token(lucheng_terminal, actor=own)
    with pytest.raises(tokens.BadToken):
        tokens.authenticate(token)
    token_actions.revoke_token(lucheng_terminal, actor=own)
    with pytest.raises(tokens.BadToken):
        tokens.authenticate(rotated)
    actions = list(
        ModelLogEntry.objects.filter(action__startswith="kiosks.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "kiosks.terminal.token_issued",
        "kiosks.terminal.token_rotated",
        "kiosks.terminal.token_revoked",
    ]


def test_an_operator_of_another_county_cannot_issue_a_token(lucheng_terminal, ruian_operator):
    with pytest.raises(PermissionDenied):
        token_actions.issue_token(lucheng_terminal, actor=ruian_operator)
    lucheng_terminal.refresh_from_db()
    assert lucheng_terminal.token_hash == "" and lucheng_terminal.token_issued_at is None
    assert not ModelLogEntry.objects.filter(action__startswith="kiosks.terminal.token").exists()


def test_an_operator_of_another_county_cannot_rotate_away_a_working_token(lucheng_terminal, ruian_operator):
    token = with_token(lucheng_terminal)
    with pytest.raises(PermissionDenied):
        token_actions.issue_token(lucheng_terminal, actor=ruian_operator)
    assert tokens.authenticate(token).pk == lucheng_terminal.pk  # still works


def test_an_operator_of_another_county_cannot_revoke(lucheng_terminal, ruian_operator):
    token = with_token(lucheng_terminal)
    with pytest.raises(PermissionDenied):
        token_actions.revoke_token(lucheng_terminal, actor=ruian_operator)
    assert tokens.authenticate(token).pk == lucheng_terminal.pk
    assert not ModelLogEntry.objects.filter(action="kiosks.terminal.token_revoked").exists()


def test_an_operator_of_another_county_cannot_make_a_pairing_link(lucheng_terminal, ruian_operator):
    with_token(lucheng_terminal)
    with pytest.raises(PermissionDenied):
        token_actions.make_pairing_link(lucheng_terminal, actor=ruian_operator)


@pytest.mark.parametrize("who", ["clerk", "anonymous", "nobody", "inactive"])
def test_no_one_else_may_issue_or_revoke(lucheng_terminal, who):
    if who == "clerk":  # staff of the right division, but not a kiosk operator
        actor = make_staff("clerk")
    elif who == "anonymous":
        actor = AnonymousUser()
    elif who == "inactive":
        actor = operator("gone", division_code="330302")
        actor.is_active = False
        actor.save()
    else:
        actor = None  # not SYSTEM: forgetting the actor is not a pass
    token = with_token(lucheng_terminal)
    with pytest.raises(PermissionDenied):
        token_actions.issue_token(lucheng_terminal, actor=actor)
    with pytest.raises(PermissionDenied):
        token_actions.revoke_token(lucheng_terminal, actor=actor)
    assert tokens.authenticate(token).pk == lucheng_terminal.pk


def test_the_scope_is_read_from_the_database_not_from_the_object_passed(lucheng_terminal, ruian_operator):
    """A forged Terminal object naming the Ruian operator's division does not pass the check."""
    forged = Terminal.objects.get(pk=lucheng_terminal.pk)
    forged.division = ruian_operator.staff_profile.divisions.first()
    with pytest.raises(PermissionDenied):
        token_actions.issue_token(forged, actor=ruian_operator)


def test_the_platform_itself_may_issue(lucheng_terminal):
    token = token_actions.issue_token(lucheng_terminal, actor=SYSTEM)
    assert tokens.authenticate(token).pk == lucheng_terminal.pk
