"""The inbox at /account/messages/: one's own messages, unread marked, opening marks read,
anyone else's message answers 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from eban.notifications import actions
from eban.notifications.models import Message

CONTEXT = {"case_number": "330302-20251009-0001", "matter": "老年人优待证办理"}


def inbox_message(user, code="application.approved", reference="330302-20251009-0001") -> Message:
    (message,) = actions.notify(code, user=user, context=CONTEXT, reference=reference, channels=["inbox"])
    return message


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def test_the_inbox_lists_ones_messages_with_an_unread_marker(signed_in, person):
    message = inbox_message(person)
    page = signed_in.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert message.subject in html
    assert 'data-testid="unread"' in html
    assert "330302-20251009-0001" in html


def test_the_inbox_does_not_list_others_messages(signed_in, other_person):
    theirs = inbox_message(other_person, reference="OTHER-CASE-1")
    html = signed_in.get(reverse("notifications:inbox")).content.decode()
    assert "OTHER-CASE-1" not in html and f"message-{theirs.pk}" not in html


def test_opening_a_message_shows_it_and_marks_it_read(signed_in, person):
    message = inbox_message(person)
    page = signed_in.get(reverse("notifications:message", args=[message.pk]))
    assert page.status_code == 200
    assert "已审批通过" in page.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None
    html = signed_in.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="unread"' not in html


def test_opening_again_keeps_the_first_reading_time(signed_in, person):
    message = inbox_message(person)
    signed_in.get(reverse("notifications:message", args=[message.pk]))
    first = Message.objects.get(pk=message.pk).read_at
    signed_in.get(reverse("notifications:message", args=[message.pk]))
    assert Message.objects.get(pk=message.pk).read_at == first


def test_another_persons_message_answers_404_and_stays_unread(signed_in, other_person):
    theirs = inbox_message(other_person)
    page = signed_in.get(reverse("notifications:message", args=[theirs.pk]))
    assert page.status_code == 404
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_a_text_message_to_oneself_is_not_in_the_inbox(signed_in, person):
    (text,) = actions.notify(
        "application.approved",
        user=person,
        phone="13812345678",
        context=CONTEXT,
        reference="R",
        channels=["sms"],
    )
    assert signed_in.get(reverse("notifications:message", args=[text.pk])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, person):
    message = inbox_message(person)
    for url in (reverse("notifications:inbox"), reverse("notifications:message", args=[message.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_an_official_without_the_second_factor_is_sent_to_it(client, django_user_model):
    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff, staff_login

    official = make_staff("reviewer", roles=[StaffRole.REVIEWER])
    client.force_login(official)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/admin/otp/" in response["Location"]
    staff_login(client, official)
    assert client.get(reverse("notifications:inbox")).status_code == 200


def test_the_account_tabs_link_to_the_inbox_with_the_unread_count(signed_in, person):
    inbox_message(person)
    inbox_message(person, code="application.completed")
    html = signed_in.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="messages-tab"' in html
    assert '<span class="badge badge-good">2</span>' in html


def test_the_inbox_is_newest_first(signed_in, person):
    old = inbox_message(person, reference="OLD-CASE")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    inbox_message(person, reference="NEW-CASE")
    html = signed_in.get(reverse("notifications:inbox")).content.decode()
    assert html.index("NEW-CASE") < html.index("OLD-CASE")
