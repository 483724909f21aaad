"""The browse and search pages (through eban.catalogue.queries.find_matters)."""

import re

import pytest
from django.core.cache import cache

from eban.catalogue.search import reindex_matters
from eban.catalogue.testing import make_department, make_matter
from eban.catalogue.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def indexed(*matters):
    """The matters made searchable, as the catalogue's actions do after each change."""
    reindex_matters([m.pk for m in matters])
    return matters


def listed(html: str, *, marks: bool = False) -> str:
    """The result list of a page (empty when there is none), without the highlighting unless asked."""
    if 'data-testid="matter-list"' not in html:
        return ""
    start = html.index('data-testid="matter-list"')
    found = html[start : html.index("</ol>", start)]
    return found if marks else re.sub("</?mark>", "", found)


# ---------------------------------------------------------------- browse


def test_browse_lists_live_matters_only(client):
    make_matter(name="社保参保证明开具")
    make_matter(name="草稿事项", live=False)
    response = client.get("/matters/")
    assert response.status_code == 200
    results = listed(response.content.decode())
    assert "社保参保证明开具" in results
    assert "草稿事项" not in results


def test_browse_filters_by_category(client):
    make_matter(name="社保参保证明开具", category="certificate")
    make_matter(name="营业执照办理", category="approval")
    results = listed(client.get("/matters/?category=approval").content.decode())
    assert "营业执照办理" in results
    assert "社保参保证明开具" not in results


def test_browse_combines_filters(client):
    make_matter(name="公积金提取", category="approval", themes=("housing_fund",))
    make_matter(name="公积金缴存证明", category="certificate", themes=("housing_fund",))
    make_matter(name="营业执照办理", category="approval", themes=("enterprise",))
    results = listed(client.get("/matters/?category=approval&theme=housing_fund").content.decode())
    assert "公积金提取" in results
    assert "公积金缴存证明" not in results
    assert "营业执照办理" not in results


def test_browse_filters_by_department(client):
    tax = make_department("330300-SWJ", "国家税务总局温州市税务局")
    make_matter(name="完税证明开具", department=tax)
    make_matter(name="户籍证明开具")
    results = listed(client.get("/matters/?department=330300-SWJ").content.decode())
    assert "完税证明开具" in results
    assert "户籍证明开具" not in results


def test_browse_filters_by_life_event_and_audience(client):
    make_matter(name="企业设立登记", audience="enterprise", life_events=("start_business",))
    make_matter(name="出生医学证明", audience="person", life_events=("birth",))
    by_event = listed(client.get("/matters/?life_event=start_business").content.decode())
    assert "企业设立登记" in by_event and "出生医学证明" not in by_event
    by_audience = listed(client.get("/matters/?audience=enterprise").content.decode())
    assert "企业设立登记" in by_audience and "出生医学证明" not in by_audience


def test_browse_ignores_an_unknown_filter_value(client):
    make_matter(name="户籍证明开具")
    response = client.get("/matters/?category=nonsense&theme=nope")
    assert response.status_code == 200
    assert "户籍证明开具" in listed(response.content.decode())


def test_browse_category_tab_keeps_the_other_filters(client):
    make_matter(themes=("housing_fund",))
    html = client.get("/matters/?theme=housing_fund").content.decode()
    assert 'href="?theme=housing_fund&amp;category=approval"' in html


def test_browse_is_paginated(client):
    for n in range(PAGE_SIZE + 5):
        make_matter(code=f"PAGE-{n:03d}", name=f"分页事项{n:03d}")
    first = client.get("/matters/").content.decode()
    assert listed(first).count('class="matter-card"') == PAGE_SIZE
    assert 'href="?page=2"' in first
    second = client.get("/matters/?page=2").content.decode()
    assert listed(second).count('class="matter-card"') == 5


def test_browse_page_out_of_range_shows_the_last_page(client):
    make_matter(name="户籍证明开具")
    response = client.get("/matters/?page=99")
    assert response.status_code == 200
    assert "户籍证明开具" in listed(response.content.decode())


def test_browse_in_english_shows_english_names(client):
    client.cookies["django_language"] = "en"
    make_matter(name="户籍证明开具", name_en="Household registration certificate")
    assert "Household registration certificate" in listed(client.get("/matters/").content.decode())


def test_browse_labels_sample_matters(client):
    make_matter(is_sample=True)
    html = client.get("/matters/").content.decode()
    assert 'data-testid="sample-banner"' in html
    assert "badge-sample" in listed(html)


# ---------------------------------------------------------------- search


def test_search_finds_a_matter_by_name_and_highlights_the_words(client):
    indexed(make_matter(name="老年人优待证办理"))
    response = client.get("/search/", {"q": "优待证"})
    assert response.status_code == 200
    results = listed(response.content.decode(), marks=True)
    assert "<mark>优待证</mark>" in results


def test_search_without_a_query_shows_the_search_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert listed(html) == ""


def test_search_with_no_match_says_so(client):
    indexed(make_matter(name="老年人优待证办理"))
    html = client.get("/search/", {"q": "完全不存在的东西xyz"}).content.decode()
    assert 'data-testid="no-results"' in html


def test_search_escapes_the_query(client):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_search_does_not_show_unpublished_matters(client):
    indexed(make_matter(name="老年人优待证办理", live=False))
    assert "老年人优待证办理" not in listed(client.get("/search/", {"q": "优待证"}).content.decode())


def test_search_cuts_an_overlong_query(client):
    response = client.get("/search/", {"q": "证" * 5000})
    assert response.status_code == 200


def test_search_puts_the_best_match_first(client):
    indexed(
        make_matter(name="社会保障卡挂失", aliases="社保卡丢了"),
        make_matter(name="社保参保证明开具"),
        make_matter(name="户籍证明开具"),
    )
    results = listed(client.get("/search/", {"q": "社保卡丢了"}).content.decode())
    first_card = results.split('class="matter-card"')[1]
    assert "社会保障卡挂失" in first_card


def test_search_is_paginated(client):
    indexed(*[make_matter(code=f"FIND-{n:03d}", name=f"居住证办理{n:03d}") for n in range(PAGE_SIZE + 3)])
    first = client.get("/search/", {"q": "居住证"}).content.decode()
    assert listed(first).count('class="matter-card"') == PAGE_SIZE
    assert "page=2" in first
    second = client.get("/search/", {"q": "居住证", "page": 2}).content.decode()
    assert listed(second).count('class="matter-card"') == 3


def test_search_suggests_names_when_nothing_matches(client):
    indexed(make_matter(name="住房公积金提取"))
    response = client.get("/search/", {"q": "公基金提取"})
    html = response.content.decode()
    if listed(html):  # the search understood the homophone typo outright: fine too
        assert "住房公积金提取" in listed(html)
    else:
        assert 'data-testid="suggestions"' in html


def test_search_combines_words_and_filters(client):
    indexed(
        make_matter(name="居住证办理", category="approval"),
        make_matter(name="居住证明开具", category="certificate"),
    )
    results = listed(client.get("/search/", {"q": "居住", "category": "certificate"}).content.decode())
    assert "居住证明开具" in results
    assert "居住证办理" not in results


def test_search_highlights_the_words_of_a_question(client):
    indexed(make_matter(name="老年人优待证办理"))
    results = listed(client.get("/search/", {"q": "老年人优待证怎么办"}).content.decode(), marks=True)
    assert "<mark>老年人优待证</mark>办理" in results
