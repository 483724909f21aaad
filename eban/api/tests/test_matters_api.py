"""GET /api/v1/matters and GET /api/v1/matters/{code}."""

import typing

import pytest

from eban.catalogue import api as catalogue_api
from eban.catalogue.enums import Audience, Category, Channel
from eban.catalogue.guide import matter_to_dict
from eban.catalogue.search import reindex_matters
from eban.catalogue.testing import make_department, make_matter

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_schema_enums_are_the_model_enums():
    assert set(typing.get_args(catalogue_api.CategoryCode)) == set(Category.values)
    assert set(typing.get_args(catalogue_api.AudienceCode)) == set(Audience.values)
    assert set(typing.get_args(catalogue_api.ChannelCode)) == set(Channel.values)


# --- the whole guide -------------------------------------------------------------------------


def test_guide_is_the_interchange_serialisation(client):
    matter = make_matter(code="330300-MZ-0001", name="老年人优待证办理", themes=("civil_affairs",))
    response = client.get("/api/v1/matters/330300-MZ-0001")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == matter_to_dict(matter)


def test_unknown_code_answers_404_with_a_clear_body(client):
    response = client.get("/api/v1/matters/NO-SUCH-CODE", **EN)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "NO-SUCH-CODE" in error["message"]
    assert error["message"] == "No published matter has the code “NO-SUCH-CODE”."


def test_unpublished_matter_answers_404(client):
    make_matter(code="DRAFT-1", live=False)
    assert client.get("/api/v1/matters/DRAFT-1").status_code == 404


def test_code_that_cannot_be_a_matter_code_answers_404_not_500(client):
    assert client.get("/api/v1/matters/%00bad").status_code == 404


def test_guide_shows_a_change_at_once_despite_the_cache(client):
    matter = make_matter(code="CACHE-1", name="旧名称")
    assert client.get("/api/v1/matters/CACHE-1").json()["name"] == "旧名称"
    matter.name = "新名称"
    matter.save()
    assert client.get("/api/v1/matters/CACHE-1").json()["name"] == "新名称"


def test_guide_disappears_when_unpublished(client):
    matter = make_matter(code="UNPUB-1")
    assert client.get("/api/v1/matters/UNPUB-1").status_code == 200
    matter.live = False
    matter.save()
    assert client.get("/api/v1/matters/UNPUB-1").status_code == 404


# --- the list --------------------------------------------------------------------------------


def test_list_items_carry_code_name_department_channels_and_guide_url(client):
    make_matter(code="LIST-1", name="居住证办理", name_en="Residence permit", channel_kiosk=True)
    body = client.get("/api/v1/matters").json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["code"] == "LIST-1"
    assert item["name"] == "居住证办理"
    assert item["name_en"] == "Residence permit"
    assert item["category"] == "certificate"
    assert item["department"] == "330300-GA"
    assert item["department_name"] == "温州市公安局"
    assert item["channels"] == ["kiosk", "online", "window"]
    assert item["url"] == "http://testserver/matters/LIST-1/"
    assert item["api_url"] == "http://testserver/api/v1/matters/LIST-1"


def test_list_leaves_out_unpublished_matters(client):
    make_matter(code="LIVE-1")
    make_matter(code="DRAFT-2", live=False)
    codes = [item["code"] for item in client.get("/api/v1/matters").json()["items"]]
    assert codes == ["LIVE-1"]


def test_list_filters_by_category(client):
    make_matter(code="CAT-A", category="approval", on_the_spot=False, promised_days=5)
    make_matter(code="CAT-C", category="certificate")
    body = client.get("/api/v1/matters", {"category": "approval"}).json()
    assert [item["code"] for item in body["items"]] == ["CAT-A"]


def test_list_filters_by_theme(client):
    make_matter(code="TH-1", themes=("housing_fund",))
    make_matter(code="TH-2", themes=("traffic",))
    body = client.get("/api/v1/matters", {"theme": "housing_fund"}).json()
    assert [item["code"] for item in body["items"]] == ["TH-1"]


def test_list_filters_by_department(client):
    make_matter(code="DEP-1", department=make_department("330300-MZ", "温州市民政局"))
    make_matter(code="DEP-2")
    body = client.get("/api/v1/matters", {"department": "330300-MZ"}).json()
    assert [item["code"] for item in body["items"]] == ["DEP-1"]


def test_list_filters_by_channel(client):
    make_matter(code="CH-1", channel_overseas=True)
    make_matter(code="CH-2")
    body = client.get("/api/v1/matters", {"channel": "overseas"}).json()
    assert [item["code"] for item in body["items"]] == ["CH-1"]


def test_list_searches_with_q_best_match_first(client):
    wanted = make_matter(code="Q-1", name="居住证办理", aliases="暂住证")
    other = make_matter(code="Q-2", name="户籍证明")
    reindex_matters([wanted.pk, other.pk])
    body = client.get("/api/v1/matters", {"q": "暂住证怎么办"}).json()
    assert body["items"][0]["code"] == "Q-1"


def test_list_suggests_other_queries_when_nothing_matches(client):
    matter = make_matter(code="S-1", name="住房公积金提取")
    reindex_matters([matter.pk])
    body = client.get("/api/v1/matters", {"q": "飞船驾驶执照"}).json()
    assert body["total"] == 0
    assert body["items"] == []
    assert isinstance(body["suggestions"], list)


def test_list_ignores_control_characters_in_q(client):
    response = client.get("/api/v1/matters", {"q": "居住\x00证"})
    assert response.status_code == 200


def test_list_is_paginated_with_total_and_links(client):
    for n in range(5):
        make_matter(code=f"PAGE-{n}")
    body = client.get("/api/v1/matters", {"page_size": 2, "page": 2}).json()
    assert body["total"] == 5
    assert body["pages"] == 3
    assert len(body["items"]) == 2
    assert body["next"] == "http://testserver/api/v1/matters?page_size=2&page=3"
    assert body["previous"] == "http://testserver/api/v1/matters?page_size=2&page=1"


def test_last_page_has_no_next_link(client):
    for n in range(3):
        make_matter(code=f"LAST-{n}")
    body = client.get("/api/v1/matters", {"page_size": 2, "page": 2}).json()
    assert len(body["items"]) == 1
    assert body["next"] is None


def test_page_past_the_end_is_empty(client):
    make_matter(code="PAST-1")
    body = client.get("/api/v1/matters", {"page": 9}).json()
    assert body["items"] == []
    assert body["total"] == 1


def test_page_size_above_the_maximum_answers_422(client):
    response = client.get("/api/v1/matters", {"page_size": 1000}, **EN)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["message"] == "page_size must be at most 100."


def test_unknown_category_answers_422_naming_the_value_and_the_choices(client):
    response = client.get("/api/v1/matters", {"category": "bogus"}, **EN)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"] == [
        {
            "field": "category",
            "type": "literal_error",
            "message": "“bogus” is not a valid category; use one of: "
            "'approval', 'certificate', 'self_payment' or 'public_payment'.",
        }
    ]
    assert "“bogus” is not a valid category" in error["message"]


def test_unknown_theme_answers_422(client):
    response = client.get("/api/v1/matters", {"theme": "no_such_theme"}, **EN)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0] == {
        "field": "theme",
        "type": "unknown_code",
        "message": "“no_such_theme” is not a known theme.",
    }


def test_unknown_department_answers_422(client):
    response = client.get("/api/v1/matters", {"department": "999999-XX"}, **EN)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "department"
