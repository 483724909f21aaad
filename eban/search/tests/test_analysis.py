"""The analysis rules: how text and queries become terms (no database)."""

from eban.search.analysis import (
    PHRASE,
    TITLE,
    analyse_query,
    document_terms,
    field_terms,
    normalize,
    split_pinyin,
    strip_question,
)
from eban.search.analysis import Field as IndexField


def test_normalize_makes_full_width_half_width_and_lower_case():
    assert normalize("ＧＪＪ　公积金") == "gjj 公积金"


def test_typed_pinyin_is_split_into_syllables():
    assert split_pinyin("laonianren") == ["lao", "nian", "ren"]
    assert split_pinyin("gongjijin") == ["gong", "ji", "jin"]


def test_initials_are_not_pinyin():
    assert split_pinyin("gjj") is None


def test_question_words_are_stripped():
    assert strip_question("老年人优待证怎么办").strip() == "老年人优待证"
    assert strip_question("营业执照需要什么材料").strip() == "营业执照"


def test_names_get_words_bigrams_pinyin_and_initials():
    terms = field_terms("住房公积金提取", TITLE)
    assert {"w:公积金", "b:积金", "y:gongjijin", "i:gjjtq", "i:zfgjjtq"} <= terms


def test_long_text_gets_words_and_their_pinyin_only():
    terms = field_terms("年满60周岁的本市户籍老年人")
    assert "w:老年人" in terms and "y:laonianren" in terms
    assert not any(t.startswith(("b:", "i:")) for t in terms)


def test_a_term_keeps_its_best_field_weight():
    weights = document_terms([IndexField("公积金提取", 10.0, TITLE), IndexField("公积金", 1.0)])
    assert weights["w:公积金"] > 10.0


def test_homophone_typo_gives_the_pinyin_of_the_intended_word():
    assert "y:gongjijin" in analyse_query("公基金").terms


def test_initials_query_is_a_prefix_range():
    plan = analyse_query("gjj")
    assert [(low, high) for low, high, _w, _c in plan.prefixes] == [("i:gjj", "i:gjk")]


def test_synonyms_expand_the_query_in_the_same_concept():
    plan = analyse_query("户口证明", {"户口": ("户籍",)})
    assert plan.terms["w:户籍"][1] == plan.terms["w:户口"][1]
    assert plan.synonyms_used == ["户口"]


def test_synonym_phrase_spanning_a_stop_word_is_found():
    plan = analyse_query("社保卡丢了", {"丢了": ("挂失",), "社保卡": ("市民卡",)})
    assert "w:挂失" in plan.terms and "w:市民卡" in plan.terms


def test_only_question_words_still_searches_something():
    assert not analyse_query("怎么办").empty


def test_a_documents_weights_do_not_depend_on_the_order_of_its_fields():
    fields = [
        IndexField("住房公积金提取", 10.0, TITLE),
        IndexField("公积金", 5.0, PHRASE),
        IndexField("缴存住房公积金满三个月", 1.0),
    ]
    assert document_terms(fields) == document_terms(fields[::-1])
