"""The citizen's account pages: profile, authorisations (proxies), enterprises and their agents.
Every id in a URL belongs to the signed-in person, or the page answers 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eban.accounts import actions
from eban.accounts.models import EnterpriseAgent, ProxyAuthorisation
from eban.catalogue.testing import make_matter

from . import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def english_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def person(name: str, phone: str):
    citizen = factories.citizen(name, phone=phone)
    actions.account_for(citizen)
    return citizen


@pytest.fixture
def world():
    """Two citizens with accounts, each with a proxy given, a firm and an agent of the firm."""
    matter = make_matter(name="老年人优待证办理")
    other_matter = make_matter(name="户籍证明开具")
    alice = person("张三", "13800000001")
    bob = person("李四", "13800000002")
    relative = factories.citizen("张小三")
    alice_proxy = actions.authorise_proxy(
        alice,
        proxy_name=relative.name,
        proxy_id_number=relative.id_number,
        relationship="child",
        valid_from=TODAY,
        valid_until=NEXT_YEAR,
        matters=[matter],
        actor=alice.user,
    )
    bob_proxy = actions.authorise_proxy(
        bob,
        proxy_name=relative.name,
        proxy_id_number=relative.id_number,
        relationship="sibling",
        valid_from=TODAY,
        valid_until=NEXT_YEAR,
        matters=[other_matter],
        actor=bob.user,
    )
    alice_firm = actions.register_enterprise(
        credit_code=factories.credit_code(),
        name="温州张氏贸易有限公司",
        legal_representative=alice,
        actor=None,
    )
    bob_firm = actions.register_enterprise(
        credit_code=factories.credit_code(), name="温州李氏科技有限公司", legal_representative=bob, actor=None
    )
    clerk = person("王五", "13800000003")
    bob_agent = actions.authorise_agent(
        bob_firm,
        by=bob,
        agent_name=clerk.name,
        agent_id_number=clerk.id_number,
        valid_from=TODAY,
        valid_until=NEXT_YEAR,
        all_matters=True,
        actor=bob.user,
    )
    return {
        "matter": matter,
        "other_matter": other_matter,
        "alice": alice,
        "bob": bob,
        "relative": relative,
        "clerk": clerk,
        "alice_proxy": alice_proxy,
        "bob_proxy": bob_proxy,
        "alice_firm": alice_firm,
        "bob_firm": bob_firm,
        "bob_agent": bob_agent,
    }


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# --- who may see the pages ---------------------------------------------------------------------

PAGES = ["accounts:profile", "accounts:proxies", "accounts:proxy_new", "accounts:enterprises"]


@pytest.mark.parametrize("name", PAGES)
def test_account_pages_send_a_visitor_to_the_sign_in_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in") + "?next=")


def test_an_account_that_is_not_a_citizens_is_sent_to_the_sign_in_page(staff_user):
    response = english_client(staff_user).get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign_in"))


def test_the_pages_with_an_id_send_a_visitor_to_the_sign_in_page(client, world):
    for url in (
        reverse("accounts:proxy", args=[world["alice_proxy"].pk]),
        reverse("accounts:enterprise", args=[world["alice_firm"].pk]),
        reverse("accounts:agent", args=[world["bob_firm"].pk, world["bob_agent"].pk]),
    ):
        assert client.get(url).status_code == 302


# --- profile -----------------------------------------------------------------------------------


def test_profile_shows_my_details_masked(world):
    alice = world["alice"]
    html = english_client(alice.user).get(reverse("accounts:profile")).content.decode()
    assert alice.masked_id_number in html and alice.id_number not in html
    assert "138****0001" in html and "13800000001" not in html
    assert "张*" in html and "张三" not in html
    assert alice.birth_date.strftime("%Y-%m-%d") in html


def test_profile_shows_the_household_division_and_verification(world):
    alice = world["alice"]
    alice.household_division = factories.division()
    alice.save()
    actions.mark_verified(alice, "sms")
    html = english_client(alice.user).get(reverse("accounts:profile")).content.decode()
    assert "鹿城区" in html
    assert "Mobile phone and SMS code" in html


# --- proxies -----------------------------------------------------------------------------------


def test_proxies_page_lists_the_authorisations_i_gave_and_hold(world):
    html = english_client(world["alice"].user).get(reverse("accounts:proxies")).content.decode()
    given = html.split('data-testid="proxies-given"')[1].split("</table>")[0]
    assert "张**" in given and "老年人优待证办理" in given
    assert "户籍证明开具" not in html  # Bob's grant is not Alice's business


def test_the_authorised_relative_sees_both_grants_they_hold(world):
    relative = world["relative"]
    actions.account_for(relative)
    html = english_client(relative.user).get(reverse("accounts:proxies")).content.decode()
    held = html.split('data-testid="proxies-held"')[1].split("</table>")[0]
    assert "张*" in held and "李*" in held


def test_another_persons_authorisation_answers_404(world):
    client = english_client(world["alice"].user)
    bob_proxy = world["bob_proxy"]
    assert client.get(reverse("accounts:proxy", args=[bob_proxy.pk])).status_code == 404
    response = client.post(reverse("accounts:proxy_revoke", args=[bob_proxy.pk]), {"reason": "mine now"})
    assert response.status_code == 404
    bob_proxy.refresh_from_db()
    assert bob_proxy.revoked_at is None


def test_an_unknown_authorisation_answers_404(world):
    client = english_client(world["alice"].user)
    assert client.get(reverse("accounts:proxy", args=[999999])).status_code == 404


def test_i_can_revoke_an_authorisation_i_gave_with_a_reason(world):
    grant = world["alice_proxy"]
    client = english_client(world["alice"].user)
    assert client.get(reverse("accounts:proxy", args=[grant.pk])).status_code == 200
    response = client.post(reverse("accounts:proxy_revoke", args=[grant.pk]), {"reason": "no longer needed"})
    assert response.status_code == 302 and response.url == reverse("accounts:proxies")
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_reason == "no longer needed"


def test_revoking_needs_a_reason(world):
    grant = world["alice_proxy"]
    response = english_client(world["alice"].user).post(reverse("accounts:proxy_revoke", args=[grant.pk]), {})
    assert response.status_code == 400
    assert "Please give a reason." in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_revoking_is_a_post(world):
    grant = world["alice_proxy"]
    assert (
        english_client(world["alice"].user).get(reverse("accounts:proxy_revoke", args=[grant.pk])).status_code
        == 405
    )


def test_the_authorised_person_can_step_down(world):
    relative = world["relative"]
    actions.account_for(relative)
    grant = world["bob_proxy"]
    response = english_client(relative.user).post(
        reverse("accounts:proxy_revoke", args=[grant.pk]), {"reason": "busy"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def proxy_form(world, **changes) -> dict:
    spouse = world.setdefault("spouse", factories.citizen("张太太", male=False))
    data = {
        "proxy_name": spouse.name,
        "proxy_id_number": spouse.id_number,
        "relationship": "spouse",
        "matters": [world["matter"].pk],
        "valid_from": TODAY.isoformat(),
        "valid_until": NEXT_YEAR.isoformat(),
        "authorise": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_i_can_authorise_a_relative_for_chosen_matters(world):
    client = english_client(world["alice"].user)
    assert client.get(reverse("accounts:proxy_new")).status_code == 200
    response = client.post(reverse("accounts:proxy_new"), proxy_form(world))
    assert response.status_code == 302 and response.url == reverse("accounts:proxies")
    grant = ProxyAuthorisation.objects.get(principal=world["alice"], proxy=world["spouse"])
    assert list(grant.matters.all()) == [world["matter"]] and not grant.all_matters


def test_the_matter_search_keeps_what_was_typed_and_offers_matters_to_tick(world):
    client = english_client(world["alice"].user)
    data = proxy_form(world, matters=None, authorise=None, find_matters="1", matter_q="优待证")
    response = client.post(reverse("accounts:proxy_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    found = html.split('data-testid="found-matters"')[1].split("</ul>")[0]
    assert f'value="{world["matter"].pk}"' in found
    assert "户籍证明开具" not in found
    assert f'value="{world["spouse"].name}"' in html  # the name typed is kept
    assert "Please check what you entered" not in html  # searching is not submitting
    assert not ProxyAuthorisation.objects.filter(proxy=world["spouse"]).exists()


def test_ticked_matters_stay_chosen_across_searches(world):
    client = english_client(world["alice"].user)
    data = proxy_form(world, authorise=None, find_matters="1", matter_q="户籍")
    html = client.post(reverse("accounts:proxy_new"), data).content.decode()
    chosen = html.split('data-testid="chosen-matters"')[1].split("</ul>")[0]
    assert f'value="{world["matter"].pk}" checked' in chosen


def test_all_matters_may_be_given_to_a_spouse_for_a_year(world):
    client = english_client(world["alice"].user)
    response = client.post(reverse("accounts:proxy_new"), proxy_form(world, matters=None, all_matters="on"))
    assert response.status_code == 302
    assert ProxyAuthorisation.objects.get(proxy=world["spouse"]).all_matters


def test_all_matters_is_refused_for_other_relatives(world):
    client = english_client(world["alice"].user)
    data = proxy_form(world, matters=None, all_matters="on", relationship="sibling")
    response = client.post(reverse("accounts:proxy_new"), data)
    assert response.status_code == 400
    assert "spouse, a parent or a child only" in response.content.decode()
    assert not ProxyAuthorisation.objects.filter(proxy=world["spouse"]).exists()


def test_all_matters_is_refused_for_more_than_a_year(world):
    client = english_client(world["alice"].user)
    until = (TODAY + datetime.timedelta(days=800)).isoformat()
    data = proxy_form(world, matters=None, all_matters="on", valid_until=until)
    response = client.post(reverse("accounts:proxy_new"), data)
    assert response.status_code == 400
    assert "at most one year" in response.content.decode()


def test_an_authorisation_needs_matters(world):
    response = english_client(world["alice"].user).post(
        reverse("accounts:proxy_new"), proxy_form(world, matters=None)
    )
    assert response.status_code == 400
    assert "Choose at least one matter" in response.content.decode()


def test_a_matter_that_is_not_live_cannot_be_chosen(world):
    hidden = make_matter(name="草稿事项", live=False)
    response = english_client(world["alice"].user).post(
        reverse("accounts:proxy_new"), proxy_form(world, matters=[hidden.pk])
    )
    assert response.status_code == 400
    assert not ProxyAuthorisation.objects.filter(proxy=world["spouse"]).exists()


def test_a_wrong_name_for_a_known_id_number_is_refused(world):
    data = proxy_form(world, proxy_name="错名字")
    response = english_client(world["alice"].user).post(reverse("accounts:proxy_new"), data)
    assert response.status_code == 400
    assert "does not match" in response.content.decode()


def test_the_authorisation_form_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alice"].user)
    assert client.post(reverse("accounts:proxy_new"), proxy_form(world)).status_code == 403
    token = csrf_token_from(client.get(reverse("accounts:proxy_new")).content.decode())
    response = client.post(reverse("accounts:proxy_new"), {**proxy_form(world), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_revoking_needs_the_csrf_token(world):
    grant = world["alice_proxy"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alice"].user)
    assert client.post(reverse("accounts:proxy_revoke", args=[grant.pk]), {"reason": "x"}).status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_at is None


# --- enterprises -------------------------------------------------------------------------------


def test_enterprises_page_lists_only_my_firms(world):
    html = english_client(world["alice"].user).get(reverse("accounts:enterprises")).content.decode()
    assert "温州张氏贸易有限公司" in html
    assert "温州李氏科技有限公司" not in html
    assert "Legal representative" in html


def test_another_persons_firm_answers_404_on_every_page(world):
    client = english_client(world["alice"].user)
    bob_firm, bob_agent, alice_firm = world["bob_firm"], world["bob_agent"], world["alice_firm"]
    for url in (
        reverse("accounts:enterprise", args=[bob_firm.pk]),
        reverse("accounts:agent_new", args=[bob_firm.pk]),
        reverse("accounts:agent", args=[bob_firm.pk, bob_agent.pk]),
        reverse("accounts:agent", args=[alice_firm.pk, bob_agent.pk]),  # my firm, their grant
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("accounts:agent_revoke", args=[bob_firm.pk, bob_agent.pk]),
        reverse("accounts:agent_revoke", args=[alice_firm.pk, bob_agent.pk]),
    ):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    bob_agent.refresh_from_db()
    assert bob_agent.revoked_at is None


def test_the_legal_representative_sees_and_adds_agents(world):
    alice, firm = world["alice"], world["alice_firm"]
    client = english_client(alice.user)
    helper = factories.citizen("钱七")
    response = client.post(
        reverse("accounts:agent_new", args=[firm.pk]),
        {
            "agent_name": helper.name,
            "agent_id_number": helper.id_number,
            "all_matters": "on",
            "valid_from": TODAY.isoformat(),
            "valid_until": NEXT_YEAR.isoformat(),
        },
    )
    assert response.status_code == 302 and response.url == reverse("accounts:enterprise", args=[firm.pk])
    grant = EnterpriseAgent.objects.get(enterprise=firm, agent=helper)
    assert grant.all_matters and grant.granted_by == alice
    html = client.get(reverse("accounts:enterprise", args=[firm.pk])).content.decode()
    assert "钱*" in html and 'data-testid="agents"' in html


def test_the_legal_representative_revokes_an_agent(world):
    bob, firm, grant = world["bob"], world["bob_firm"], world["bob_agent"]
    client = english_client(bob.user)
    assert client.get(reverse("accounts:agent", args=[firm.pk, grant.pk])).status_code == 200
    response = client.post(
        reverse("accounts:agent_revoke", args=[firm.pk, grant.pk]), {"reason": "left the firm"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_reason == "left the firm"


def test_an_agent_sees_the_scope_and_expiry_but_not_the_other_agents(world):
    clerk, firm = world["clerk"], world["bob_firm"]
    client = english_client(clerk.user)
    html = client.get(reverse("accounts:enterprises")).content.decode()
    assert "温州李氏科技有限公司" in html and f"Agent until {NEXT_YEAR:%Y-%m-%d}" in html
    html = client.get(reverse("accounts:enterprise", args=[firm.pk])).content.decode()
    assert 'data-testid="my-agency"' in html and "All matters" in html
    assert 'data-testid="agents"' not in html and 'data-testid="agent-new"' not in html
    assert client.get(reverse("accounts:agent_new", args=[firm.pk])).status_code == 404


def test_an_agent_can_step_down(world):
    clerk, firm, grant = world["clerk"], world["bob_firm"], world["bob_agent"]
    client = english_client(clerk.user)
    response = client.post(reverse("accounts:agent_revoke", args=[firm.pk, grant.pk]), {"reason": "new job"})
    assert response.status_code == 302 and response.url == reverse("accounts:enterprises")
    assert client.get(reverse("accounts:enterprise", args=[firm.pk])).status_code == 404


def test_an_agent_cannot_open_another_agents_grant(world):
    bob, firm = world["bob"], world["bob_firm"]
    other = person("孙八", "13800000004")
    other_grant = actions.authorise_agent(
        firm,
        by=bob,
        agent_name=other.name,
        agent_id_number=other.id_number,
        valid_from=TODAY,
        valid_until=NEXT_YEAR,
        all_matters=True,
        actor=bob.user,
    )
    client = english_client(world["clerk"].user)
    assert client.get(reverse("accounts:agent", args=[firm.pk, other_grant.pk])).status_code == 404
