"""The demo's sample people: printed with who each is and what for, and a first sign-in that
works end to end with the demo's simulated real-person check (sample identities only)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from eban.accounts import actions
from eban.accounts.models import Citizen
from eban.demo import realperson
from eban.demo.identities import sample_citizens, sample_people_lines
from eban.notifications import sms

pytestmark = pytest.mark.django_db


def test_the_printed_people_say_who_each_is_what_for_and_how_to_sign_in():
    lines = "\n".join(sample_people_lines("http://127.0.0.1:8000", datetime.date(2026, 12, 7)))
    assert "INVENTED sample data" in lines and "/account/sign-in/" in lines
    for person in sample_citizens():
        row = next(line for line in lines.splitlines() if person["id_number"] in line)
        assert person["name"] in row and person["phone"] in row and person["for_en"] in row
    villager = next(line for line in lines.splitlines() if "33032419640315003X" in line)
    neighbour = next(line for line in lines.splitlines() if "陈阿婆" in line)
    assert "62岁" in villager and "59岁" in neighbour


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    settings.EBAN_REAL_PERSON_VERIFIER = realperson.PATH
    sms.outbox.clear()
    return settings


def _first_sign_in(client, phone, name, id_number):
    client.post(reverse("accounts:sign_in"), {"phone": phone})
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", [m for m in sms.outbox if m.to == phone][-1].text).group(1)
    assert client.post(reverse("accounts:sign_in_code"), {"code": code}).url == reverse(
        "accounts:sign_in_real_name"
    )
    return client.post(
        reverse("accounts:sign_in_real_name"), {"name": name, "id_number": id_number, "confirm": "on"}
    )


def test_a_sample_person_signs_in_for_the_first_time_as_the_printout_says(demo_settings):
    row = sample_citizens()[0]
    actions.register_citizen(
        actions.CitizenInput(name=row["name"], id_number=row["id_number"], phone=row["phone"]), is_sample=True
    )
    response = _first_sign_in(Client(), row["phone"], row["name"], row["id_number"])
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    assert Citizen.objects.get_by_id_number(row["id_number"]).user_id


def test_the_demo_check_confirms_no_one_but_the_sample_people(demo_settings):
    from eban.accounts.tests.factories import id_number

    number = id_number()
    response = _first_sign_in(Client(), "17000000099", "李四", number)
    assert response.status_code == 403
    assert not Citizen.objects.with_id_number(number).exists()


def test_the_demo_check_answers_nothing_outside_debug(settings):
    settings.DEBUG = False
    from eban.accounts.identity.realperson import ServiceUnavailable

    row = sample_citizens()[0]
    with pytest.raises(ServiceUnavailable):
        realperson.SampleIdentities().verify(name=row["name"], id_number=row["id_number"], live_image=b"")
