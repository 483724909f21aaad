"""The editable synonym list: seeded, validated, and in the back office."""

import pytest
from django.core.exceptions import ValidationError

from eban.accounts.testing import staff_login
from eban.search.models import Synonym
from eban.search.synonyms import build_map, synonym_map


def test_seed_list_has_the_common_synonyms(db):
    lookup = synonym_map()
    assert "户籍" in lookup["户口"]
    assert "违法" in lookup["违章"]
    assert "不动产" in lookup["房产证"]
    assert "挂失" in lookup["丢了"]


def test_groups_sharing_a_word_are_merged_for_that_word():
    lookup = build_map([["丢了", "补办"], ["补办", "补领"]])
    assert set(lookup["补办"]) == {"丢了", "补领"}


def test_a_group_needs_two_different_words(db):
    with pytest.raises(ValidationError):
        Synonym(terms="户口, 户口").full_clean()


def test_words_are_normalised_on_clean(db):
    group = Synonym(terms="户口，户籍、 ＨＫ")
    group.full_clean()
    assert group.terms == "户口, 户籍, hk"


def test_deleted_group_no_longer_applies(db):
    group = Synonym.objects.create(terms="火星证, 优待证")
    assert "火星证" in synonym_map()
    group.delete()
    assert "火星证" not in synonym_map()


def test_staff_can_open_the_synonym_list_in_the_admin(client, staff_user):
    staff_login(client, staff_user)
    response = client.get("/admin/snippets/search/synonym/")
    assert response.status_code == 200
    assert "户口" in response.content.decode()


def test_staff_can_add_a_synonym_group_in_the_admin(client, staff_user):
    staff_login(client, staff_user)
    response = client.post(
        "/admin/snippets/search/synonym/add/", {"terms": "护照, passport", "note": "", "enabled": "on"}
    )
    assert response.status_code == 302
    assert Synonym.objects.filter(terms="护照, passport").exists()
