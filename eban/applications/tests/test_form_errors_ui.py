"""Form errors in GOV.UK's pattern, on the web and the kiosk: a summary titled "There is a problem"
at the top linking to each field's id, the message next to the field, aria-invalid and
aria-describedby on the control, "Error:" at the start of the page title."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from eban.applications.models import Application, MatterSetup

pytestmark = pytest.mark.django_db

FORM = {
    "type": "object",
    "properties": {
        "purpose": {
            "type": "string",
            "title": {"zh-hans": "用途", "en": "Purpose"},
            "description": {"zh-hans": "写明用途", "en": "What it is for"},
            "maxLength": 50,
        },
        "members": {"type": "integer", "title": {"zh-hans": "会员人数", "en": "Members"}, "minimum": 1},
    },
    "required": ["purpose", "members"],
}


def material(name, source="applicant"):
    value = {"name": name, "form": "original", "copies": 1, "required": True, "source": source, "note": ""}
    return {"type": "material", "value": value}


@pytest.fixture
def form_matter(department):
    from eban.catalogue.testing import make_matter

    matter = make_matter(department=department, name="社会团体成立登记", on_the_spot=False, promised_days=10,
                         statutory_days=20, channel_kiosk=True)  # fmt: skip
    MatterSetup.objects.create(matter=matter, form_schema=FORM, accepting=True)
    return matter


@pytest.fixture
def upload_matter(department):
    from eban.catalogue.testing import make_matter

    matter = make_matter(department=department, name="社会团体变更登记", on_the_spot=False, promised_days=10,
                         statutory_days=20, materials=[material("居民身份证", "shared"), material("章程")])  # fmt: skip
    MatterSetup.objects.create(matter=matter, form_schema={}, accepting=True)
    return matter


def english(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def tag(page: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', page)
    assert match, f"no control with id {element_id}"
    return match.group(0)


def test_the_web_form_shows_a_linked_error_summary_and_marks_each_field(client, form_matter, applicant):
    english(client, applicant.user)
    response = client.post(
        reverse("applications:new", args=[form_matter.code]), {"purpose": "", "members": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Application.objects.exists()
    assert re.search(r"<title>\s*Error: Apply", page)
    summary = page[
        page.index('data-testid="error-summary"') : page.index("</ul>", page.index("error-summary"))
    ]
    assert "There is a problem" in summary
    assert 'href="#f-purpose"' in summary and 'href="#f-members"' in summary
    assert page.index('data-testid="error-summary"') < page.index('id="apply-form"')
    purpose = tag(page, "f-purpose")
    assert 'aria-invalid="true"' in purpose
    assert 'aria-describedby="f-purpose-help f-purpose-error"' in purpose
    assert 'id="f-purpose-error"' in page and 'id="f-purpose-help"' in page
    members = tag(page, "f-members")
    assert 'aria-invalid="true"' in members and 'aria-describedby="f-members-error"' in members
    assert '<span class="visually-hidden">Error:</span>' in page
    assert "js/error-summary.js" in page


def test_a_field_without_an_error_is_not_marked(client, form_matter, applicant):
    english(client, applicant.user)
    page = client.post(
        reverse("applications:new", args=[form_matter.code]), {"purpose": "登记", "members": "0"}
    ).content.decode()
    assert "aria-invalid" not in tag(page, "f-purpose") and 'href="#f-purpose"' not in page
    assert 'aria-describedby="f-purpose-help"' in tag(page, "f-purpose")
    assert 'href="#f-members"' in page


def test_a_form_without_errors_has_no_summary_and_no_error_title(client, form_matter, applicant):
    english(client, applicant.user)
    page = client.get(reverse("applications:new", args=[form_matter.code])).content.decode()
    assert 'data-testid="error-summary"' not in page and "Error:" not in page
    assert "aria-invalid" not in page


def test_a_missing_material_is_linked_to_its_file_input(client, upload_matter, applicant):
    english(client, applicant.user)
    response = client.post(reverse("applications:new", args=[upload_matter.code]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#m-1"' in page and "Attach 章程." in page  # the second material; the first is shared
    control = tag(page, "m-1")
    assert 'aria-invalid="true"' in control and "m-1-error" in control
    assert 'id="m-1-error"' in page


def test_the_kiosk_form_shows_the_same_summary(client, form_matter, applicant):
    from eban.kiosks.tests.app_factories import paired_terminal

    _terminal, pairing_path = paired_terminal()
    client.get(pairing_path)
    english(client, applicant.user)
    session = client.session
    session["eban_kiosk"] = True
    session["eban_kiosk_sign_in_id"] = "test-sign-in"
    session.save()
    response = client.post(reverse("kiosk:apply", args=[form_matter.code]), {"purpose": "", "members": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"<title>\s*Error: Apply", page)
    assert 'data-testid="error-summary"' in page and "There is a problem" in page
    assert 'href="#f-purpose"' in page and 'href="#f-members"' in page
    assert 'aria-invalid="true"' in tag(page, "f-purpose")
    assert "css/kiosk-forms.css" in page and "js/error-summary.js" in page
