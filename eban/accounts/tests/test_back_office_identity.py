"""Identity in the back office: masked by default, "show" for entitled officials (audited),
scoped staff management."""

import datetime

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from eban.accounts import actions
from eban.accounts.enums import StaffRole
from eban.accounts.models import StaffProfile
from eban.accounts.staff import otp
from eban.accounts.testing import authenticator, make_staff, staff_login
from eban.accounts.tests import factories
from eban.catalogue.testing import make_department, make_division

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return factories.citizen("李小明", phone="13812345678")


@pytest.fixture
def department_a():
    return make_department("330300-RS", "温州市人力资源和社会保障局")


@pytest.fixture
def department_b():
    return make_department("330300-GA", "温州市公安局")


def official(username, *roles, department=None):
    return make_staff(username, department=department, roles=[r.value for r in roles])


def as_user(client, user):
    client.cookies["django_language"] = "en"
    return staff_login(client, user)


def test_citizens_are_listed_masked(client, person, department_a):
    admin = official("pa", StaffRole.PLATFORM_ADMIN, department=department_a)
    page = as_user(client, admin).get(reverse("accounts_citizens")).content.decode()
    assert person.masked_id_number in page and person.masked_phone in page
    assert person.id_number not in page and "13812345678" not in page and "李小明" not in page


def test_a_citizen_is_found_by_the_exact_id_number_only(client, person, department_a):
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    found = client.post(reverse("accounts_citizens"), {"q": person.id_number.lower()}).content.decode()
    assert reverse("accounts_citizen", args=[person.pk]) in found
    partial = client.post(reverse("accounts_citizens"), {"q": person.id_number[:10]}).content.decode()
    assert reverse("accounts_citizen", args=[person.pk]) not in partial
    assert "full 18-character ID number" in partial


def test_a_citizen_is_found_by_the_mobile_number(client, person, department_a):
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    found = client.post(reverse("accounts_citizens"), {"q": "138 1234 5678"}).content.decode()
    assert reverse("accounts_citizen", args=[person.pk]) in found


def test_the_search_keeps_numbers_out_of_the_url(client, person, department_a):
    """A GET query (bookmarks, history, proxies' and the server's request logs) is not searched:
    the form posts, and the answer is a page, not a redirect that would carry the number."""
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    page = client.get(reverse("accounts_citizens"), {"q": person.id_number}).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
    assert person.id_number not in page
    response = client.post(reverse("accounts_citizens"), {"q": person.id_number})
    assert response.status_code == 200


def test_the_detail_page_is_masked_until_show_is_pressed(client, person, department_a):
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    url = reverse("accounts_citizen", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.masked_id_number in page and person.id_number not in page
    assert 'name="field" value="id_number"' in page
    assert not ModelLogEntry.objects.filter(action="accounts.citizen.reveal").exists()


def test_show_reveals_the_number_and_is_audited(client, person, department_a):
    admin = official("pa", StaffRole.PLATFORM_ADMIN, department=department_a)
    as_user(client, admin)
    response = client.post(reverse("accounts_citizen", args=[person.pk]), {"field": "id_number"})
    assert response.status_code == 200
    page = response.content.decode()
    assert person.id_number in page and "13812345678" not in page
    entry = ModelLogEntry.objects.get(action="accounts.citizen.reveal")
    assert entry.user_id == admin.pk and entry.object_id == str(person.pk)
    assert entry.data == {"field": "id_number"}  # which field, never the value


def test_an_official_not_entitled_gets_403_and_no_show_button(client, person, department_a):
    clerk = official("clerk", StaffRole.OVERSEAS_CLERK, department=department_a)
    as_user(client, clerk)
    url = reverse("accounts_citizen", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.masked_id_number in page and 'name="field"' not in page
    response = client.post(url, {"field": "id_number"})
    assert response.status_code == 403
    assert person.id_number not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="accounts.citizen.reveal").exists()


def test_an_official_without_the_role_cannot_open_the_citizens(client, person, department_a):
    reviewer = official("rev", StaffRole.REVIEWER, department=department_a)
    as_user(client, reviewer)
    assert client.get(reverse("accounts_citizens")).url == reverse("wagtailadmin_home")
    assert client.get(reverse("accounts_citizen", args=[person.pk])).url == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("accounts_citizens") not in home


def test_the_platform_admin_sees_the_identity_menu(client, department_a):
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("accounts_citizens", "accounts_enterprises", "accounts_staff"):
        assert reverse(name) in home


def test_an_enterprise_shows_its_facts_and_tags(client, department_a):
    firm = actions.register_enterprise(
        credit_code=factories.credit_code(),
        name="温州示例电气有限公司",
        legal_representative=None,
        actor=None,
    )
    day = datetime.date(2025, 6, 30)
    actions.record_enterprise_facts(
        firm, [actions.FactInput("employees", 120, "社保参保数据", day, year=2024)], actor=None
    )
    actions.tag_enterprise(firm, "高新技术企业", source="省科技厅", as_of=day, actor=None)
    as_user(client, official("policy", StaffRole.POLICY_OFFICER, department=department_a))
    assert "温州示例电气" in client.get(reverse("accounts_enterprises"), {"q": "示例电气"}).content.decode()
    page = client.get(reverse("accounts_enterprise", args=[firm.pk])).content.decode()
    assert "高新技术企业" in page and "社保参保数据" in page and "120" in page


def test_a_department_admin_sees_only_their_departments_staff(client, department_a, department_b):
    admin_a = official("admin-a", StaffRole.DEPARTMENT_ADMIN, department=department_a)
    mine = official("reviewer-a", StaffRole.REVIEWER, department=department_a)
    theirs = official("reviewer-b", StaffRole.REVIEWER, department=department_b)
    as_user(client, admin_a)
    page = client.get(reverse("accounts_staff")).content.decode()
    assert "reviewer-a" in page and "reviewer-b" not in page
    assert client.get(reverse("accounts_staff_edit", args=[mine.staff_profile.pk])).status_code == 200
    assert client.get(reverse("accounts_staff_edit", args=[theirs.staff_profile.pk])).status_code == 404


def test_a_department_admin_adds_staff_to_their_department_only_with_everyday_roles(
    client, department_a, department_b, django_user_model
):
    as_user(client, official("admin-a", StaffRole.DEPARTMENT_ADMIN, department=department_a))
    newcomer = django_user_model.objects.create_user("newcomer", password="a-long-test-password")
    form = client.get(reverse("accounts_staff_add")).content.decode()
    assert 'value="reviewer"' in form and 'value="platform_admin"' not in form
    refused = client.post(
        reverse("accounts_staff_add"),
        {"username": "newcomer", "department": department_b.pk, "roles": ["platform_admin"]},
    )
    assert refused.status_code == 200 and not StaffProfile.objects.filter(user=newcomer).exists()
    response = client.post(
        reverse("accounts_staff_add"),
        {"username": "newcomer", "department": department_a.pk, "division_codes": "", "roles": ["reviewer"]},
    )
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=newcomer)
    assert profile.department == department_a and profile.roles == {"reviewer"}
    assert ModelLogEntry.objects.filter(action="accounts.staff.create", object_id=str(profile.pk)).exists()


def test_the_platform_admin_edits_staff_through_set_staff(client, department_a, department_b):
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    person = official("someone", StaffRole.REVIEWER, department=department_a)
    make_division("330302", "鹿城区")
    response = client.post(
        reverse("accounts_staff_edit", args=[person.staff_profile.pk]),
        {"department": department_b.pk, "division_codes": "330302", "roles": ["reviewer", "expert"]},
    )
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=person)
    assert profile.department == department_b and profile.roles == {"reviewer", "expert"}
    assert [d.code for d in profile.divisions.all()] == ["330302"]
    assert ModelLogEntry.objects.filter(action="accounts.staff.update", object_id=str(profile.pk)).exists()


def test_only_a_platform_admin_resets_an_authenticator(client, department_a):
    person = official("someone", StaffRole.REVIEWER, department=department_a)
    authenticator(person)
    url = reverse("accounts_staff_reset_otp", args=[person.staff_profile.pk])
    as_user(client, official("admin-a", StaffRole.DEPARTMENT_ADMIN, department=department_a))
    client.post(url)
    assert TOTPDevice.objects.filter(user=person).exists()
    client.logout()
    as_user(client, official("pa", StaffRole.PLATFORM_ADMIN, department=department_a))
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert ModelLogEntry.objects.filter(action=otp.RESET, object_id=str(person.pk)).exists()
