import pytest
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test.utils import isolate_apps

from eban.core import crypto
from eban.core.fields import BlindIndexField, EncryptedTextField

from .conftest import KEY_A

PURPOSE = "accounts.citizen.id_number"
ID_NUMBER = "11010519491231002X"  # a made-up, well-formed number


def raw_column(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


# The field alone


def test_the_value_sent_to_the_database_is_a_ciphertext_of_the_purpose(use_keys):
    use_keys(KEY_A)
    stored = EncryptedTextField(purpose=PURPOSE).get_prep_value(ID_NUMBER)
    assert stored.startswith("v1:ka:")
    assert crypto.decrypt(stored, PURPOSE) == ID_NUMBER


def test_the_value_read_from_the_database_is_the_plaintext(use_keys):
    use_keys(KEY_A)
    field = EncryptedTextField(purpose=PURPOSE)
    assert field.from_db_value(crypto.encrypt(ID_NUMBER, PURPOSE), None, connection) == ID_NUMBER


@pytest.mark.parametrize("value", [None, ""])
def test_empty_and_null_are_stored_as_they_are(value):
    field = EncryptedTextField(purpose=PURPOSE)
    assert field.get_prep_value(value) == value
    assert field.from_db_value(value, None, connection) == value


def test_to_python_keeps_plaintext_and_stringifies_other_values():
    field = EncryptedTextField(purpose=PURPOSE)
    assert field.to_python(ID_NUMBER) == ID_NUMBER
    assert field.to_python(13812345678) == "13812345678"
    assert field.to_python(None) is None


def test_the_field_deconstructs_with_its_purpose_for_migrations():
    name, path, args, kwargs = EncryptedTextField(purpose=PURPOSE, blank=True).deconstruct()
    assert path == "eban.core.fields.EncryptedTextField"
    assert kwargs == {"purpose": PURPOSE, "blank": True}
    assert EncryptedTextField(*args, **kwargs).purpose == PURPOSE


def test_the_blind_index_field_deconstructs_with_its_source():
    _, path, _, kwargs = BlindIndexField(source="id_number", unique=True).deconstruct()
    assert path == "eban.core.fields.BlindIndexField"
    assert kwargs["source"] == "id_number"
    assert kwargs["unique"] is True
    assert BlindIndexField(**kwargs).max_length == crypto.BLIND_INDEX_LENGTH


def test_the_form_field_is_a_one_line_input():
    from django import forms

    assert isinstance(EncryptedTextField(purpose=PURPOSE).formfield().widget, forms.TextInput)


@isolate_apps("eban.core")
def test_an_encrypted_field_cannot_be_unique_or_indexed():
    class Bad(models.Model):  # noqa: DJ008
        id_number = EncryptedTextField(purpose=PURPOSE, unique=True)

        class Meta:
            app_label = "core"

    assert [e.id for e in Bad._meta.get_field("id_number").check()] == ["eban.E002"]


@isolate_apps("eban.core")
def test_a_blind_index_must_point_at_an_encrypted_field():
    class Bad(models.Model):  # noqa: DJ008
        name = models.TextField()
        name_index = BlindIndexField(source="name")
        lost_index = BlindIndexField(source="missing")

        class Meta:
            app_label = "core"

    assert [e.id for e in Bad._meta.get_field("name_index").check()] == ["eban.E003"]
    assert [e.id for e in Bad._meta.get_field("lost_index").check()] == ["eban.E003"]


# Through the database (a test-only model, see conftest.py)


def test_a_saved_value_is_stored_encrypted_and_read_back_in_plaintext(use_keys, probe):
    use_keys(KEY_A)
    row = probe.objects.create(secret=ID_NUMBER, other="13812345678")
    stored = raw_column(probe, row.pk, "secret")
    assert stored.startswith("v1:ka:") and ID_NUMBER not in stored
    fresh = probe.objects.get(pk=row.pk)
    assert (fresh.secret, fresh.other) == (ID_NUMBER, "13812345678")
    assert probe.objects.values_list("secret", flat=True).get(pk=row.pk) == ID_NUMBER


def test_a_value_stored_in_another_column_does_not_decrypt(use_keys, probe):
    use_keys(KEY_A)
    row = probe.objects.create(secret=ID_NUMBER)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {probe._meta.db_table} SET other = secret WHERE id = %s", [row.pk])
    with pytest.raises(crypto.InvalidCiphertextError):
        probe.objects.get(pk=row.pk)


def test_empty_values_stay_empty_in_the_database(use_keys, probe):
    use_keys(KEY_A)
    row = probe.objects.create(secret=None, other="")
    assert raw_column(probe, row.pk, "secret") is None
    assert raw_column(probe, row.pk, "other") == ""
    assert row.secret_index is None


def test_save_fills_the_blind_index_and_it_finds_the_row(use_keys, probe):
    use_keys(KEY_A)
    row = probe.objects.create(secret=ID_NUMBER)
    index = BlindIndexField.lookup(probe, "secret_index", "11010519491231002x")
    assert row.secret_index == index == crypto.blind_index(ID_NUMBER, "core.probe.secret")
    assert probe.objects.get(secret_index=index).pk == row.pk


def test_the_blind_index_follows_a_changed_value(use_keys, probe):
    use_keys(KEY_A)
    row = probe.objects.create(secret=ID_NUMBER)
    row.secret = "110105194912310021"
    row.save()
    assert probe.objects.get(pk=row.pk).secret_index == crypto.blind_index(
        "110105194912310021", "core.probe.secret"
    )
    row.secret = ""
    row.save()
    assert probe.objects.get(pk=row.pk).secret_index is None


def test_bulk_create_encrypts_and_fills_the_blind_index(use_keys, probe):
    use_keys(KEY_A)
    probe.objects.bulk_create([probe(secret=ID_NUMBER), probe(secret="13812345678")])
    assert sorted(probe.objects.values_list("secret", flat=True)) == sorted([ID_NUMBER, "13812345678"])
    assert (
        probe.objects.filter(secret_index=crypto.blind_index("13812345678", "core.probe.secret")).count() == 1
    )


@pytest.mark.parametrize(
    "lookup",
    [
        {"secret": ID_NUMBER},
        {"secret__startswith": "1101"},
        {"secret__in": [ID_NUMBER]},
        {"secret__lower": "x"},
    ],
)
def test_filtering_on_an_encrypted_value_is_refused_pointing_to_the_blind_index(probe, lookup):
    with pytest.raises(FieldError, match="BlindIndexField"):
        list(probe.objects.filter(**lookup))


def test_isnull_and_empty_filters_still_work(use_keys, probe):
    use_keys(KEY_A)
    probe.objects.create(secret=None, other="")
    probe.objects.create(secret=ID_NUMBER, other="x")
    assert probe.objects.filter(secret__isnull=True).count() == 1
    assert probe.objects.filter(secret=None).count() == 1
    assert probe.objects.filter(other="").count() == 1
    assert probe.objects.exclude(other="").count() == 1
