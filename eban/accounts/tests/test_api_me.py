"""GET /api/v1/me and /api/v1/me/proxies: the signed-in citizen's own records, masked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from eban.accounts import actions
from eban.catalogue.testing import make_matter

from . import factories

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = timezone.localdate()


def person(name: str, phone: str):
    citizen = factories.citizen(name, phone=phone)
    actions.account_for(citizen)
    return citizen


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/me/proxies"])
def test_not_signed_in_answers_401_in_the_error_shape(client, path):
    response = client.get(path, **EN)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "not_signed_in", "message": "Sign in first."}}


def test_an_account_that_is_not_a_citizens_answers_403(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/api/v1/me", **EN)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Sign in with your real-name account first."


def test_me_answers_the_masked_profile(client):
    citizen = person("张三", "13812345678")
    citizen.household_division = factories.division()
    citizen.save()
    client.force_login(citizen.user)
    response = client.get("/api/v1/me", **EN)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "张*"
    assert body["id_number"] == citizen.masked_id_number and "*" in body["id_number"]
    assert body["phone"] == "138****5678"
    assert body["birth_date"] == citizen.birth_date.isoformat()
    assert body["sex"] == "male"
    assert body["household_division"] == {"code": "330302", "name": "鹿城区"}
    assert citizen.id_number not in response.content.decode()
    assert "13812345678" not in response.content.decode()


def test_my_proxies_lists_the_grants_given_and_held_and_no_one_elses(client):
    matter = make_matter(name="老年人优待证办理")
    alice, bob = person("张三", "13800000001"), person("李四", "13800000002")
    relative = factories.citizen("张小三")
    given = actions.authorise_proxy(
        alice,
        proxy_name=relative.name,
        proxy_id_number=relative.id_number,
        relationship="child",
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
        matters=[matter],
        actor=alice.user,
    )
    held = actions.authorise_proxy(
        bob,
        proxy_name=alice.name,
        proxy_id_number=alice.id_number,
        relationship="sibling",
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
        matters=[matter],
        actor=bob.user,
    )
    actions.authorise_proxy(  # between two others: not Alice's
        bob,
        proxy_name=relative.name,
        proxy_id_number=relative.id_number,
        relationship="relative",
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
        matters=[matter],
        actor=bob.user,
    )
    client.force_login(alice.user)
    body = client.get("/api/v1/me/proxies", **EN).json()
    assert [g["id"] for g in body["given"]] == [given.pk]
    assert [g["id"] for g in body["held"]] == [held.pk]
    first = body["given"][0]
    assert first["proxy"] == "张**" and first["principal"] == "张*"
    assert first["relationship"] == "child" and first["in_force"] is True
    assert first["matters"] == [{"code": matter.code, "name": "老年人优待证办理"}]
    assert body["held"][0]["principal"] == "李*"
