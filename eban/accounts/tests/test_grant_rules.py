"""What an authorisation may cover: "all matters" only for close family, for at most a year."""

import datetime

import pytest
from django.utils import timezone

from eban.accounts import actions
from eban.accounts.enums import Relationship
from eban.accounts.grants.rules import MAX_MATTERS, check_proxy_scope
from eban.core.exceptions import DomainError

from . import factories

DAY = datetime.date(2026, 1, 1)


@pytest.mark.parametrize("relationship", [Relationship.SPOUSE, Relationship.PARENT, Relationship.CHILD])
def test_close_family_may_hold_all_matters_for_a_year(relationship):
    check_proxy_scope(
        relationship,
        all_matters=True,
        matter_count=0,
        valid_from=DAY,
        valid_until=DAY + datetime.timedelta(days=366),
    )


@pytest.mark.parametrize(
    "relationship", [Relationship.SIBLING, Relationship.OTHER_RELATIVE, Relationship.OFFICIAL_HELPER]
)
def test_others_are_authorised_matter_by_matter(relationship):
    with pytest.raises(DomainError) as error:
        check_proxy_scope(relationship, all_matters=True, matter_count=0, valid_from=DAY, valid_until=DAY)
    assert error.value.code == "all_matters"
    check_proxy_scope(relationship, all_matters=False, matter_count=3, valid_from=DAY, valid_until=DAY)


def test_all_matters_lasts_at_most_a_year():
    with pytest.raises(DomainError) as error:
        check_proxy_scope(
            Relationship.SPOUSE,
            all_matters=True,
            matter_count=0,
            valid_from=DAY,
            valid_until=DAY + datetime.timedelta(days=367),
        )
    assert error.value.code == "all_matters_span"


def test_one_authorisation_names_at_most_fifty_matters():
    with pytest.raises(DomainError):
        check_proxy_scope(
            Relationship.CHILD,
            all_matters=False,
            matter_count=MAX_MATTERS + 1,
            valid_from=DAY,
            valid_until=DAY,
        )


@pytest.mark.django_db
def test_the_action_applies_the_rule():
    principal, helper = factories.citizen("王阿公"), factories.citizen("李帮办")
    with pytest.raises(DomainError) as error:
        actions.authorise_proxy(
            principal,
            proxy_name=helper.name,
            proxy_id_number=helper.id_number,
            relationship=Relationship.OFFICIAL_HELPER,
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate(),
            all_matters=True,
            actor=None,
        )
    assert error.value.code == "all_matters"
