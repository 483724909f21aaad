"""Versioned rule sets: drafts, activation (audited, by the right roles), immutability once active,
the version in force on a day, the sample senior-card rule."""

import copy
import datetime

import pytest
from django.utils import translation
from wagtail.models import ModelLogEntry

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff
from eban.core.exceptions import Conflict, DomainError, PermissionDenied
from eban.rules import actions, queries
from eban.rules.language import RuleError
from eban.rules.models import RuleSet, Status
from eban.rules.samples import SENIOR_CARD, SENIOR_CARD_RULE, ensure_sample_rules

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2025, 1, 1)


@pytest.fixture
def officer():
    return make_staff("policy", roles=[StaffRole.POLICY_OFFICER.value])


def draft(actor=None, code="senior-card", valid_from=JAN_1, valid_until=None, document=None):
    return actions.save_draft(
        code=code,
        title="老年人优待证（测试）",
        document=copy.deepcopy(document or SENIOR_CARD_RULE),
        valid_from=valid_from,
        valid_until=valid_until,
        actor=actor,
    )


def test_a_draft_records_the_fields_its_rule_reads(officer):
    rule_set = draft(officer)
    assert rule_set.version == 1 and rule_set.status == Status.DRAFT
    assert rule_set.fields == [
        "applicant.age",
        "applicant.household_division",
        "applicant.open_applications",
        "applicant.valid_certificates",
    ]
    assert rule_set.created_by == officer


def test_each_new_draft_of_a_code_is_the_next_version(officer):
    assert [draft(officer).version for _ in range(3)] == [1, 2, 3]
    assert draft(officer, code="other").version == 1


def test_an_invalid_document_is_refused_with_its_problems(officer):
    with pytest.raises(RuleError) as caught:
        draft(
            officer,
            document={"conditions": [{"key": "a", "check": {"gte": [1, 2]}, "label": {"zh-hans": "x"}}]},
        )
    assert caught.value.problems[0][0] == "conditions[0].check"
    assert not RuleSet.objects.exists()


def test_validity_must_not_end_before_it_starts(officer):
    with pytest.raises(DomainError):
        draft(officer, valid_until=JAN_1 - datetime.timedelta(days=1))


def test_a_draft_can_be_changed(officer):
    rule_set = draft(officer)
    changed = copy.deepcopy(SENIOR_CARD_RULE)
    changed["conditions"][0]["check"][">="][1] = 65
    actions.save_draft(rule_set=rule_set, document=changed, title="改", valid_from=JAN_1, actor=officer)
    rule_set.refresh_from_db()
    assert rule_set.document["conditions"][0]["check"][">="][1] == 65 and rule_set.version == 1


def test_activation_is_audited_and_freezes_the_version(officer):
    rule_set = actions.activate(draft(officer), actor=officer)
    assert rule_set.status == Status.ACTIVE and rule_set.activated_by == officer
    entry = ModelLogEntry.objects.get(action="rules.ruleset.activate")
    assert entry.user_id == officer.pk
    assert entry.data["code"] == "senior-card" and entry.data["version"] == 1
    with pytest.raises(Conflict):
        actions.save_draft(
            rule_set=rule_set, document=SENIOR_CARD_RULE, title="改", valid_from=JAN_1, actor=officer
        )


def test_an_active_version_cannot_be_changed_even_by_saving_the_model(officer):
    rule_set = actions.activate(draft(officer), actor=officer)
    rule_set.document = {**rule_set.document, "combine": "any"}
    with pytest.raises(Conflict):
        rule_set.save()


def test_only_a_draft_is_activated_and_only_an_active_version_retired(officer):
    rule_set = actions.activate(draft(officer), actor=officer)
    with pytest.raises(Conflict):
        actions.activate(rule_set, actor=officer)
    retired = actions.retire(rule_set, actor=officer)
    assert retired.status == Status.RETIRED
    with pytest.raises(Conflict):
        actions.retire(retired, actor=officer)


@pytest.mark.parametrize("role", [StaffRole.REVIEWER, StaffRole.SITE_EDITOR])
def test_other_roles_may_not_write_rule_sets(role):
    with pytest.raises(PermissionDenied):
        draft(make_staff("someone", roles=[role.value]))


def test_a_platform_administrator_may_activate(officer):
    admin = make_staff("admin", roles=[StaffRole.PLATFORM_ADMIN.value])
    assert actions.activate(draft(officer), actor=admin).status == Status.ACTIVE


def test_a_new_version_is_a_draft_copy(officer):
    first = actions.activate(draft(officer), actor=officer)
    second = actions.new_version(first, actor=officer)
    assert (second.version, second.status, second.document) == (2, Status.DRAFT, first.document)


def test_the_version_in_force_on_a_day(officer):
    v1 = actions.activate(draft(officer, valid_from=datetime.date(2024, 1, 1)), actor=officer)
    v2 = actions.activate(draft(officer, valid_from=datetime.date(2025, 1, 1)), actor=officer)
    draft(officer, valid_from=datetime.date(2024, 1, 1))  # v3, a draft: never in force
    assert queries.active_rule_set("senior-card", on=datetime.date(2023, 12, 31)) is None
    assert queries.active_rule_set("senior-card", on=datetime.date(2024, 6, 1)) == v1
    assert queries.active_rule_set("senior-card", on=datetime.date(2025, 6, 1)) == v2
    actions.retire(v2, actor=officer)
    assert queries.active_rule_set("senior-card", on=datetime.date(2025, 6, 1)) == v1


def test_a_version_is_not_in_force_after_its_end(officer):
    actions.activate(draft(officer, valid_until=datetime.date(2025, 12, 31)), actor=officer)
    assert queries.active_rule_set("senior-card", on=datetime.date(2025, 12, 31)) is not None
    assert queries.active_rule_set("senior-card", on=datetime.date(2026, 1, 1)) is None


def test_the_sample_senior_card_rule_is_created_once_active_and_labelled_sample():
    ensure_sample_rules()
    ensure_sample_rules()
    (rule_set,) = RuleSet.objects.filter(code=SENIOR_CARD)
    assert rule_set.version == 1 and rule_set.status == Status.ACTIVE
    assert "示例" in rule_set.title
    with translation.override("en"):
        assert "sample" in rule_set.display_title
    assert queries.active_rule_set(SENIOR_CARD).fields == [
        "applicant.age",
        "applicant.household_division",
        "applicant.open_applications",
        "applicant.valid_certificates",
    ]


def test_a_sample_loaded_earlier_is_brought_up_to_date_once():
    old = copy.deepcopy(SENIOR_CARD_RULE)
    old["conditions"] = old["conditions"][:2]
    actions.activate(draft(document=old), actor=None)
    (updated,) = ensure_sample_rules()
    assert updated.version == 2 and updated.document == SENIOR_CARD_RULE
    assert queries.active_rule_set(SENIOR_CARD) == updated
    assert ensure_sample_rules() == []


def test_a_rule_set_written_by_a_person_is_never_replaced_by_the_sample(officer):
    old = copy.deepcopy(SENIOR_CARD_RULE)
    old["conditions"] = old["conditions"][:2]
    actions.activate(draft(officer, document=old), actor=officer)
    assert ensure_sample_rules() == []
    assert queries.active_rule_set(SENIOR_CARD).version == 1
