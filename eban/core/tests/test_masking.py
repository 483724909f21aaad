import pytest
from django.template import Context, Template

from eban.core.masking import mask_id_number, mask_name, mask_passport, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("330302196401011234", "330302********1234"),
        ("33030219640101123X", "330302********123X"),
        (" 33030219640101123x ", "330302********123x"),
        ("330302640101123", "330302*****1123"),  # an old 15-digit number
    ],
)
def test_id_numbers_keep_the_first_six_and_last_four(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86138****5678"),
        ("+86 138-1234-5678", "+86 138-****-5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("057788123456", "057*****3456"),  # a landline with its area code
    ],
)
def test_phones_keep_the_first_three_and_last_four_digits(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张**"),
        ("欧阳娜娜", "欧***"),
        ("阿依古丽·买买提", "阿***·***"),
        ("John Smith", "J*** *****"),
        ("张", "*"),
    ],
)
def test_names_keep_the_first_character(value, masked):
    assert mask_name(value) == masked


def test_passports_keep_the_first_two_and_last_two():
    assert mask_passport("E12345678") == "E1*****78"


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone, mask_name, mask_passport])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_values_mask_to_nothing(mask, value):
    assert mask(value) == ""


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone, mask_passport])
@pytest.mark.parametrize("value", ["1", "1234", "1234567"])
def test_values_too_short_for_the_rule_are_starred_whole(mask, value):
    assert mask(value) == "*" * len(value)


def test_template_filters_mask_and_escape():
    template = Template(
        "{% load masking %}{{ id|mask_id_number }} {{ phone|mask_phone }} {{ name|mask_name }} "
        "{{ passport|mask_passport }} {{ evil|mask_name }}"
    )
    rendered = template.render(
        Context(
            {
                "id": "330302196401011234",
                "phone": "13812345678",
                "name": "张三",
                "passport": "E12345678",
                "evil": "<b>",
            }
        )
    )
    assert rendered == "330302********1234 138****5678 张* E1*****78 &lt;**"
