"""Versioned templates: a change is a new version in use; old versions stay as they were; each
message records the version it used; the shipped texts are valid."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from wagtail.models import ModelLogEntry

from eban.core.exceptions import PermissionDenied
from eban.notifications import actions, kinds, rendering, samples
from eban.notifications.models import Template

CODE = "application.approved"
CONTEXT = {"case_number": "330302-20251009-0001", "matter": "老年人优待证办理"}


def active(code=CODE, channel="sms", language="zh-hans") -> Template:
    return Template.objects.get(code=code, channel=channel, language=language, active=True)


@pytest.fixture
def editor(db):
    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff

    return make_staff("platform", roles=[StaffRole.PLATFORM_ADMIN])


def save(editor, body, *, code=CODE, channel="sms", language="zh-hans", subject=""):
    return actions.save_template(
        code=code, channel=channel, language=language, subject=subject, body=body, actor=editor
    )


def test_editing_an_active_template_makes_a_new_version_in_use(editor):
    first = active()
    second = save(editor, "【e办】{matter}（{case_number}）已批准。")
    first.refresh_from_db()
    assert second.version == first.version + 1
    assert second.active and not first.active
    assert active() == second
    assert second.created_by == editor


def test_the_old_version_keeps_its_text(editor):
    first = active()
    text = first.body
    save(editor, "【e办】{matter}（{case_number}）已批准。")
    first.refresh_from_db()
    assert first.body == text


def test_saving_the_text_in_use_makes_no_new_version(editor):
    current = active()
    assert save(editor, current.body) == current
    assert Template.objects.filter(code=CODE, channel="sms", language="zh-hans").count() == 1


def test_saving_an_old_text_again_makes_it_the_newest_version(editor):
    first = active()
    save(editor, "【e办】第二版 {case_number}")
    third = save(editor, first.body)
    assert third.version == 3 and third.body == first.body and third.active


def test_a_message_records_the_version_it_used(editor, person):
    before = actions.notify(
        CODE, user=person, phone="13812345678", context=CONTEXT, reference="R-1", channels=["sms"]
    )
    new = save(editor, "【e办】新版：{case_number}")
    after = actions.notify(
        CODE, user=person, phone="13812345678", context=CONTEXT, reference="R-2", channels=["sms"]
    )
    assert before[0].template_version == 1 and before[0].template_id != new.pk
    assert after[0].template == new and after[0].template_version == new.version
    assert after[0].body == "【e办】新版：330302-20251009-0001"


def test_saving_refuses_a_field_the_message_does_not_supply(editor):
    with translation.override("en"), pytest.raises(rendering.TemplateError) as caught:
        save(editor, "【e办】{case_number} 理由：{reasons}")
    assert "Unknown fields: {reasons}" in caught.value.message
    assert active().version == 1


def test_saving_refuses_malformed_braces(editor):
    with pytest.raises(rendering.TemplateError):
        save(editor, "【e办】{case_number")


def test_an_inbox_or_email_template_needs_a_subject(editor):
    with translation.override("en"), pytest.raises(rendering.TemplateError) as caught:
        save(editor, "{case_number}", channel="inbox", subject="  ")
    assert "subject" in caught.value.message


def test_saving_is_audited(editor):
    template = save(editor, "【e办】{case_number}")
    entry = ModelLogEntry.objects.get(action=actions.SAVE_TEMPLATE)
    assert entry.object_id == str(template.pk) and entry.user == editor
    assert entry.data == {"code": CODE, "channel": "sms", "language": "zh-hans", "version": 2}


def test_only_holders_of_the_permission_may_save(django_user_model):
    clerk = django_user_model.objects.create_user("clerk")
    with pytest.raises(PermissionDenied):
        save(clerk, "【e办】{case_number}")


def test_deactivating_stops_the_channel(editor, person):
    actions.deactivate_template(active(), actor=editor)
    sent = actions.notify(CODE, user=person, phone="13812345678", context=CONTEXT, reference="R-3")
    assert [m.channel for m in sent] == ["inbox"]


def test_the_database_keeps_one_active_version(editor):
    current = active()
    with pytest.raises(IntegrityError), transaction.atomic():
        Template.objects.create(
            code=CODE, channel="sms", language="zh-hans", version=current.version + 1, body="x", active=True
        )


def test_the_model_lists_its_fields(db):
    assert active(code="application.rejected", channel="inbox").fields() == {
        "case_number",
        "matter",
        "reasons",
        "appeal_route",
    }


# --- the shipped texts --------------------------------------------------------------------------


def test_every_shipped_text_is_valid_for_its_kind():
    for code, by_channel in samples.SAMPLES.items():
        assert code in kinds.KINDS, code
        for channel, by_language in by_channel.items():
            assert set(by_language) == {"zh-hans", "en"}, (code, channel)
            for language, (subject, body) in by_language.items():
                errors = actions.template_errors(code=code, channel=channel, subject=subject, body=body)
                assert errors == [], (code, channel, language, errors)


def test_every_kind_has_shipped_texts():
    assert set(kinds.KINDS) == set(samples.SAMPLES)


def test_the_shipped_texts_are_in_the_database_after_migrating(db):
    expected = sum(len(langs) for chans in samples.SAMPLES.values() for langs in chans.values())
    assert Template.objects.filter(active=True, version=1).count() == expected


def test_ensuring_the_samples_again_adds_nothing_and_keeps_edits(editor):
    edited = save(editor, "【e办】{case_number}")
    assert samples.ensure_sample_templates() == 0
    assert active() == edited


def test_ensuring_the_samples_refills_an_empty_table(db):
    Template.objects.all().delete()
    assert samples.ensure_sample_templates() > 0
    assert active().version == 1


@pytest.mark.parametrize("code", sorted(samples.SAMPLES))
def test_every_shipped_text_renders_with_the_fields_of_its_kind(code):
    context = kinds.example_context(code)
    for by_language in samples.SAMPLES[code].values():
        for language, (subject, body) in by_language.items():
            assert rendering.render(body, context, language=language)
            assert "{" not in rendering.render(subject, context, language=language)
