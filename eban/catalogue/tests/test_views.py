"""The public home and guide pages."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from eban.catalogue.testing import make_matter

pytestmark = pytest.mark.django_db

SHARED_ID_CARD = {
    "type": "material",
    "value": {
        "name": "居民身份证",
        "form": "original",
        "copies": 1,
        "required": True,
        "source": "shared",
        "note": "",
    },
}
PHOTO = {
    "type": "material",
    "value": {
        "name": "近期免冠照片",
        "form": "original",
        "copies": 2,
        "required": False,
        "source": "applicant",
        "note": "白底一寸",
    },
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def guide_url(matter):
    return reverse("catalogue:guide", args=[matter.code])


def full_guide(**fields):
    fields.setdefault("name", "老年人优待证办理")
    return make_matter(
        name_en="Senior citizen card application",
        summary="年满60周岁的本市户籍老年人可申领老年人优待证。",
        themes=("public_service", "civil_affairs"),
        life_events=("elderly_care",),
        trips=0,
        on_the_spot=False,
        statutory_days=20,
        promised_days=5,
        conditions=[
            {"type": "condition", "value": "年满60周岁"},
            {"type": "condition", "value": "具有本市户籍"},
        ],
        materials=[SHARED_ID_CARD, PHOTO],
        process=[{"type": "step", "value": {"title": "提交申请", "description": "在自助终端刷身份证"}}],
        legal_basis=[
            {"type": "law", "value": {"title": "《中华人民共和国老年人权益保障法》", "article": "第五十七条"}}
        ],
        faq=[{"type": "qa", "value": {"question": "外地户籍老人能办吗？", "answer": "持居住证可以办理。"}}],
        place="各县（市、区）民政局办事窗口",
        hours="工作日 9:00-17:00",
        consult_phone="0577-12345",
        complaint_phone="0577-12319",
        **fields,
    )


# ---------------------------------------------------------------- guide page


def test_guide_page_shows_the_whole_guide(client):
    matter = full_guide()
    response = client.get(guide_url(matter))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "老年人优待证办理",
        "年满60周岁",
        "具有本市户籍",
        "居民身份证",
        "近期免冠照片",
        "白底一寸",
        "提交申请",
        "《中华人民共和国老年人权益保障法》",
        "外地户籍老人能办吗？",
        "持居住证可以办理。",
        "各县（市、区）民政局办事窗口",
        "工作日 9:00-17:00",
        "0577-12345",
        "0577-12319",
        "温州市公安局",
    ]:
        assert text in html, text


def test_guide_page_numbers_the_conditions_in_order(client):
    html = client.get(guide_url(full_guide())).content.decode()
    conditions = html[html.index('id="conditions"') :]
    assert '<ol class="numbered">' in conditions
    assert conditions.index("年满60周岁") < conditions.index("具有本市户籍")


def test_guide_page_says_shared_materials_need_not_be_brought(english):
    html = english.get(guide_url(full_guide())).content.decode()
    table = html[html.index('data-testid="materials"') :]
    shared_row = table[table.index("居民身份证") : table.index("近期免冠照片")]
    assert "Shared data: nothing to bring" in shared_row
    assert "Shared data" not in table[table.index("近期免冠照片") : table.index("</table>")]


def test_guide_page_shows_trips_time_limits_and_fee(english):
    html = english.get(guide_url(full_guide())).content.decode()
    assert "No trip needed" in html
    assert "Promised: 5 working days" in html
    assert "Statutory: 20 working days" in html
    assert "Free of charge" in html


def test_guide_page_shows_done_on_the_spot_and_a_fee(english):
    matter = make_matter(
        on_the_spot=True, trips=1, fee_free=False, fee_amount="20.00", fee_basis="浙价费〔2017〕1号"
    )
    html = english.get(guide_url(matter)).content.decode()
    assert "Done on the spot" in html
    assert "At most one trip" in html
    assert "¥20.00" in html
    assert "浙价费〔2017〕1号" in html


def test_unpublished_matter_is_not_found(client):
    matter = make_matter(live=False)
    assert client.get(guide_url(matter)).status_code == 404


def test_unknown_matter_code_is_not_found(client):
    assert client.get("/matters/NO-SUCH-CODE/").status_code == 404


def test_guide_page_of_sample_matter_carries_the_sample_banner(client):
    html = client.get(guide_url(full_guide(is_sample=True))).content.decode()
    assert 'data-testid="sample-banner"' in html


def test_guide_page_of_real_matter_has_no_sample_banner(client):
    html = client.get(guide_url(full_guide(is_sample=False))).content.decode()
    assert 'data-testid="sample-banner"' not in html


def test_english_guide_page_shows_the_english_name(english):
    html = english.get(guide_url(full_guide())).content.decode()
    assert '<html lang="en">' in html
    assert "Senior citizen card application" in html


def test_chinese_guide_page_is_the_default(client):
    html = client.get(guide_url(full_guide())).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert '<h1 id="guide-title">老年人优待证办理</h1>' in html


def test_english_page_falls_back_to_the_chinese_name(english):
    matter = make_matter(name="户籍证明", name_en="")
    assert "户籍证明" in english.get(guide_url(matter)).content.decode()


def test_elderly_mode_marks_the_page_and_is_remembered(client):
    matter = full_guide()
    response = client.get(guide_url(matter) + "?elderly=1")
    assert 'class="elderly' in response.content.decode()
    assert client.get(guide_url(matter)).content.decode().count('class="elderly') == 1
    assert 'class="elderly' not in client.get(guide_url(matter) + "?elderly=0").content.decode()


def test_guide_page_links_a_print_stylesheet_and_print_button(client):
    html = client.get(guide_url(full_guide())).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    assert "data-print" in html


def test_guide_page_shows_a_change_once_published(client):
    matter = full_guide()
    client.get(guide_url(matter))  # cached now
    matter.name = "老年人优待证申领"
    matter.save()
    assert "老年人优待证申领" in client.get(guide_url(matter)).content.decode()


def test_guide_page_disappears_when_unpublished(client):
    matter = full_guide()
    client.get(guide_url(matter))
    matter.live = False
    matter.save()
    assert client.get(guide_url(matter)).status_code == 404


def test_cached_guide_page_costs_one_query(client, django_assert_num_queries):
    matter = full_guide()
    client.get(guide_url(matter))
    with django_assert_num_queries(1):
        assert client.get(guide_url(matter)).status_code == 200


def test_uncached_guide_page_has_no_n_plus_one(client, django_assert_max_num_queries):
    matter = full_guide()
    with django_assert_max_num_queries(6):
        assert client.get(guide_url(matter)).status_code == 200


def test_guide_page_lists_where_the_matter_is_offered(english):
    from eban.catalogue.testing import make_division

    city = make_division()
    lucheng = make_division("330302", "鹿城区", "county", city)
    matter = make_matter(divisions=[lucheng])
    html = english.get(guide_url(matter)).content.decode()
    offered = html[html.index('data-testid="divisions"') :]
    assert offered.index("鹿城区") < offered.index("</dd>")
    everywhere = english.get(guide_url(make_matter())).content.decode()
    assert "Throughout 温州市" in everywhere


def test_guide_page_has_skip_link_and_landmarks(client):
    html = client.get(guide_url(full_guide())).content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert '<meta name="viewport"' in html


# ---------------------------------------------------------------- home page


def test_home_page_offers_search_categories_themes_and_life_events(english):
    response = english.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'name="q"' in html
    for category in ["approval", "certificate", "self_payment", "public_payment"]:
        assert f"?category={category}" in html
    assert "?theme=social_security" in html
    assert "?life_event=birth" in html
    assert "?life_event=start_business" in html
    assert "For enterprises" in html


def test_home_page_lists_popular_matters(client):
    matter = make_matter(name="老年人优待证办理")
    html = client.get("/").content.decode()
    popular = html[html.index('data-testid="popular"') :]
    assert f'href="/matters/{matter.code}/"' in popular


def test_home_page_hides_unpublished_matters(client):
    make_matter(name="老年人优待证办理", live=False)
    assert "老年人优待证办理" not in client.get("/").content.decode()


def test_home_page_labels_sample_data(client):
    make_matter(is_sample=True)
    assert 'data-testid="sample-banner"' in client.get("/").content.decode()


def test_home_page_without_sample_data_has_no_sample_label(client):
    make_matter(is_sample=False)
    assert 'data-testid="sample-banner"' not in client.get("/").content.decode()


def test_home_page_counts_live_matters_per_theme(client):
    make_matter(themes=("housing_fund",))
    make_matter(themes=("housing_fund",))
    make_matter(themes=("housing_fund",), live=False)
    html = client.get("/").content.decode()
    chip = html[html.index("?theme=housing_fund") :]
    assert '<span class="count">2</span>' in chip[: chip.index("</a>")]


def _csrf_value(html: str) -> str:
    start = html.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
    return html[start : html.index('"', start)]


def test_cached_guide_page_carries_a_working_token_for_the_language_switch(client):
    from django.test import Client

    matter = full_guide()
    strict = Client(enforce_csrf_checks=True)
    strict.get(guide_url(matter))  # renders and caches
    html = strict.get(guide_url(matter)).content.decode()  # from the cache
    token = _csrf_value(html)
    assert "stand-in" not in token and len(token) == 64
    response = strict.post(
        "/i18n/setlang/", {"language": "en", "next": guide_url(matter), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "Senior citizen card application" in strict.get(guide_url(matter)).content.decode()


def test_elderly_and_standard_guide_pages_are_cached_apart(client):
    matter = full_guide()
    client.get(guide_url(matter) + "?elderly=1")
    client.get(guide_url(matter) + "?elderly=0")
    assert 'class="elderly' not in client.get(guide_url(matter)).content.decode()
    assert 'class="elderly' in client.get(guide_url(matter) + "?elderly=1").content.decode()


def test_a_cached_guide_page_never_shows_one_visitors_header_to_another(client):
    from eban.accounts import actions as accounts
    from eban.accounts.tests import factories

    matter = full_guide()
    citizen = factories.citizen("王阿公")
    accounts.account_for(citizen)
    client.force_login(citizen.user, backend="django.contrib.auth.backends.ModelBackend")
    assert 'data-testid="my-account"' in client.get(guide_url(matter)).content.decode()
    client.logout()
    page = client.get(guide_url(matter)).content.decode()
    assert 'data-testid="sign-in"' in page and 'data-testid="my-account"' not in page
