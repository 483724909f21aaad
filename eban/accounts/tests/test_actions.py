import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from eban.accounts import actions
from eban.accounts.enums import Relationship
from eban.accounts.models import Citizen, EnterpriseFact, FactKey
from eban.core.exceptions import Conflict, DomainError, PermissionDenied

from . import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_register_citizen_derives_birth_date_and_sex_from_the_id_number():
    number = factories.id_number(datetime.date(1964, 3, 15), male=False)
    citizen = actions.register_citizen(actions.CitizenInput(name="陈阿婆", id_number=number))
    assert citizen.birth_date == datetime.date(1964, 3, 15)
    assert citizen.sex == "female"


def test_citizen_is_found_by_id_number_in_any_case_and_stored_encrypted(django_assert_num_queries):
    number = factories.id_number()[:17] + "X"
    number = number if actions.check_id_number(number).valid else factories.id_number()
    citizen = factories.citizen(id_number=number.lower())
    assert Citizen.objects.get_by_id_number(number.upper()).pk == citizen.pk
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_citizen WHERE id = %s", [citizen.pk])
        stored = cursor.fetchone()[0]
    assert number.upper() not in stored and stored.startswith("v1:")


def test_invalid_id_number_is_refused_and_nothing_is_saved():
    good = factories.id_number()
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    with pytest.raises(DomainError) as error:
        actions.register_citizen(actions.CitizenInput(name="张三", id_number=wrong))
    assert error.value.code.startswith("id_number_")
    assert Citizen.objects.count() == 0


def test_a_known_id_number_with_another_name_is_refused():
    citizen = factories.citizen("张三")
    with pytest.raises(DomainError) as error:
        actions.register_citizen(actions.CitizenInput(name="李四", id_number=citizen.id_number))
    assert error.value.code == "name_mismatch"


def test_registering_the_same_citizen_twice_changes_nothing():
    citizen = factories.citizen("张三")
    entries = ModelLogEntry.objects.count()
    again = actions.register_citizen(actions.CitizenInput(name="张三", id_number=citizen.id_number))
    assert again.pk == citizen.pk and ModelLogEntry.objects.count() == entries


def test_audit_records_hold_no_personal_data():
    citizen = factories.citizen("张三", phone="17000000001")
    for entry in ModelLogEntry.objects.all():
        text = str(entry.data) + entry.label
        assert citizen.id_number not in text and "17000000001" not in text and "张三" not in text


def test_two_accounts_cannot_share_a_phone():
    first = factories.citizen("张三", phone="17000000001")
    actions.account_for(first)
    second = factories.citizen("李四")
    actions.account_for(second)
    with pytest.raises(Conflict):
        actions.register_citizen(
            actions.CitizenInput(name="李四", id_number=second.id_number, phone="17000000001")
        )


def test_bad_phone_country_and_passport_are_refused():
    number = factories.id_number()
    for extra in ({"phone": "12345"}, {"abroad_country": "Italy"}, {"passport_number": "E!"}):
        with pytest.raises(DomainError):
            actions.register_citizen(actions.CitizenInput(name="张三", id_number=number, **extra))


def test_only_the_legal_representative_authorises_agents():
    boss, other = factories.citizen("王老板"), factories.citizen("路人")
    firm = actions.register_enterprise(
        credit_code=factories.credit_code(), name="样例公司", legal_representative=boss, actor=None
    )
    clerk_number = factories.id_number()
    with pytest.raises(PermissionDenied):
        actions.authorise_agent(
            firm, by=other, agent_name="李经办", agent_id_number=clerk_number,
            valid_from=TODAY, valid_until=TODAY, all_matters=True, actor=None,
        )  # fmt: skip
    grant = actions.authorise_agent(
        firm, by=boss, agent_name="李经办", agent_id_number=clerk_number,
        valid_from=TODAY, valid_until=TODAY + datetime.timedelta(days=30), all_matters=True, actor=None,
    )  # fmt: skip
    assert grant.agent.name == "李经办" and grant.in_force()


def test_a_grant_needs_matters_and_a_sane_span():
    principal = factories.citizen("王阿公")
    number = factories.id_number()
    common = {
        "proxy_name": "王小明",
        "proxy_id_number": number,
        "relationship": Relationship.CHILD,
        "actor": None,
    }
    with pytest.raises(DomainError):
        actions.authorise_proxy(principal, valid_from=TODAY, valid_until=TODAY, **common)  # no matters
    with pytest.raises(DomainError):
        actions.authorise_proxy(
            principal,
            valid_from=TODAY,
            valid_until=TODAY - datetime.timedelta(days=1),
            all_matters=True,
            **common,
        )
    with pytest.raises(DomainError):
        actions.authorise_proxy(
            principal,
            valid_from=TODAY,
            valid_until=TODAY + datetime.timedelta(days=4000),
            all_matters=True,
            **common,
        )


def test_revoking_ends_a_proxy_now_and_only_the_parties_may():
    principal, proxy, stranger = (
        factories.citizen("王阿公"),
        factories.citizen("王小明"),
        factories.citizen("路人"),
    )
    grant = actions.authorise_proxy(
        principal, proxy_name=proxy.name, proxy_id_number=proxy.id_number, relationship=Relationship.CHILD,
        valid_from=TODAY, valid_until=TODAY + datetime.timedelta(days=10), all_matters=True, actor=None,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.revoke(grant, by=stranger, reason="", actor=None)
    actions.revoke(grant, by=principal, reason="不再需要", actor=None)
    grant.refresh_from_db()
    assert grant.revoked_at is not None and not grant.in_force()


def test_enterprise_facts_keep_source_and_date_and_set_current_values():
    firm = actions.register_enterprise(
        credit_code=factories.credit_code(), name="样例公司", legal_representative=None, actor=None
    )
    actions.record_enterprise_facts(
        firm,
        [
            actions.FactInput(FactKey.INDUSTRY_CODE, "c3911", "市场监管局", datetime.date(2024, 1, 1)),
            actions.FactInput(FactKey.EMPLOYEES, 86, "人社局", datetime.date(2025, 12, 31), year=2025),
        ],
        actor=None,
    )
    firm.refresh_from_db()
    assert firm.industry_code == "C3911"
    fact = EnterpriseFact.objects.get(enterprise=firm, key=FactKey.EMPLOYEES, year=2025)
    assert fact.number == 86 and fact.source == "人社局"


def test_a_bad_fact_saves_none_of_the_batch():
    firm = actions.register_enterprise(
        credit_code=factories.credit_code(), name="样例公司", legal_representative=None, actor=None
    )
    with pytest.raises(DomainError):
        actions.record_enterprise_facts(
            firm,
            [
                actions.FactInput(FactKey.EMPLOYEES, 10, "人社局", TODAY, year=2025),
                actions.FactInput(FactKey.REVENUE, "lots", "税务局", TODAY, year=2025),
            ],
            actor=None,
        )
    assert not EnterpriseFact.objects.filter(enterprise=firm).exists()


def test_a_bad_credit_code_is_refused():
    with pytest.raises(DomainError) as error:
        actions.register_enterprise(
            credit_code="91330302MA2H3K4L45", name="x", legal_representative=None, actor=None
        )
    assert error.value.code.startswith("credit_code_")


# --- set_staff checks who asks ------------------------------------------------------------------


@pytest.fixture
def two_departments():
    from eban.catalogue.testing import make_department

    return make_department("330300-RS", "温州市人力资源和社会保障局"), make_department(
        "330300-GA", "温州市公安局"
    )


def test_a_reviewer_cannot_make_anyone_staff(two_departments):
    from django.contrib.auth import get_user_model

    from eban.accounts.enums import StaffRole
    from eban.accounts.models import StaffProfile
    from eban.accounts.testing import make_staff

    department, _other = two_departments
    reviewer = make_staff("reviewer", department=department, roles=[StaffRole.REVIEWER])
    newcomer = get_user_model().objects.create_user("newcomer")
    with pytest.raises(PermissionDenied):
        actions.set_staff(newcomer, department=department, roles=[StaffRole.REVIEWER], actor=reviewer)
    assert not StaffProfile.objects.filter(user=newcomer).exists()
    newcomer.refresh_from_db()
    assert not newcomer.is_staff


def test_a_department_admin_cannot_give_the_platform_role_nor_staff_another_department(two_departments):
    from django.contrib.auth import get_user_model

    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff

    department, other = two_departments
    admin = make_staff("dept-admin", department=department, roles=[StaffRole.DEPARTMENT_ADMIN])
    newcomer = get_user_model().objects.create_user("newcomer")
    with pytest.raises(PermissionDenied):
        actions.set_staff(newcomer, department=department, roles=[StaffRole.PLATFORM_ADMIN], actor=admin)
    with pytest.raises(PermissionDenied):
        actions.set_staff(newcomer, department=other, roles=[StaffRole.REVIEWER], actor=admin)
    with pytest.raises(PermissionDenied):  # not themselves either
        actions.set_staff(admin, department=department, roles=[StaffRole.PLATFORM_ADMIN], actor=admin)
    profile = actions.set_staff(newcomer, department=department, roles=[StaffRole.REVIEWER], actor=admin)
    assert profile.roles == {"reviewer"}


def test_a_platform_admin_sets_any_staff(two_departments):
    from django.contrib.auth import get_user_model

    from eban.accounts.enums import StaffRole
    from eban.accounts.testing import make_staff

    department, other = two_departments
    admin = make_staff("pa", department=department, roles=[StaffRole.PLATFORM_ADMIN])
    newcomer = get_user_model().objects.create_user("newcomer")
    profile = actions.set_staff(newcomer, department=other, roles=[StaffRole.PLATFORM_ADMIN], actor=admin)
    assert profile.roles == {"platform_admin"}
