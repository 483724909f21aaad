import datetime

import pytest
from django.utils import timezone

from eban.accounts import actions
from eban.accounts.enums import Relationship
from eban.accounts.grants.acting import act_for
from eban.core.exceptions import PermissionDenied

from . import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _signed_in(citizen):
    actions.account_for(citizen)
    return citizen.user


def _proxy(principal, proxy, **extra):
    return actions.authorise_proxy(
        principal, proxy_name=proxy.name, proxy_id_number=proxy.id_number, relationship=Relationship.CHILD,
        valid_from=extra.pop("valid_from", TODAY), valid_until=extra.pop("valid_until", TODAY + datetime.timedelta(days=30)),
        actor=None, **extra,
    )  # fmt: skip


def test_a_citizen_acts_for_themself():
    me = factories.citizen("王阿公")
    acting = act_for(_signed_in(me))
    assert acting.for_self and acting.audit_data() == {"acted_by": me.pk, "for_citizen": me.pk}


def test_a_proxy_acts_for_the_principal_and_the_record_says_so():
    principal, son = factories.citizen("王阿公"), factories.citizen("王小明")
    grant = _proxy(principal, son, all_matters=True)
    acting = act_for(_signed_in(son), citizen=principal)
    assert acting.audit_data() == {"acted_by": son.pk, "for_citizen": principal.pk, "via_proxy": grant.pk}


def test_no_authorisation_no_acting():
    principal, stranger = factories.citizen("王阿公"), factories.citizen("路人")
    with pytest.raises(PermissionDenied):
        act_for(_signed_in(stranger), citizen=principal)


def test_a_revoked_or_expired_or_future_proxy_does_not_count():
    principal, son = factories.citizen("王阿公"), factories.citizen("王小明")
    grant = _proxy(principal, son, all_matters=True)
    actions.revoke(grant, by=principal, reason="", actor=None)
    with pytest.raises(PermissionDenied):
        act_for(_signed_in(son), citizen=principal)
    _proxy(principal, son, all_matters=True, valid_from=TODAY + datetime.timedelta(days=2))
    with pytest.raises(PermissionDenied):
        act_for(son.user, citizen=principal)
    with pytest.raises(PermissionDenied):
        act_for(son.user, citizen=principal, on=TODAY + datetime.timedelta(days=40))


def test_a_proxy_for_named_matters_covers_only_those(sample_matters):
    principal, son = factories.citizen("王阿公"), factories.citizen("王小明")
    covered, other = sample_matters
    _proxy(principal, son, matters=[covered])
    assert act_for(_signed_in(son), citizen=principal, matter_id=covered.pk).grant is not None
    with pytest.raises(PermissionDenied):
        act_for(son.user, citizen=principal, matter_id=other.pk)


def test_an_agent_acts_for_the_firm_and_the_legal_representative_too():
    boss, clerk, stranger = (
        factories.citizen("王老板"),
        factories.citizen("李经办"),
        factories.citizen("路人"),
    )
    firm = actions.register_enterprise(
        credit_code=factories.credit_code(), name="样例公司", legal_representative=boss, actor=None
    )
    grant = actions.authorise_agent(
        firm, by=boss, agent_name=clerk.name, agent_id_number=clerk.id_number,
        valid_from=TODAY, valid_until=TODAY + datetime.timedelta(days=30), all_matters=True, actor=None,
    )  # fmt: skip
    assert act_for(_signed_in(boss), enterprise=firm).grant is None
    acting = act_for(_signed_in(clerk), enterprise=firm)
    assert acting.audit_data() == {"acted_by": clerk.pk, "for_enterprise": firm.pk, "via_agent": grant.pk}
    with pytest.raises(PermissionDenied):
        act_for(_signed_in(stranger), enterprise=firm)


def test_staff_without_a_citizen_record_cannot_act(django_user_model):
    official = django_user_model.objects.create_user("official", password="x" * 12)
    with pytest.raises(PermissionDenied):
        act_for(official)
