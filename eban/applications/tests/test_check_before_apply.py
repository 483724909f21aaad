"""Check before you apply: a signed-in person who does not qualify is told why and from when,
on the form and on the guide, and no case is created; who insists still applies and gets the
formal decision."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from eban.applications import eligibility
from eban.applications.models import Application, MatterSetup

pytestmark = pytest.mark.django_db

SENIOR_CARD = "330300-MZ-0001"


@pytest.fixture
def senior_card(department, county):
    from eban.catalogue.testing import make_matter
    from eban.rules.samples import ensure_sample_rules

    ensure_sample_rules()
    matter = make_matter(
        code=SENIOR_CARD, name="老年人优待证办理", department=department, on_the_spot=True, channel_kiosk=True
    )
    setup = MatterSetup.objects.create(matter=matter, instant=True, rule_code="senior-card", accepting=True)
    return setup


def person(name, birth, division="330302"):
    from eban.accounts import actions
    from eban.accounts.tests.factories import citizen

    someone = citizen(name, birth=birth, household_division_code=division)
    actions.account_for(someone)
    return someone


@pytest.fixture
def neighbour(county):
    return person("陈阿婆", datetime.date(1967, 11, 8))  # 59 on 2026-12-07


@pytest.fixture
def villager(county):
    return person("王阿公", datetime.date(1964, 3, 15))  # 62


@pytest.fixture
def today(clock):
    clock.set("2026-12-07")
    return datetime.date(2026, 12, 7)


def english(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the check itself ---------------------------------------------------------------------------


def test_the_59_year_old_does_not_qualify_today_but_on_her_60th_birthday(senior_card, neighbour, today):
    checked = eligibility.check(senior_card, neighbour)
    assert not checked.passed and checked.qualifies_later
    assert checked.from_day == datetime.date(2027, 11, 8)
    assert [c.key for c in checked.failed] == ["age"]


def test_the_62_year_old_qualifies_today(senior_card, villager, today):
    checked = eligibility.check(senior_card, villager)
    assert checked.passed and checked.from_day == today and not checked.qualifies_later


def test_someone_registered_elsewhere_never_qualifies_on_current_records(senior_card, today, city):
    from eban.catalogue.testing import make_division
    from eban.government.models import DivisionLevel

    make_division("110101", "东城区", DivisionLevel.COUNTY)
    visitor = person("赵先生", datetime.date(1950, 1, 1), division="110101")
    checked = eligibility.check(senior_card, visitor)
    assert not checked.passed and checked.from_day is None and not checked.qualifies_later
    assert [c.key for c in checked.failed] == ["household"]


def test_a_matter_without_rules_has_nothing_to_check(department, neighbour, today):
    from eban.catalogue.testing import make_matter

    setup = MatterSetup.objects.create(matter=make_matter(department=department), accepting=True)
    assert eligibility.check(setup, neighbour) is None


# --- the pages ----------------------------------------------------------------------------------


def test_the_form_first_tells_the_59_year_old_why_and_when_and_creates_no_case(
    client, senior_card, neighbour, today
):
    english(client, neighbour.user)
    response = client.get(reverse("applications:new", args=[SENIOR_CARD]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="check-panel"' in page and 'data-check="later"' in page
    assert "You can apply from <strong>2027-11-08</strong>" in page
    assert "Aged 60 or over" in page and "from your 60th birthday" in page  # why, and the advice
    assert f'href="{reverse("applications:new", args=[SENIOR_CARD])}?anyway=1"' in page
    assert 'data-testid="submit-application"' not in page  # the form waits for "apply anyway"
    assert not Application.objects.exists()


def test_the_check_page_and_the_guide_panel_say_the_same(client, senior_card, neighbour, today):
    english(client, neighbour.user)
    url = reverse("applications:check", args=[SENIOR_CARD])
    page = client.get(url).content.decode()
    assert "<h1>" in page and "2027-11-08" in page
    panel = client.get(url, {"part": "panel"}).content.decode()
    assert "<html" not in panel and 'data-testid="check-panel"' in panel and "2027-11-08" in panel
    assert not Application.objects.exists()


def test_who_qualifies_goes_straight_to_the_form(client, senior_card, villager, today):
    english(client, villager.user)
    page = client.get(reverse("applications:new", args=[SENIOR_CARD])).content.decode()
    assert 'data-testid="submit-application"' in page and 'data-testid="check-panel"' not in page
    panel = client.get(reverse("applications:check", args=[SENIOR_CARD]), {"part": "panel"}).content.decode()
    assert 'data-check="passed"' in panel


def test_who_never_qualifies_is_told_why_without_a_date(client, senior_card, today, city):
    from eban.catalogue.testing import make_division
    from eban.government.models import DivisionLevel

    make_division("110101", "东城区", DivisionLevel.COUNTY)
    visitor = person("赵先生", datetime.date(1950, 1, 1), division="110101")
    english(client, visitor.user)
    page = client.get(reverse("applications:new", args=[SENIOR_CARD])).content.decode()
    assert 'data-check="not-met"' in page and "Household registration in Wenzhou" in page
    assert 'data-testid="check-when"' not in page


def test_who_insists_applies_anyway_and_gets_the_formal_refusal(client, senior_card, neighbour, today):
    english(client, neighbour.user)
    url = reverse("applications:new", args=[SENIOR_CARD])
    form = client.get(url, {"anyway": "1"}).content.decode()
    assert 'data-testid="submit-application"' in form and 'data-testid="apply-anyway-notice"' in form
    assert "2027-11-08" in form
    response = client.post(url, {})
    assert response.status_code == 302
    application = Application.objects.get(citizen=neighbour)
    assert application.decision.outcome == "rejected" and application.decision.appeal_route


def test_the_check_is_for_signed_in_citizens_only(client, senior_card):
    response = client.get(reverse("applications:check", args=[SENIOR_CARD]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_guide_has_the_check_slot_for_a_citizen_only(client, senior_card, neighbour, today):
    guide = reverse("catalogue:guide", args=[SENIOR_CARD])
    assert 'data-testid="check-slot"' not in client.get(guide).content.decode()
    english(client, neighbour.user)
    page = client.get(guide).content.decode()
    assert 'data-testid="check-slot"' in page
    assert f"{reverse('applications:check', args=[SENIOR_CARD])}?part=panel" in page
