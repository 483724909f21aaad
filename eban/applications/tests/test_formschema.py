import pytest
from django.utils import translation

from eban.accounts.tests import factories
from eban.applications import formschema

SCHEMA = {
    "type": "object",
    "properties": {
        "purpose": {
            "type": "string",
            "title": {"zh-hans": "用途", "en": "Purpose"},
            "enum": ["bank", "school"],
            "enumNames": {"zh-hans": ["银行", "学校"], "en": ["Bank", "School"]},
        },
        "copies": {"type": "integer", "title": "份数", "minimum": 1, "maximum": 5, "default": 1},
        "note": {"type": "string", "title": "备注", "maxLength": 20},
        "relative": {"type": "string", "title": "亲属身份证号", "format": "id_number"},
        "urgent": {"type": "boolean", "title": "加急"},
    },
    "required": ["purpose", "copies"],
}


def test_a_good_schema_passes_and_an_empty_one_means_no_form():
    assert formschema.check_schema(SCHEMA) is SCHEMA
    assert formschema.check_schema({}) == {}


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "array"},
        {"type": "object", "properties": {"Bad Name": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "file"}}},
        {"type": "object", "properties": {"a": {"type": "string", "oneOf": []}}},
        {"type": "object", "properties": {"a": {"type": "string", "format": "email"}}},
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "("}}},
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]},
    ],
)
def test_schemas_eban_cannot_render_are_refused(bad):
    with pytest.raises(formschema.FormSchemaError):
        formschema.check_schema(bad)


def test_answers_are_typed_and_unknown_fields_dropped():
    number = factories.id_number()
    data = formschema.validate(
        SCHEMA, {"purpose": "bank", "copies": "2", "relative": number.lower(), "urgent": True, "evil": "x"}
    )
    assert data == {"purpose": "bank", "copies": 2, "relative": number.upper(), "urgent": True}


def test_each_bad_answer_gets_its_own_message():
    with translation.override("en"), pytest.raises(formschema.FormInvalid) as error:
        formschema.validate(SCHEMA, {"purpose": "zoo", "copies": "9", "note": "x" * 21, "relative": "123"})
    errors = error.value.errors
    assert set(errors) == {"purpose", "copies", "note", "relative"}
    assert errors["copies"] == "At most 5."


def test_missing_required_answers_are_named():
    with pytest.raises(formschema.FormInvalid) as error:
        formschema.validate(SCHEMA, {"copies": ""})
    assert set(error.value.errors) == {"purpose", "copies"}


def test_fields_render_in_the_current_language_with_defaults():
    with translation.override("en"):
        fields = formschema.fields(SCHEMA)
    purpose, copies = fields[0], fields[1]
    assert (
        purpose.label == "Purpose"
        and purpose.kind == "select"
        and purpose.choices == [("bank", "Bank"), ("school", "School")]
    )
    assert copies.value == 1 and copies.attrs == {"min": 1, "max": 5} and copies.required
    assert [f.kind for f in fields] == ["select", "number", "text", "text", "checkbox"]
