"""Search finds the matter people mean, however they ask (over a small realistic catalogue)."""

from __future__ import annotations

import pytest
from django.db import transaction

from eban.catalogue.queries import find_matters
from eban.catalogue.search import reindex_all, reindex_matters
from eban.catalogue.testing import make_department, make_matter

# name, aliases, keywords, themes, department code, extra fields
CATALOGUE = [
    ("老年人优待证办理", "老年证\n优待证", "敬老\n老年人", ("public_service",), "330300-MZ", {}),
    ("老年人高龄津贴申领", "高龄补贴", "养老", ("civil_affairs",), "330300-MZ", {}),
    ("居住证办理", "暂住证", "流动人口", ("household",), "330300-GA", {}),
    ("居住证签注", "", "", ("household",), "330300-GA", {}),
    ("社会保险参保证明打印", "社保证明\n社保参保证明", "参保凭证", ("social_security",), "330300-RS", {}),
    ("个人社保缴费查询", "社保缴费记录查询", "缴费记录", ("social_security",), "330300-RS", {}),
    ("市民卡挂失", "社保卡挂失\n市民卡丢失", "", ("citizen_card",), "330300-SMK", {}),
    ("市民卡补办", "社保卡补办\n补卡", "", ("citizen_card",), "330300-SMK", {}),
    ("市民卡申领", "社保卡申领\n办市民卡", "", ("citizen_card",), "330300-SMK", {}),
    ("住房公积金提取", "公积金提取\n提取公积金", "租房提取", ("housing_fund",), "330300-GJJ", {}),
    ("住房公积金贷款", "公积金贷款", "", ("housing_fund",), "330300-GJJ", {}),
    ("住房公积金缴存证明", "", "", ("housing_fund",), "330300-GJJ", {}),
    ("往来港澳通行证再次签注", "港澳签注\n港澳通行证续签", "", ("exit_entry",), "330300-GA", {}),
    ("往来港澳通行证首次申领", "办港澳通行证", "", ("exit_entry",), "330300-GA", {}),
    ("普通护照签发", "办护照", "", ("exit_entry",), "330300-GA", {}),
    ("机动车交通违法处理", "交通违法处理\n罚单处理", "电子警察", ("vehicles",), "330300-GA", {}),
    ("机动车驾驶证补领", "驾驶证遗失补领", "", ("vehicles",), "330300-GA", {}),
    ("户籍证明开具", "户籍证明", "", ("household",), "330300-GA", {}),
    ("户籍迁入登记", "投靠落户", "迁入", ("household",), "330300-GA", {}),
    ("无犯罪记录证明开具", "无犯罪记录证明", "", ("public_service",), "330300-GA", {}),
    ("不动产转移登记", "房产过户\n二手房过户", "买房", ("housing",), "330300-ZRZY", {}),
    ("不动产权证书补发", "不动产权证书遗失补发", "", ("housing",), "330300-ZRZY", {}),
    ("出生医学证明办理", "", "新生儿", ("health",), "330300-WJ", {}),
    ("医保异地就医备案", "异地就医备案", "", ("health",), "330300-YB", {}),
    (
        "企业设立登记",
        "营业执照办理\n办营业执照",
        "公司注册",
        ("enterprise",),
        "330300-SJ",
        {"audience": "enterprise"},
    ),
    ("个人所得税纳税记录开具", "完税证明", "", ("tax",), "330300-SWJ", {}),
    ("最低生活保障申请", "", "困难群众", ("civil_affairs",), "330300-MZ", {}),
    ("残疾人证办理", "", "", ("public_service",), "330300-CL", {}),
    ("结婚登记", "", "领证", ("civil_affairs",), "330300-MZ", {}),
    ("失业保险金申领", "", "", ("social_security",), "330300-RS", {}),
    ("中小学入学报名", "", "义务教育", ("education",), "330300-JY", {}),
    ("水费缴纳", "交水费", "", ("payment",), "330300-CZ", {"category": "self_payment"}),
    ("交通违法罚款缴纳", "交罚款", "", ("payment", "traffic"), "330300-CZ", {"category": "public_payment"}),
]

CONDITIONS = {
    "老年人优待证办理": ["年满60周岁的本市户籍老年人", "持有居住证满一年的非本市户籍老年人"],
    "住房公积金提取": ["购买、建造、翻建、大修自住住房的", "离休、退休的"],
    "医保异地就医备案": ["参加本市基本医疗保险的人员"],
    "失业保险金申领": ["失业前与用人单位存在劳动关系并参保缴费满一年"],
}


@pytest.fixture(scope="module")
def search_catalogue(django_db_setup, django_db_blocker):
    """The small catalogue above, published and indexed once per module; returns {name: matter}.

    Built inside a transaction rolled back at the end of the module; each test runs in its own
    savepoint (pytest-django's `db`), so what a test changes is undone after it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_catalogue()
        transaction.set_rollback(True)


@pytest.fixture
def catalogue(search_catalogue, db):
    return search_catalogue


def _build_catalogue() -> dict:
    matters = {}
    for name, aliases, keywords, themes, dept, extra in CATALOGUE:
        department = make_department(code=dept, name=f"{dept}部门")
        conditions = [("condition", text) for text in CONDITIONS.get(name, [])]
        matters[name] = make_matter(
            name=name,
            aliases=aliases,
            keywords=keywords,
            themes=themes,
            department=department,
            conditions=conditions,
            **extra,
        )
    reindex_all()
    return matters


def top_names(q: str, n: int = 3, **filters) -> list[str]:
    return [m.name for m in find_matters(q, **filters).matters[:n]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("优待证", "老年人优待证办理"),
        ("老年人优待证怎么办", "老年人优待证办理"),
        ("老年证在哪里办", "老年人优待证办理"),
        ("社保卡丢了", "市民卡挂失"),
        ("港澳通行证续签", "往来港澳通行证再次签注"),
        ("公基金提取", "住房公积金提取"),
        ("公基金", "住房公积金提取"),
        ("gongjijin", "住房公积金提取"),
        ("gjj", "住房公积金提取"),
        ("gjjtq", "住房公积金提取"),
        ("laonianren", "老年人优待证办理"),
        ("lnr", "老年人优待证办理"),
        ("户口证明", "户籍证明开具"),
        ("违章处理", "机动车交通违法处理"),
        ("房产证丢了怎么办", "不动产权证书补发"),
        ("无犯罪证明", "无犯罪记录证明开具"),
        ("异地就医", "医保异地就医备案"),
        ("出生证明怎么开", "出生医学证明办理"),
        ("怎么开公司", "企业设立登记"),
        ("营业执照办理需要什么材料", "企业设立登记"),
        ("社保证明", "社会保险参保证明打印"),
        ("查社保缴费", "个人社保缴费查询"),
        ("驾照丢了", "机动车驾驶证补领"),
        ("低保怎么申请", "最低生活保障申请"),
        ("失业金怎么领", "失业保险金申领"),
        ("居住证在哪里办", "居住证办理"),
        ("交罚款", "交通违法罚款缴纳"),
        ("公积金贷款", "住房公积金贷款"),
        ("护照", "普通护照签发"),
        ("优代证", "老年人优待证办理"),
        ("残疾证", "残疾人证办理"),
        ("zhufanggongjijin", "住房公积金提取"),
        ("户口迁入", "户籍迁入登记"),
        ("二手房过户", "不动产转移登记"),
        ("ＬＮＲ", "老年人优待证办理"),
    ],
)
def test_query_finds_the_matter_in_the_top_three(catalogue, query, expected):
    assert expected in top_names(query), top_names(query, 5)


def test_exact_name_comes_first(catalogue):
    assert top_names("住房公积金贷款", 1) == ["住房公积金贷款"]


def test_question_words_alone_do_not_crash(catalogue):
    result = find_matters("怎么办")
    assert result.total == len(result.matters)


def test_unpublished_matter_is_never_found(catalogue):
    draft = make_matter(name="独生子女父母光荣证办理", aliases="光荣证", live=False)
    reindex_matters([draft.pk])
    assert find_matters("光荣证").total == 0
    assert find_matters(draft.code).total == 0


def test_unpublishing_removes_the_matter_from_search(catalogue):
    matter = catalogue["残疾人证办理"]
    matter.live = False
    matter.save()
    reindex_matters([matter.pk])
    assert "残疾人证办理" not in top_names("残疾人证", 10)


def test_publishing_adds_the_matter_to_search(catalogue):
    matter = make_matter(name="独生子女父母光荣证办理", aliases="光荣证", live=False)
    matter.live = True
    matter.save()
    reindex_matters([matter.pk])
    assert top_names("光荣证", 1) == ["独生子女父母光荣证办理"]


def test_no_match_gives_suggestions(catalogue):
    result = find_matters("火星移民局")
    assert result.total == 0
    assert result.suggestions


def test_suggestions_are_near_names_when_characters_are_shared(catalogue):
    result = find_matters("优证")
    names = result.suggestions if result.total == 0 else [m.name for m in result.matters[:3]]
    assert "老年人优待证办理" in names


def test_nonsense_latin_gives_popular_suggestions(catalogue):
    result = find_matters("qqqxxx")
    assert result.total == 0
    assert result.suggestions


@pytest.mark.parametrize("query", ["xyz不存在的事", "不存在的事", "xyz不存在", "火箭发射不存在"])
def test_nonsense_around_a_word_of_some_condition_finds_nothing(catalogue, query):
    """A word of the query ("存在") found only inside a condition, the rest found nowhere, is no match."""
    result = find_matters(query)
    assert result.total == 0, [m.name for m in result.matters[:3]]
    assert result.suggestions


def test_a_query_fully_found_in_a_condition_still_finds_the_matter(catalogue):
    assert "失业保险金申领" in top_names("存在劳动关系")


def test_search_by_code_finds_the_matter(catalogue):
    matter = catalogue["结婚登记"]
    assert top_names(matter.code, 1) == ["结婚登记"]


def test_conditions_are_searched_with_a_low_weight(catalogue):
    assert "老年人优待证办理" in top_names("非本市户籍老年人")


def test_results_are_best_first_and_relevant_only(catalogue):
    names = [m.name for m in find_matters("市民卡挂失").matters]
    assert names[0] == "市民卡挂失"
    assert "水费缴纳" not in names


def test_a_bulk_reindex_finds_the_same_matters(catalogue, monkeypatch):
    from eban.catalogue import search as catalogue_search
    from eban.catalogue.models import Matter

    before = find_matters("老年人优待证怎么办").matters[:3]
    monkeypatch.setattr(catalogue_search, "BULK", 1)
    catalogue_search.reindex_matters(Matter.objects.values_list("pk", flat=True))
    assert find_matters("老年人优待证怎么办").matters[:3] == before


def test_the_reindex_reads_the_same_document_as_the_model_gives(catalogue):
    from eban.catalogue import search as catalogue_search
    from eban.catalogue.models import Matter

    for matter in Matter.objects.filter(live=True)[:20]:
        light = catalogue_search._live([matter.pk])[0]
        assert catalogue_search.matter_document(light) == catalogue_search.matter_document(matter)
