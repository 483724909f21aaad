"""find_matters: filters, filters with words, and the editable synonym list."""

from __future__ import annotations

import pytest

from eban.catalogue.queries import find_matters
from eban.catalogue.search import reindex_matters
from eban.catalogue.testing import make_department, make_division, make_matter
from eban.search.models import Synonym

from .test_search import catalogue, search_catalogue  # noqa: F401  (the shared fixture catalogue)

pytestmark = pytest.mark.usefixtures("catalogue")


def names(result, n: int | None = None) -> list[str]:
    matters = result.matters if n is None else result.matters[:n]
    return [m.name for m in matters]


def test_without_words_filters_list_live_matters():
    result = find_matters(theme="housing_fund")
    assert sorted(names(result)) == ["住房公积金提取", "住房公积金缴存证明", "住房公积金贷款"]
    assert result.total == 3


def test_filters_combine_with_words():
    result = find_matters("证明", theme="housing_fund")
    assert names(result) == ["住房公积金缴存证明"]


def test_category_filter_narrows_the_search():
    result = find_matters("缴纳", category="self_payment")
    assert names(result) == ["水费缴纳"]


def test_department_filter_narrows_the_search():
    result = find_matters("证明", department="330300-GJJ")
    assert names(result) == ["住房公积金缴存证明"]


def test_audience_filter_keeps_matters_for_both():
    reindex_matters([make_matter(name="电子营业执照下载", audience="both").pk])
    found = names(find_matters("营业执照", audience="enterprise"))
    assert set(found) == {"企业设立登记", "电子营业执照下载"}


def test_channel_filter():
    make_matter(name="境外公证认证", channel_overseas=True)
    assert names(find_matters(channel="overseas")) == ["境外公证认证"]


def test_division_filter_includes_matters_offered_everywhere_the_department_serves():
    city = make_division()
    district = make_division(code="330302", name="鹿城区", level="county", parent=city)
    department = make_department(code="330302-MZ", name="鹿城区民政局", division=district)
    reindex_matters([make_matter(name="鹿城区临时救助", department=department).pk])
    found = names(find_matters("救助", division="330302"))
    assert found == ["鹿城区临时救助"]
    assert "老年人优待证办理" in names(find_matters("优待证", division="330302"))
    assert names(find_matters("救助", division="330300")) == []


def test_filters_with_no_match_give_no_results():
    assert find_matters("公积金", theme="exit_entry").total == 0


def test_unknown_filter_value_gives_no_results():
    assert find_matters(division="999999").total == 0
    assert find_matters(channel="pigeon").total == 0


def test_unpublished_matters_are_not_listed():
    make_matter(name="草稿事项", themes=("housing_fund",), live=False)
    assert "草稿事项" not in names(find_matters(theme="housing_fund"))


def test_added_synonym_takes_effect():
    assert "住房公积金提取" not in names(find_matters("取房钱"), 3)
    Synonym.objects.create(terms="取房钱, 公积金提取")
    assert names(find_matters("取房钱"), 1) == ["住房公积金提取"]


def test_edited_synonym_takes_effect():
    group = Synonym.objects.create(terms="老人证, 残疾人证")
    assert names(find_matters("老人证"), 1) == ["残疾人证办理"]
    group.terms = "老人证, 老年人优待证"
    group.save()
    assert names(find_matters("老人证"), 1) == ["老年人优待证办理"]


def test_disabled_synonym_is_ignored():
    Synonym.objects.filter(terms__contains="户籍").update(enabled=False)
    assert "户籍证明开具" not in names(find_matters("户口证明"), 1)


def test_result_pages_load_in_rank_order():
    result = find_matters("公积金")
    assert len(result.matters) == result.total == 3
    assert [m.name for m in result.matters[1:3]] == names(result)[1:3]
