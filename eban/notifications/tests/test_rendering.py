"""Named fields: which a text uses, what the back office refuses, how values are written."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from eban.notifications import rendering
from eban.notifications.rendering import TemplateError

CONTEXT = {"case_number": "330302-20251009-0001", "matter": "老年人优待证办理"}


def test_fields_of_a_template_are_its_named_fields_in_subject_and_body():
    template = SimpleNamespace(
        subject="已受理：{matter}", body="办件{case_number}（{matter}）将于{deadline}前办结。"
    )
    assert rendering.fields(template) == {"matter", "case_number", "deadline"}


def test_double_braces_are_a_brace_not_a_field():
    assert rendering.fields_of("{{not a field}} {matter}") == {"matter"}
    assert rendering.render("{{x}} {matter}", CONTEXT, language="zh-hans") == "{x} 老年人优待证办理"


def test_render_fills_the_fields():
    text = rendering.render("您的{matter}申请（{case_number}）已受理。", CONTEXT, language="zh-hans")
    assert text == "您的老年人优待证办理申请（330302-20251009-0001）已受理。"


def test_render_refuses_a_missing_field_and_names_it():
    with translation.override("en"), pytest.raises(TemplateError) as caught:
        rendering.render("{case_number} {deadline}", CONTEXT, language="zh-hans")
    assert "{deadline}" in caught.value.message
    assert "No value was given" in caught.value.message


@pytest.mark.parametrize("empty", [None, "", "  ", []])
def test_render_counts_an_empty_value_as_missing(empty):
    with pytest.raises(TemplateError):
        rendering.render("{items}", {"items": empty}, language="zh-hans")


def test_render_refuses_an_unknown_field():
    with translation.override("en"), pytest.raises(TemplateError) as caught:
        rendering.render("{case_number} {password}", {**CONTEXT, "password": "x"}, language="en")
    assert "unknown fields: {password}" in caught.value.message


def test_render_ignores_context_keys_the_template_does_not_use():
    assert (
        rendering.render("{matter}", {**CONTEXT, "deadline": "x"}, language="zh-hans") == "老年人优待证办理"
    )


@pytest.mark.parametrize(
    "text", ["{matter.__class__}", "{matter[0]}", "{matter!r}", "{matter:>30}", "{}", "{0}"]
)
def test_anything_but_a_plain_name_in_braces_is_refused(text):
    with pytest.raises(TemplateError):
        rendering.render(text, CONTEXT, language="zh-hans")
    assert rendering.check([text], {"matter"})


@pytest.mark.parametrize("text", ["未闭合 {matter", "多余 } 括号", "{"])
def test_unbalanced_braces_are_refused_in_plain_words(text):
    with translation.override("en"):
        errors = rendering.check([text], {"matter"})
    assert errors and "brace" in errors[0]


def test_check_lists_the_fields_the_kind_does_not_supply():
    with translation.override("en"):
        errors = rendering.check(["{matter} {reasons}"], {"matter", "case_number"})
    assert errors == ["Unknown fields: {reasons}. This message can use: {case_number}, {matter}."]


def test_check_accepts_a_text_within_the_allowed_fields():
    assert rendering.check(["{matter}", "{case_number}"], {"matter", "case_number"}) == []


def test_dates_lists_and_times_are_written_for_the_language():
    day = datetime.date(2025, 10, 9)
    assert rendering.format_value(day, "zh-hans") == "2025年10月9日"
    assert rendering.format_value(day, "en") == "9 October 2025"
    assert rendering.format_value(["户口簿", "照片"], "zh-hans") == "户口簿；照片"
    assert rendering.format_value(["ID card", "photo"], "en") == "ID card; photo"
    moment = datetime.datetime(2025, 10, 9, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai
    assert rendering.format_value(moment, "zh-hans") == "2025年10月9日 09:30"


def test_a_subject_is_kept_on_one_line():
    assert rendering.one_line("已受理：\n老年人\r\n优待证") == "已受理： 老年人 优待证"
