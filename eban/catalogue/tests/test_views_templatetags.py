"""Template helpers of the public pages."""

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from eban.catalogue.templatetags.catalogue_tags import choice_label, highlight, tel_href


def test_highlight_marks_the_query_and_escapes_the_rest():
    assert str(highlight("<b>老年人优待证</b>", "优待证")) == "&lt;b&gt;老年人<mark>优待证</mark>&lt;/b&gt;"


def test_highlight_marks_each_space_separated_word():
    assert str(highlight("港澳通行证再次签注", "港澳 签注")) == "<mark>港澳</mark>通行证再次<mark>签注</mark>"


def test_highlight_escapes_a_hostile_query():
    assert "<script>" not in str(highlight("x<script>", "<script>"))


def test_choice_label_gives_the_label_or_the_raw_value():
    with translation.override("en"):
        assert str(choice_label("copy", "material_form")) == "Copy"
    assert choice_label("mystery", "material_form") == "mystery"


def test_tel_href_keeps_digits_only():
    assert tel_href("0577-12345") == "tel:057712345"


def test_query_with_replaces_a_parameter_and_drops_the_page():
    request = RequestFactory().get("/matters/", {"theme": "tax", "page": "3", "elderly": "1"})
    out = Template("{% load catalogue_tags %}{% query_with category='approval' %}").render(
        Context({"request": request})
    )
    assert out == "?theme=tax&amp;category=approval"
