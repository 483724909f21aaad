import pytest

from eban.applications.models import MatterSetup
from eban.applications.setups import save_setup
from eban.catalogue.testing import make_matter
from eban.core.exceptions import DomainError

pytestmark = pytest.mark.django_db


def test_a_bad_form_or_a_missing_rule_is_refused_and_nothing_saved():
    matter = make_matter()
    with pytest.raises(DomainError):
        save_setup(matter, form_schema={"type": "array"}, actor=None)
    with pytest.raises(DomainError):
        save_setup(matter, instant=True, actor=None)
    with pytest.raises(DomainError):
        save_setup(matter, rule_code="no-such-rule", actor=None)
    assert not MatterSetup.objects.filter(matter=matter).exists()


def test_a_good_setup_is_saved_and_saving_it_again_changes_nothing():
    matter = make_matter()
    schema = {"type": "object", "properties": {"note": {"type": "string", "title": "备注"}}}
    setup = save_setup(matter, form_schema=schema, actor=None)
    again = save_setup(matter, form_schema=schema, actor=None)
    assert again.pk == setup.pk and again.form_schema == schema


def test_the_back_office_lists_the_setups_for_a_platform_admin(client):
    from eban.accounts.testing import make_staff, staff_login

    matter = make_matter()
    save_setup(matter, actor=None)
    admin = make_staff("platform", roles=["platform_admin"])
    staff_login(client, admin)
    response = client.get("/admin/snippets/applications/mattersetup/")
    assert response.status_code == 200 and matter.name in response.content.decode()
