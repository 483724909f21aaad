"""An official's scope: their department's rows within their divisions (and everything under
them); everything for a platform administrator; nothing without a staff profile."""

import pytest

from eban.accounts.enums import StaffRole
from eban.accounts.permissions import in_scope, staff_scope, visible_to
from eban.accounts.testing import make_staff
from eban.catalogue.models import Matter
from eban.catalogue.testing import make_department, make_division, make_matter
from eban.government.models import DivisionLevel

pytestmark = pytest.mark.django_db

# Matters: the department that handles them and the divisions where they are offered.
IN = {"department": "department", "division": "divisions"}


@pytest.fixture
def world():
    city = make_division("330300", "温州市", DivisionLevel.CITY)
    x = make_division("330302", "鹿城区", DivisionLevel.COUNTY, parent=city)
    x_sub = make_division("330302001", "五马街道", DivisionLevel.TOWNSHIP, parent=x)
    y = make_division("330303", "龙湾区", DivisionLevel.COUNTY, parent=city)
    a = make_department("330300-RS", "温州市人力资源和社会保障局", division=city)
    b = make_department("330300-GA", "温州市公安局", division=city)
    matters = {
        "A in X": make_matter(department=a, divisions=[x]),
        "A in X's street": make_matter(department=a, divisions=[x_sub]),
        "A in Y": make_matter(department=a, divisions=[y]),
        "B in X": make_matter(department=b, divisions=[x]),
    }
    return {"x": x, "x_sub": x_sub, "y": y, "a": a, "b": b, "matters": matters}


def names(world, queryset):
    by_pk = {m.pk: name for name, m in world["matters"].items()}
    return sorted(by_pk[pk] for pk in queryset.values_list("pk", flat=True).distinct())


def test_a_reviewer_sees_their_department_within_their_division_and_below(world):
    reviewer = make_staff("rev", department=world["a"], divisions=[world["x"]], roles=[StaffRole.REVIEWER])
    assert names(world, visible_to(reviewer, Matter.objects.all(), **IN)) == ["A in X", "A in X's street"]


def test_a_reviewer_of_a_street_does_not_see_the_whole_district(world):
    reviewer = make_staff(
        "rev", department=world["a"], divisions=[world["x_sub"]], roles=[StaffRole.REVIEWER]
    )
    assert names(world, visible_to(reviewer, Matter.objects.all(), **IN)) == ["A in X's street"]


def test_without_divisions_a_reviewer_sees_the_departments_own_division(world):
    reviewer = make_staff("rev", department=world["a"], roles=[StaffRole.REVIEWER])
    assert staff_scope(reviewer).division_codes == ("330300",)
    assert len(names(world, visible_to(reviewer, Matter.objects.all(), **IN))) == 3


def test_the_platform_admin_sees_everything(world):
    admin = make_staff("pa", department=world["b"], roles=[StaffRole.PLATFORM_ADMIN])
    assert len(names(world, visible_to(admin, Matter.objects.all(), **IN))) == 4


def test_an_account_without_a_staff_profile_sees_nothing(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    assert not visible_to(nobody, Matter.objects.all(), **IN).exists()
    assert staff_scope(nobody).nothing


def test_an_inactive_official_sees_nothing(world):
    reviewer = make_staff("rev", department=world["a"], divisions=[world["x"]], roles=[StaffRole.REVIEWER])
    reviewer.is_active = False
    assert not visible_to(reviewer, Matter.objects.all(), **IN).exists()


def test_in_scope_agrees_with_visible_to(world):
    reviewer = make_staff("rev", department=world["a"], divisions=[world["x"]], roles=[StaffRole.REVIEWER])
    a, b = world["a"].pk, world["b"].pk
    assert in_scope(reviewer, a, "330302")
    assert in_scope(reviewer, a, "330302001")
    assert not in_scope(reviewer, a, "330303")
    assert not in_scope(reviewer, b, "330302")
    assert not in_scope(reviewer, a, None)
    admin = make_staff("pa", department=world["b"], roles=[StaffRole.PLATFORM_ADMIN])
    assert in_scope(admin, a, "330303")


def test_a_city_code_covers_its_counties_despite_the_zero_padding():
    from eban.government.divisions import code_prefix

    assert code_prefix("330000") == "33"
    assert code_prefix("330300") == "3303"
    assert code_prefix("330302") == "330302"
    assert code_prefix("330302001") == "330302001"
