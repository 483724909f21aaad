"""The back office of applications: the queue, the case page (masked applicant, answers,
materials, rule check, timeline), downloads (in scope, audited), the decision forms with their
version check, and the follow-ups of low ratings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from eban.accounts.enums import StaffRole
from eban.accounts.testing import staff_login
from eban.applications import actions, admin_views, materials
from eban.applications.enums import Status
from eban.applications.models import MatterSetup

from .conftest import acting, another_applicant, staff, submit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
D = datetime.date.fromisoformat


def login(client, user):
    """Signed in to the back office (second factor passed), which speaks English to them: the
    assertions read the English texts."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return staff_login(client, user)


@pytest.fixture
def signed_in(client, reviewer):
    return login(client, reviewer)


def case_url(case) -> str:
    return reverse("applications_case", args=[case.number])


def post_step(client, case, step, **fields):
    return client.post(case_url(case), {"step": step, "version": case.version, **fields})


# --- queue ----------------------------------------------------------------------------------------


def test_the_queue_lists_the_reviewers_cases_with_their_warning(
    signed_in, matter, applicant, reviewer, clock
):
    clock.set("2025-06-13")
    late = actions.accept(submit(matter, applicant), actor=reviewer)  # due 2025-06-27
    clock.set("2025-06-30")
    response = signed_in.get(reverse("applications_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert late.number in html
    assert 'data-level="red"' in html and "Overdue" in html and "1 working day late" in html
    assert applicant.name not in html and applicant.masked_name in html


def test_the_queue_shows_nothing_of_another_department(client, case, outsider):
    response = login(client, outsider).get(reverse("applications_queue"))
    assert response.status_code == 200
    assert case.number not in response.content.decode()


def test_the_queue_filters_by_status(signed_in, matter, applicant, reviewer, clock):
    clock.set("2025-06-09")
    waiting = submit(matter, applicant)
    accepted = actions.accept(submit(matter, another_applicant()), actor=reviewer)
    html = signed_in.get(reverse("applications_queue"), {"status": "accepted"}).content.decode()
    assert accepted.number in html and waiting.number not in html


def test_the_queue_is_paginated(signed_in, matter, applicant, clock, monkeypatch):
    monkeypatch.setattr(admin_views, "PER_PAGE", 2)
    clock.set("2025-06-09")
    cases = [
        submit(matter, applicant),
        submit(matter, another_applicant()),
        submit(matter, another_applicant()),
    ]
    first = signed_in.get(reverse("applications_queue")).content.decode()
    second = signed_in.get(reverse("applications_queue"), {"p": 2}).content.decode()
    assert cases[0].number in first and cases[2].number not in first
    assert cases[2].number in second


def test_the_menu_shows_applications_to_reviewers_only(client, reviewer, department):
    editor = staff("editor-mz", department, StaffRole.SITE_EDITOR)
    home = login(client, reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("applications_queue") in home
    client.logout()
    home = login(client, editor).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("applications_queue") not in home
    assert client.get(reverse("applications_queue")).status_code != 200  # Wagtail: back to the dashboard


def test_a_citizen_is_sent_to_the_sign_in_page(client, case, applicant):
    client.force_login(applicant.user)
    response = client.get(reverse("applications_queue"))
    assert response.status_code in (302, 403)


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_shows_the_applicant_masked_and_the_answers(signed_in, matter, applicant, clock):
    from eban.accounts.tests.factories import id_number

    other_id = id_number(datetime.date(1955, 3, 1))
    MatterSetup.objects.create(
        matter=matter,
        form_schema={
            "type": "object",
            "properties": {
                "society": {"type": "string", "title": {"zh-hans": "社团名称", "en": "Society"}},
                "chair_id": {"type": "string", "format": "id_number", "title": "负责人身份证号"},
                "kind": {
                    "type": "string",
                    "enum": ["a", "b"],
                    "enumNames": ["学术类", "行业类"],
                    "title": "类型",
                },
            },
        },
    )
    clock.set("2025-06-09")
    case = submit(
        matter, applicant, form_data={"society": "温州市书法协会", "chair_id": other_id, "kind": "b"}
    )
    html = signed_in.get(case_url(case)).content.decode()
    assert applicant.masked_name in html and applicant.masked_id_number in html
    assert applicant.name not in html and applicant.id_number not in html
    assert "温州市书法协会" in html and "行业类" in html
    assert other_id not in html  # an ID number in the answers is masked too


def test_another_departments_reviewer_gets_404_for_the_case(client, case, outsider):
    assert login(client, outsider).get(case_url(case)).status_code == 404


def test_the_case_page_shows_the_rule_check(signed_in, matter, applicant, clock):
    from eban.rules.samples import SENIOR_CARD, ensure_sample_rules

    ensure_sample_rules()
    MatterSetup.objects.create(matter=matter, rule_code=SENIOR_CARD)
    clock.set("2025-06-09")
    case = submit(matter, applicant)  # born 1980: not 60 yet; household in 330302
    html = signed_in.get(case_url(case)).content.decode()
    assert "Aged 60 or over" in html and "not all conditions met" in html
    assert "Household registration in Wenzhou" in html


def test_the_rule_check_is_kept_with_the_decision(matter, applicant, reviewer, clock):
    from eban.rules.samples import SENIOR_CARD, ensure_sample_rules

    ensure_sample_rules()
    MatterSetup.objects.create(matter=matter, rule_code=SENIOR_CARD)
    clock.set("2025-06-09")
    case = actions.reject(
        actions.accept(submit(matter, applicant), actor=reviewer), actor=reviewer, reasons="未满60周岁"
    )
    decision = case.decision
    assert (decision.rule_code, decision.rule_version) == (SENIOR_CARD, 1)
    assert decision.inputs["applicant.age"] == 45
    assert [c["passed"] for c in decision.explanation["conditions"]] == [False, True, True, True]


def test_the_timeline_is_on_the_case_page(signed_in, case, reviewer):
    actions.request_supplement(case, actor=reviewer, items="请补充会员名册")
    html = signed_in.get(case_url(case)).content.decode()
    assert "Supplement requested" in html and "请补充会员名册" in html
    assert 'data-kind="submitted"' in html and 'data-kind="supplement_requested"' in html


# --- materials ------------------------------------------------------------------------------------


@pytest.fixture
def with_file(matter, applicant, clock):
    clock.set("2025-06-09")
    return submit(matter, applicant, uploads=[materials.check_upload("会员名册", PNG)])


def test_a_material_is_downloaded_by_an_official_in_scope_and_the_download_audited(
    signed_in, with_file, reviewer
):
    material = with_file.materials.get()
    url = reverse("applications_material", args=[with_file.number, material.pk])
    assert url in signed_in.get(case_url(with_file)).content.decode()
    response = signed_in.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    entry = ModelLogEntry.objects.for_instance(with_file).get(action="applications.material.download")
    assert entry.user_id == reviewer.pk and entry.data == {"material": material.pk}


def test_a_material_is_not_downloaded_outside_the_scope(client, with_file, outsider):
    material = with_file.materials.get()
    url = reverse("applications_material", args=[with_file.number, material.pk])
    assert login(client, outsider).get(url).status_code == 404


def test_a_material_of_another_case_is_not_reached_by_changing_the_id(
    signed_in, with_file, matter, applicant
):
    other = submit(matter, another_applicant())
    material = with_file.materials.get()
    url = reverse("applications_material", args=[other.number, material.pk])
    assert signed_in.get(url).status_code == 404


# --- decision forms ---------------------------------------------------------------------------------


def test_accepting_from_the_case_page(signed_in, case):
    response = post_step(signed_in, case, "accept")
    assert response.status_code == 302 and response["Location"] == case_url(case)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_the_forms_offered_follow_the_state(signed_in, case, reviewer):
    html = signed_in.get(case_url(case)).content.decode()
    assert 'id="step-accept"' in html and 'id="step-decline"' in html and 'id="step-approve"' not in html
    actions.accept(case, actor=reviewer)
    html = signed_in.get(case_url(case)).content.decode()
    assert 'id="step-approve"' in html and 'id="step-reject"' in html and 'id="step-accept"' not in html
    assert f'name="version" value="{case.version + 1}"' in html


def test_declining_without_reasons_is_refused_on_the_page(signed_in, case):
    response = post_step(signed_in, case, "decline", reasons="")
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_rejecting_from_the_page_keeps_the_reasons_and_appeal_route(signed_in, case, reviewer):
    case = actions.accept(case, actor=reviewer)
    post_step(
        signed_in,
        case,
        "reject",
        reasons="拟任负责人不符合条件",
        appeal_route="可向温州市人民政府申请行政复议。",
    )
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert case.decision.reasons == "拟任负责人不符合条件"
    assert case.decision.appeal_route == "可向温州市人民政府申请行政复议。"


def test_the_appeal_route_field_is_prefilled(signed_in, case, reviewer):
    actions.accept(case, actor=reviewer)
    html = signed_in.get(case_url(case)).content.decode()
    assert "行政复议" in html


def test_a_form_from_a_stale_page_is_refused_with_409(signed_in, case, second_reviewer, applicant):
    stale = case.version
    actions.accept(case, actor=second_reviewer)
    actions.request_supplement(case, actor=second_reviewer, items="请补充材料")
    actions.resubmit(case, acting(applicant), note="已补充")
    response = signed_in.post(case_url(case), {"step": "approve", "version": stale})
    assert response.status_code == 409
    assert "changed since this page was opened" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW


def test_the_second_of_two_reviewers_on_the_same_page_is_told_it_was_decided(
    client, case, reviewer, second_reviewer
):
    from django.test import Client

    case = actions.accept(case, actor=reviewer)
    first, second = login(client, reviewer), login(Client(), second_reviewer)
    assert post_step(first, case, "approve").status_code == 302
    response = post_step(second, case, "reject", reasons="不符合条件")
    assert response.status_code == 409
    assert "already decided" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.APPROVED


def test_a_post_without_the_version_is_refused(signed_in, case):
    assert signed_in.post(case_url(case), {"step": "accept"}).status_code == 400


def test_an_official_who_can_read_but_not_act_gets_no_forms_and_403(client, case, department):
    platform = staff("platform", department, StaffRole.PLATFORM_ADMIN)
    signed = login(client, platform)
    html = signed.get(case_url(case)).content.decode()
    assert 'id="step-accept"' not in html
    assert post_step(signed, case, "accept").status_code == 403


# --- ratings -----------------------------------------------------------------------------------------


@pytest.fixture
def low_rating(case, reviewer, applicant, clock):
    clock.set("2025-06-09")
    case = actions.complete(
        actions.approve(actions.accept(case, actor=reviewer), actor=reviewer), actor=reviewer
    )
    return actions.rate(case, acting(applicant), 1, "排队太久")


def test_the_follow_ups_are_listed_and_answered(signed_in, low_rating):
    html = signed_in.get(reverse("applications_ratings")).content.decode()
    assert low_rating.application.number in html and "2025-06-16" in html
    url = reverse("applications_rating", args=[low_rating.pk])
    response = signed_in.post(url, {"reply": "已回访，窗口已增加人手。"})
    assert response.status_code == 302
    low_rating.refresh_from_db()
    assert low_rating.reply == "已回访，窗口已增加人手。"
    assert "已回访" in signed_in.get(url).content.decode()


def test_another_department_cannot_open_the_follow_up(client, low_rating, outsider):
    url = reverse("applications_rating", args=[low_rating.pk])
    assert login(client, outsider).get(url).status_code == 404
