"""The back office: templates (a save is a new version; fields checked) and messages (status
filter, addresses masked), for platform administrators only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff, staff_login
from eban.notifications import actions, delivery
from eban.notifications.models import Status, Template

CONTEXT = {"case_number": "330302-20251009-0001", "matter": "老年人优待证办理"}


@pytest.fixture
def admin_client(client, db):
    return staff_login(client, make_staff("platform", roles=[StaffRole.PLATFORM_ADMIN]))


@pytest.fixture
def reviewer_client(client, db):
    return staff_login(client, make_staff("reviewer", roles=[StaffRole.REVIEWER]))


def sms_template(code="application.approved", language="zh-hans") -> Template:
    return Template.objects.get(code=code, channel="sms", language=language, active=True)


def test_the_templates_list_shows_every_message(admin_client):
    page = admin_client.get(reverse("notifications_templates"))
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("application.submitted", "application.rejected", "certificate.issued", "case.escalated"):
        assert code in html


def test_a_template_page_shows_its_fields_and_a_preview(admin_client):
    template = Template.objects.get(code="application.rejected", channel="inbox", language="zh-hans")
    html = admin_client.get(reverse("notifications_template", args=[template.pk])).content.decode()
    assert "{appeal_route}" in html
    assert "年龄未满60周岁" in html  # the example value of {reasons}


def test_saving_a_changed_text_makes_a_new_version(admin_client):
    template = sms_template()
    response = admin_client.post(
        reverse("notifications_template", args=[template.pk]),
        {"body": "【e办】{matter}已批准（{case_number}）。"},
    )
    new = sms_template()
    assert response.status_code == 302 and response["Location"] == reverse(
        "notifications_template", args=[new.pk]
    )
    assert new.version == 2 and new.body == "【e办】{matter}已批准（{case_number}）。"


def test_saving_an_unknown_field_is_refused_with_the_fields_allowed(admin_client):
    template = sms_template()
    response = admin_client.post(
        reverse("notifications_template", args=[template.pk]),
        {"body": "【e办】{case_number} {certificate_number}"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "{certificate_number}" in html and "{case_number}, {matter}" in html
    assert sms_template().version == 1


def test_taking_a_template_out_of_use(admin_client):
    template = sms_template()
    admin_client.post(reverse("notifications_template", args=[template.pk]), {"deactivate": "1"})
    assert not Template.objects.filter(
        code=template.code, channel="sms", language="zh-hans", active=True
    ).exists()


def test_a_new_template_for_a_channel_that_has_none(admin_client):
    response = admin_client.post(
        reverse("notifications_template_new"),
        {
            "code": "application.approved",
            "channel": "email",
            "language": "zh-hans",
            "subject": "申请已通过：{matter}",
            "body": "您申请的{matter}（{case_number}）已审批通过。",
        },
    )
    assert response.status_code == 302
    assert Template.objects.get(code="application.approved", channel="email").version == 1


def test_a_new_template_that_exists_already_is_refused(admin_client):
    response = admin_client.post(
        reverse("notifications_template_new"),
        {"code": "application.approved", "channel": "sms", "language": "zh-hans", "body": "{case_number}"},
    )
    assert response.status_code == 200 and "form" in response.context
    assert response.context["form"].errors


def test_the_messages_list_masks_addresses_and_filters_by_status(admin_client):
    (delivered,) = actions.notify(
        "application.approved", phone="13812345678", context=CONTEXT, reference="CASE-A", channels=["sms"]
    )
    delivery.send(delivered.pk)
    actions.notify(
        "application.approved", phone="13912345678", context=CONTEXT, reference="CASE-B", channels=["sms"]
    )  # created, not sent yet
    html = admin_client.get(reverse("notifications_messages")).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    filtered = admin_client.get(
        reverse("notifications_messages"), {"status": Status.DELIVERED}
    ).content.decode()
    assert "CASE-A" in filtered and "CASE-B" not in filtered
    by_case = admin_client.get(reverse("notifications_messages"), {"reference": "CASE-A"})
    assert [row["message"].reference for row in by_case.context["rows"]] == ["CASE-A"]


def test_a_message_page_masks_the_address(admin_client):
    (message,) = actions.notify(
        "certificate.issued",
        email="zhang.san@example.com",
        context={**CONTEXT, "certificate_number": "N-1", "verify_url": "https://e.example/v/N-1"},
        reference="CASE-C",
        channels=["email"],
    )
    html = admin_client.get(reverse("notifications_message", args=[message.pk])).content.decode()
    assert "z***@example.com" in html and "zhang.san@example.com" not in html


@pytest.mark.parametrize(
    "url",
    [
        reverse("notifications_templates"),
        reverse("notifications_template_new"),
        reverse("notifications_messages"),
    ],
)
def test_other_staff_may_not_open_the_notification_pages(reviewer_client, url):
    assert reviewer_client.get(url).url == reverse(
        "wagtailadmin_home"
    )  # Wagtail's answer to PermissionDenied


def test_other_staff_may_not_save_a_template(reviewer_client):
    template = sms_template()
    response = reviewer_client.post(
        reverse("notifications_template", args=[template.pk]), {"body": "{case_number}"}
    )
    assert response.url == reverse("wagtailadmin_home")
    assert sms_template().version == 1


def test_the_menu_is_shown_to_platform_administrators_only(admin_client, client, db):
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("notifications_templates") in home and reverse("notifications_messages") in home
    admin_client.logout()
    staff_login(client, make_staff("reviewer", roles=[StaffRole.REVIEWER]))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("notifications_templates") not in home
