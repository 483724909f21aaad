"""The review workflow: each transition, who may make it, from which state, and what it leaves
behind (state, deadlines, timeline, version, audit)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from wagtail.models import ModelLogEntry

from eban.accounts import actions as account_actions
from eban.accounts.enums import StaffRole
from eban.accounts.grants.acting import act_for
from eban.applications import actions
from eban.applications.actions import InvalidTransition, StalePage
from eban.applications.enums import Outcome, Status
from eban.applications.models import Application, Decision, MatterSetup
from eban.core.exceptions import DomainError, PermissionDenied
from eban.workdays.queries import add_working_days

from .conftest import acting, another_applicant, review_matter, staff, submit

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


def audit_entries(application):
    return ModelLogEntry.objects.for_instance(application).order_by("pk")


def audit_actions(application) -> list[str]:
    return list(audit_entries(application).values_list("action", flat=True))


# --- submit -----------------------------------------------------------------------------------------


def test_a_submitted_case_is_numbered_by_city_day_and_sequence(matter, applicant, clock):
    clock.set("2025-09-23")
    first = submit(matter, applicant)
    second = submit(matter, another_applicant())
    assert first.number == "330320250923000001"
    assert second.number == "330320250923000002"


def test_case_numbers_start_again_each_day(matter, applicant, clock):
    clock.set("2025-09-23")
    submit(matter, applicant)
    clock.set("2025-09-24")
    assert submit(matter, another_applicant()).number == "330320250924000001"


def test_a_second_open_application_for_the_same_matter_is_refused_naming_the_first(matter, applicant, clock):
    from eban.applications.duplicates import RepeatApplication

    clock.set("2025-09-23")
    first = submit(matter, applicant)
    with translation.override("en"), pytest.raises(RepeatApplication) as refused:
        submit(matter, applicant, channel="window")
    assert refused.value.application == first and refused.value.status_code == 409
    assert f"case {first.number}" in refused.value.message
    assert Application.objects.filter(citizen=applicant).count() == 1


def test_once_the_first_is_withdrawn_the_applicant_may_apply_again(matter, applicant, clock):
    clock.set("2025-09-23")
    first = actions.withdraw(submit(matter, applicant), acting(applicant))
    second = submit(matter, applicant)
    assert second.pk != first.pk and second.status == Status.SUBMITTED


def test_a_county_departments_cases_have_the_county_prefix(county, applicant, clock):
    from eban.catalogue.testing import make_department

    bureau = make_department("330302-MZ", "鹿城区民政局", division=county)
    clock.set("2025-09-23")
    assert submit(review_matter(bureau), applicant).number == "33030220250923000001"


def test_a_submitted_case_belongs_to_the_matters_department_and_the_applicants_division(
    case, matter, applicant
):
    assert case.status == Status.SUBMITTED
    assert case.department == matter.department
    assert case.division.code == "330302"
    assert case.citizen == applicant and case.submitted_by == applicant
    assert case.version == 0
    assert [e.kind for e in case.events.all()] == ["submitted"]
    assert audit_actions(case) == ["applications.application.submit"]


def test_a_case_made_at_a_terminal_belongs_to_the_terminals_division(matter, applicant, other_county, clock):
    clock.set("2025-09-23")
    application = submit(matter, applicant, channel="window", division=other_county)
    assert application.division == other_county


def test_the_audit_entry_of_a_submission_says_who_acted_for_whom(case, applicant):
    entry = audit_entries(case).get(action="applications.application.submit")
    assert entry.data["acted_by"] == applicant.pk and entry.data["for_citizen"] == applicant.pk
    assert entry.data["channel"] == "online"


def test_a_proxy_submits_for_their_principal(matter, applicant, stranger, clock):
    clock.set("2025-09-23")
    grant = account_actions.authorise_proxy(
        applicant,
        proxy_name=stranger.name,
        proxy_id_number=stranger.id_number,
        relationship="child",
        valid_from=D("2025-09-01"),
        valid_until=D("2025-12-31"),
        matters=[matter],
        actor=None,
    )
    application = actions.submit_application(
        matter, act_for(stranger.user, citizen=applicant, matter_id=matter.pk), channel="online"
    )
    assert application.citizen == applicant
    assert application.submitted_by == stranger
    assert application.via_proxy == grant


def test_the_form_is_validated_on_the_server(matter, applicant, clock):
    from eban.applications.formschema import FormInvalid

    MatterSetup.objects.create(
        matter=matter,
        form_schema={
            "type": "object",
            "properties": {"name": {"type": "string", "title": "名称"}},
            "required": ["name"],
        },
    )
    clock.set("2025-09-23")
    with pytest.raises(FormInvalid):
        submit(matter, applicant, form_data={})
    assert submit(matter, applicant, form_data={"name": " 温州 ", "extra": 1}).form_data == {"name": "温州"}


def test_a_matter_closed_for_applications_refuses_them(matter, applicant, clock):
    MatterSetup.objects.create(matter=matter, accepting=False)
    clock.set("2025-09-23")
    with pytest.raises(DomainError):
        submit(matter, applicant)


def test_a_channel_the_matter_does_not_offer_is_refused(matter, applicant, clock):
    clock.set("2025-09-23")
    with pytest.raises(DomainError) as raised:
        submit(matter, applicant, channel="kiosk")
    assert raised.value.code == "channel"
    assert not Application.objects.exists()


def test_shared_materials_are_recorded_without_a_file(matter, applicant, clock):
    clock.set("2025-09-23")
    application = submit(matter, applicant, shared=[("居民身份证", "ctid:ok")])
    material = application.materials.get()
    assert (material.source, material.shared_reference, bool(material.file)) == ("shared", "ctid:ok", False)


# --- accept / decline -------------------------------------------------------------------------------


def test_accepting_starts_the_clocks_in_working_days(case, reviewer, clock):
    clock.set("2025-09-30T09:00")  # the day before National Day
    case = actions.accept(case, actor=reviewer)
    assert case.status == Status.ACCEPTED
    assert case.accepted_at == clock.at
    assert case.promised_due == D("2025-10-21")  # 10 working days, 1–8 October off, 11 October worked
    assert case.statutory_due == add_working_days(D("2025-09-30"), 20)
    assert case.version == 1
    event = case.events.last()
    assert (event.kind, event.status, event.actor_user) == ("accepted", Status.ACCEPTED, reviewer)
    assert event.data["promised_due"] == "2025-10-21"


def test_a_matter_done_on_the_spot_is_due_the_day_it_is_accepted(department, applicant, reviewer, clock):
    from eban.catalogue.testing import make_matter

    spot = make_matter(department=department, on_the_spot=True, promised_days=None, statutory_days=None)
    clock.set("2025-09-23")
    case = actions.accept(submit(spot, applicant), actor=reviewer)
    assert case.promised_due == case.statutory_due == D("2025-09-23")


def test_a_deadline_in_a_year_not_loaded_is_left_pending_not_guessed(matter, applicant, reviewer, clock):
    clock.set("2026-12-21")  # 10 working days reach 2027, whose holidays are not published yet
    case = actions.accept(submit(matter, applicant), actor=reviewer)
    assert case.status == Status.ACCEPTED
    assert case.promised_due is None and case.statutory_due is None
    assert case.events.last().data == {"deadline_pending_year": 2027}


def test_declining_needs_reasons_and_gives_the_appeal_route(case, reviewer):
    with pytest.raises(DomainError):
        actions.decline(case, actor=reviewer, reasons="  ")
    case = actions.decline(case, actor=reviewer, reasons="不属于本机关职权范围")
    assert case.status == Status.DECLINED
    decision = case.decision
    assert (decision.outcome, decision.reasons, decision.decided_by) == (
        Outcome.DECLINED,
        "不属于本机关职权范围",
        reviewer,
    )
    assert "温州市" in decision.appeal_route and "行政复议" in decision.appeal_route


def test_the_default_appeal_route_names_the_reconsideration_body_and_time_limits(case):
    with translation.override("en"):
        text = actions.default_appeal_route(case)
    assert "60 days" in text and "6 months" in text and "温州市" in text


def test_a_declined_case_cannot_be_accepted(case, reviewer):
    actions.decline(case, actor=reviewer, reasons="材料不齐且无法补正")
    with translation.override("en"), pytest.raises(InvalidTransition) as raised:
        actions.accept(case, actor=reviewer)
    assert raised.value.status_code == 409
    assert "Declined" in raised.value.message and case.number in raised.value.message


# --- who may -----------------------------------------------------------------------------------------


def test_a_reviewer_of_another_department_cannot_accept(case, outsider):
    with pytest.raises(PermissionDenied):
        actions.accept(case, actor=outsider)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_reviewer_outside_the_cases_divisions_cannot_accept(case, department, other_county):
    county_reviewer = staff("reviewer-oh", department, StaffRole.REVIEWER, divisions=[other_county])
    with pytest.raises(PermissionDenied):
        actions.accept(case, actor=county_reviewer)


def test_an_official_without_a_case_role_cannot_accept(case, department):
    editor = staff("editor-mz", department, StaffRole.SITE_EDITOR)
    with pytest.raises(PermissionDenied):
        actions.accept(case, actor=editor)


def test_a_department_administrator_may_decide(case, dept_admin):
    case = actions.accept(case, actor=dept_admin)
    case = actions.approve(case, actor=dept_admin)
    assert case.status == Status.APPROVED


def test_an_applicant_cannot_use_staff_steps(case, applicant):
    with pytest.raises(PermissionDenied):
        actions.accept(case, actor=applicant.user)


def test_someone_else_cannot_withdraw_the_case(case, stranger):
    with pytest.raises(PermissionDenied):
        actions.withdraw(case, acting(stranger))


# --- review, supplement, resubmit --------------------------------------------------------------------


def test_start_review_assigns_the_case(case, reviewer):
    case = actions.start_review(actions.accept(case, actor=reviewer), actor=reviewer)
    assert (case.status, case.assigned_to) == (Status.UNDER_REVIEW, reviewer)


def test_a_supplement_request_stops_the_clock_and_says_what_to_fix(case, reviewer, clock):
    clock.set("2025-09-30")
    case = actions.start_review(actions.accept(case, actor=reviewer), actor=reviewer)
    clock.set("2025-10-14T15:00")
    request = actions.request_supplement(
        case, actor=reviewer, items="章程第三条缺少签字页，请补充签字页扫描件。"
    )
    case.refresh_from_db()
    assert case.status == Status.SUPPLEMENT
    assert case.clock_stopped_at == clock.at
    assert request.items.startswith("章程第三条")
    assert case.events.last().note == request.items


def test_a_supplement_request_needs_the_list_of_what_to_fix(case, reviewer):
    with pytest.raises(DomainError):
        actions.request_supplement(case, actor=reviewer, items="")


def test_resubmitting_restarts_the_clock_and_moves_the_deadlines(case, reviewer, applicant, clock):
    """Accepted the day before National Day, a supplement in the middle: the deadline moves by
    the working days the clock was stopped."""
    clock.set("2025-09-30")
    case = actions.accept(case, actor=reviewer)
    assert case.promised_due == D("2025-10-21")
    statutory = case.statutory_due
    clock.set("2025-10-14T11:00")
    actions.request_supplement(case, actor=reviewer, items="请补充会议纪要。")
    clock.set("2025-10-16T16:30")
    case = actions.resubmit(case, acting(applicant), note="已补充会议纪要")
    assert case.status == Status.UNDER_REVIEW
    assert case.clock_stopped_at is None
    assert case.promised_due == D("2025-10-23")
    assert case.statutory_due == add_working_days(statutory, 2)
    event = case.events.last()
    assert (event.kind, event.data["clock_stopped_days"]) == ("resubmitted", 2)
    assert case.supplements.get().answered_at == clock.at


def test_a_supplement_before_acceptance_returns_the_case_to_submitted(case, reviewer, applicant):
    actions.request_supplement(case, actor=reviewer, items="请上传身份证复印件。")
    case = actions.resubmit(case, acting(applicant), note="已上传")
    assert case.status == Status.SUBMITTED
    assert case.accepted_at is None and case.promised_due is None


def test_resubmitting_corrected_answers_validates_them(matter, applicant, reviewer, clock):
    from eban.applications.formschema import FormInvalid

    MatterSetup.objects.create(
        matter=matter,
        form_schema={"type": "object", "properties": {"members": {"type": "integer", "minimum": 3}}},
    )
    clock.set("2025-09-23")
    case = submit(matter, applicant, form_data={"members": 3})
    actions.request_supplement(case, actor=reviewer, items="会员人数有误")
    with pytest.raises(FormInvalid):
        actions.resubmit(case, acting(applicant), form_data={"members": 1})
    case = actions.resubmit(case, acting(applicant), form_data={"members": "12"})
    assert case.form_data == {"members": 12}


def test_resubmitting_with_nothing_is_refused(case, reviewer, applicant):
    actions.request_supplement(case, actor=reviewer, items="请补充材料")
    with pytest.raises(DomainError):
        actions.resubmit(case, acting(applicant))


def test_only_a_case_waiting_for_a_supplement_can_be_resubmitted(case, applicant):
    with pytest.raises(InvalidTransition):
        actions.resubmit(case, acting(applicant), note="再交一次")


def test_a_stranger_cannot_answer_the_supplement(case, reviewer, stranger):
    actions.request_supplement(case, actor=reviewer, items="请补充材料")
    with pytest.raises(PermissionDenied):
        actions.resubmit(case, acting(stranger), note="我来补")


def test_a_proxy_whose_authorisation_ended_cannot_act_any_more(
    case, matter, reviewer, applicant, stranger, clock
):
    grant = account_actions.authorise_proxy(
        applicant,
        proxy_name=stranger.name,
        proxy_id_number=stranger.id_number,
        relationship="child",
        valid_from=D("2025-09-01"),
        valid_until=D("2025-12-31"),
        matters=[matter],
        actor=None,
    )
    proxy_acting = act_for(stranger.user, citizen=applicant, matter_id=matter.pk)
    actions.request_supplement(case, actor=reviewer, items="请补充材料")
    account_actions.revoke(grant, by=applicant, reason="不再需要", actor=None)
    with pytest.raises(PermissionDenied):
        actions.resubmit(case, proxy_acting, note="我来补")


# --- approve, reject, complete, withdraw ---------------------------------------------------------


def test_approving_records_the_decision_and_the_appeal_route(case, reviewer):
    case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer, reasons="符合条件")
    decision = Decision.objects.get(application=case)
    assert (decision.outcome, decision.by_rules, decision.decided_by) == (Outcome.APPROVED, False, reviewer)
    assert decision.appeal_route


def test_rejecting_needs_reasons(case, reviewer):
    case = actions.accept(case, actor=reviewer)
    with pytest.raises(DomainError):
        actions.reject(case, actor=reviewer, reasons="")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_a_given_appeal_route_is_kept(case, reviewer):
    case = actions.accept(case, actor=reviewer)
    case = actions.reject(
        case, actor=reviewer, reasons="拟任负责人不符合条件", appeal_route="可向温州市司法局申请行政复议。"
    )
    assert case.decision.appeal_route == "可向温州市司法局申请行政复议。"


def test_a_submitted_case_must_be_accepted_before_a_decision(case, reviewer):
    with pytest.raises(InvalidTransition):
        actions.approve(case, actor=reviewer)


def test_completing_a_rejected_case(case, reviewer, clock):
    clock.set("2025-09-24")
    case = actions.reject(actions.accept(case, actor=reviewer), actor=reviewer, reasons="不符合条件")
    case = actions.complete(case, actor=reviewer)
    assert case.status == Status.COMPLETED and case.completed_at == clock.at


def test_an_approved_case_that_issues_no_certificate_is_completed_by_the_official(case, reviewer):
    case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)
    assert actions.complete(case, actor=reviewer).status == Status.COMPLETED


def test_an_approved_case_with_a_certificate_is_not_completed_before_it_is_issued(case, matter, reviewer):
    MatterSetup.objects.create(matter=matter, certificate_type="no-such-type")
    case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)
    with pytest.raises(DomainError) as raised:
        actions.complete(case, actor=reviewer)
    assert raised.value.code == "certificate_pending"


def test_a_completed_case_cannot_be_completed_again(case, reviewer):
    case = actions.complete(
        actions.approve(actions.accept(case, actor=reviewer), actor=reviewer), actor=reviewer
    )
    with pytest.raises(InvalidTransition):
        actions.complete(case, actor=reviewer)


def test_the_applicant_may_withdraw_before_a_decision(case, reviewer, applicant):
    case = actions.accept(case, actor=reviewer)
    case = actions.withdraw(case, acting(applicant), reason="不再需要")
    assert case.status == Status.WITHDRAWN
    assert case.events.last().note == "不再需要"


def test_withdrawing_while_a_supplement_is_awaited_closes_the_request(case, reviewer, applicant):
    actions.request_supplement(case, actor=reviewer, items="请补充材料")
    case = actions.withdraw(case, acting(applicant))
    assert case.clock_stopped_at is None
    assert case.supplements.get().answered_at is not None


def test_a_decided_case_cannot_be_withdrawn(case, reviewer, applicant):
    case = actions.approve(actions.accept(case, actor=reviewer), actor=reviewer)
    with pytest.raises(InvalidTransition):
        actions.withdraw(case, acting(applicant))


# --- versions, timeline, audit ------------------------------------------------------------------------


def test_a_form_from_a_stale_page_is_refused(case, reviewer, second_reviewer):
    seen = case.version
    actions.request_supplement(case, actor=second_reviewer, items="请补充材料")
    with pytest.raises(InvalidTransition):
        actions.accept(case, actor=reviewer, version=seen)
    case.refresh_from_db()
    actions.resubmit(case, acting(case.citizen), note="已补充")
    with translation.override("en"), pytest.raises(StalePage) as raised:
        actions.accept(case, actor=reviewer, version=seen)  # the state fits again, the version does not
    assert raised.value.status_code == 409 and "changed since" in raised.value.message


def test_the_current_version_is_accepted(case, reviewer):
    assert actions.accept(case, actor=reviewer, version=case.version).version == 1


def test_every_step_bumps_the_version_and_leaves_an_event_and_an_audit_entry(case, reviewer, applicant):
    case = actions.accept(case, actor=reviewer)
    case = actions.start_review(case, actor=reviewer)
    actions.request_supplement(case, actor=reviewer, items="请补充材料")
    case = actions.resubmit(case, acting(applicant), note="已补充")
    case = actions.approve(case, actor=reviewer)
    case = actions.complete(case, actor=reviewer)
    assert case.version == 6
    assert [e.kind for e in case.events.all()] == [
        "submitted",
        "accepted",
        "review_started",
        "supplement_requested",
        "resubmitted",
        "approved",
        "completed",
    ]
    assert audit_actions(case) == [
        "applications.application.submit",
        "applications.application.accepted",
        "applications.application.review_started",
        "applications.application.supplement_requested",
        "applications.application.resubmitted",
        "applications.application.approved",
        "applications.application.completed",
    ]


def test_the_applicants_audit_entries_say_who_acted(case, reviewer, applicant):
    actions.request_supplement(case, actor=reviewer, items="请补充材料")
    actions.resubmit(case, acting(applicant), note="已补充")
    entry = audit_entries(case).get(action="applications.application.resubmitted")
    assert entry.user_id == applicant.user_id
    assert entry.data["acted_by"] == applicant.pk and entry.data["from"] == "supplement"


def test_audit_entries_hold_no_personal_data(case, reviewer, applicant):
    actions.reject(actions.accept(case, actor=reviewer), actor=reviewer, reasons="申请人李四不符合条件")
    for entry in audit_entries(case):
        text = str(entry.data) + entry.label
        assert applicant.name not in text and applicant.id_number not in text


# --- notifications --------------------------------------------------------------------------------


def messages_to(citizen, code):
    from eban.notifications.models import Message

    return Message.objects.filter(recipient_user=citizen.user, template_code=code)


def test_the_applicant_is_told_the_case_number_and_when_to_expect_acceptance(case, applicant):
    message = messages_to(applicant, "application.submitted").get()
    assert message.reference == case.number
    assert case.number in message.body and "2025年9月29日" in message.body


def test_the_applicant_is_told_exactly_what_to_fix_and_by_when(case, reviewer, applicant, clock):
    clock.set("2025-09-24")
    actions.request_supplement(case, actor=reviewer, items="章程缺少签字页")
    body = messages_to(applicant, "application.supplement_requested").get().body
    assert "章程缺少签字页" in body and "2025年10月14日" in body  # 10 working days to answer


def test_a_refusal_tells_the_reasons_and_the_appeal_route(case, reviewer, applicant):
    actions.reject(actions.accept(case, actor=reviewer), actor=reviewer, reasons="拟任负责人不符合条件")
    body = messages_to(applicant, "application.rejected").get().body
    assert "拟任负责人不符合条件" in body and "行政复议" in body


def test_a_proxy_is_told_as_well_as_the_principal(matter, applicant, stranger, reviewer, clock):
    clock.set("2025-09-23")
    account_actions.authorise_proxy(
        applicant,
        proxy_name=stranger.name,
        proxy_id_number=stranger.id_number,
        relationship="child",
        valid_from=D("2025-09-01"),
        valid_until=D("2025-12-31"),
        matters=[matter],
        actor=None,
    )
    case = actions.submit_application(
        matter, act_for(stranger.user, citizen=applicant, matter_id=matter.pk), channel="online"
    )
    actions.accept(case, actor=reviewer)
    assert messages_to(applicant, "application.accepted").count() == 1
    assert messages_to(stranger, "application.accepted").count() == 1


def test_a_notification_that_cannot_be_made_does_not_undo_the_step(case, reviewer, caplog):
    from eban.notifications.models import Template

    Template.objects.filter(code="application.accepted").update(body="{case_number} {no_such_field}")
    case = actions.accept(case, actor=reviewer)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert any("could not be created" in r.getMessage() for r in caplog.records)
    caplog.clear()


# --- platform administrators read every case and decide none ----------------------------------------


def test_the_platform_superuser_decides_no_case(case):
    from django.contrib.auth import get_user_model

    from eban.applications import queries

    root = get_user_model().objects.create_superuser("root", "root@example.test", "not-a-real-pass-1")
    assert queries.case_for_staff(root, case.number) == case  # reads it
    for step in (
        lambda: actions.accept(case, actor=root),
        lambda: actions.decline(case, actor=root, reasons="不属于本机关职权范围"),
        lambda: actions.request_supplement(case, actor=root, items="补材料"),
    ):
        with pytest.raises(PermissionDenied):
            step()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and not Decision.objects.filter(application=case).exists()


def test_a_platform_administrator_decides_no_case(case, department, reviewer):
    admin = staff("platform-admin", department, StaffRole.PLATFORM_ADMIN)
    with pytest.raises(PermissionDenied):
        actions.accept(case, actor=admin)
    accepted = actions.accept(case, actor=reviewer)  # a reviewer of the department does
    with pytest.raises(PermissionDenied):
        actions.approve(accepted, actor=admin)
