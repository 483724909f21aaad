"""Applying at a service window: an official enters the application of a citizen in front of them."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from eban.accounts.models import Citizen
from eban.accounts.testing import staff_login
from eban.accounts.tests import factories
from eban.applications.models import Application
from eban.applications.setups import save_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(matter):
    return save_setup(matter, actor=None)


def test_a_reviewer_enters_an_application_for_a_citizen_verified_at_the_counter(client, reviewer, setup):
    staff_login(client, reviewer)
    number = factories.id_number()
    response = client.post(
        reverse("applications_window"), {"matter": setup.matter.code, "name": "王阿公", "id_number": number}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    citizen = Citizen.objects.get_by_id_number(number)
    assert application.channel == "window" and application.citizen == citizen
    assert citizen.verification_method == "counter"
    entry = ModelLogEntry.objects.get(action="applications.application.submit")
    assert entry.user == reviewer and number not in str(entry.data)


def test_a_bad_id_number_is_refused_and_nothing_is_saved(client, reviewer, setup):
    staff_login(client, reviewer)
    response = client.post(
        reverse("applications_window"), {"matter": setup.matter.code, "name": "王阿公", "id_number": "123"}
    )
    assert response.status_code == 400 and not Application.objects.exists() and not Citizen.objects.exists()


def test_an_official_of_another_department_cannot_apply_for_its_matters(client, outsider, setup):
    staff_login(client, outsider)
    response = client.post(
        reverse("applications_window"),
        {"matter": setup.matter.code, "name": "王阿公", "id_number": factories.id_number()},
    )
    assert response.status_code == 400 and not Application.objects.exists()
