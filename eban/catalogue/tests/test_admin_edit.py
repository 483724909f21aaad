"""Editing a matter in the back office: the model's validation reaches the form."""

import pytest

from eban.catalogue.models import Matter
from eban.catalogue.testing import make_department

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/catalogue/matter/add/"


def form_data(**overrides):
    data = {
        "code": "330300-MZ-9001",
        "name": "测试事项",
        "name_en": "",
        "short_name": "",
        "aliases": "",
        "keywords": "",
        "summary": "",
        "category": "certificate",
        "audience": "person",
        "department": str(make_department().pk),
        "channel_online": "on",
        "trips": "0",
        "on_the_spot": "on",
        "statutory_days": "",
        "promised_days": "",
        "fee_free": "on",
        "fee_amount": "",
        "fee_basis": "",
        "place": "",
        "hours": "",
        "consult_phone": "",
        "complaint_phone": "",
    }
    for stream in ("legal_basis", "conditions", "materials", "process", "faq"):
        data[f"{stream}-count"] = "0"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_valid_matter_is_saved_as_a_draft(admin_client):
    response = admin_client.post(ADD, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get(code="330300-MZ-9001")
    assert matter.live is False  # drafted; published after review


def test_a_fee_without_amount_is_refused_with_the_field_named(admin_client):
    response = admin_client.post(ADD, form_data(fee_free=None))
    assert response.status_code == 200
    assert not Matter.objects.filter(code="330300-MZ-9001").exists()
    errors = response.context["form"].errors
    assert "fee_amount" in errors


def test_promised_days_beyond_statutory_days_is_refused(admin_client):
    response = admin_client.post(ADD, form_data(on_the_spot=None, statutory_days="10", promised_days="15"))
    assert response.status_code == 200
    assert "promised_days" in response.context["form"].errors
    assert not Matter.objects.filter(code="330300-MZ-9001").exists()
