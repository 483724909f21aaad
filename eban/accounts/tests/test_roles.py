"""The staff roles are Django groups whose permissions follow eban/accounts/roles.py."""

import pytest
from django.contrib.auth.models import Group, Permission

from eban.accounts import actions
from eban.accounts.enums import StaffRole
from eban.accounts.staff.roles import ROLE_PERMISSIONS, sync_role_groups

pytestmark = pytest.mark.django_db


def perms_of(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_every_role_has_its_group_with_exactly_its_permissions():
    for role in StaffRole:
        assert perms_of(Group.objects.get(name=role.group_name)) == set(ROLE_PERMISSIONS[role]), role


def test_no_permission_is_created_twice():
    codes = list(Permission.objects.values_list("content_type__app_label", "codename"))
    assert len(codes) == len(set(codes))


def test_syncing_again_changes_nothing():
    assert sync_role_groups() == 0


def test_a_permission_added_by_hand_to_a_role_group_is_undone():
    group = Group.objects.get(name=StaffRole.REVIEWER.group_name)
    group.permissions.add(Permission.objects.get(codename="view_unmasked"))
    assert sync_role_groups() == 1
    assert perms_of(group) == {"wagtailadmin.access_admin"}


def test_a_role_gives_its_permissions(django_user_model):
    user = django_user_model.objects.create_user("clerk")
    actions.set_staff(user, department=None, roles=[StaffRole.OVERSEAS_CLERK], actor=None)
    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("accounts.view_citizen") and not user.has_perm("accounts.view_unmasked")


def test_only_the_platform_admin_may_see_unmasked_data():
    holders = [role for role, perms in ROLE_PERMISSIONS.items() if "accounts.view_unmasked" in perms]
    assert holders == [StaffRole.PLATFORM_ADMIN]
