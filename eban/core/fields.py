"""Model fields for personal values stored encrypted (see eban/core/crypto.py).

    class Citizen(models.Model):
        id_number = EncryptedTextField(purpose="accounts.citizen.id_number")
        id_number_index = BlindIndexField(source="id_number", unique=True)

    Citizen.objects.get(id_number_index=BlindIndexField.lookup(Citizen, "id_number_index", "3303..."))

`EncryptedTextField` stores `v1:<key id>:<data>` text and presents the plaintext in Python.
It cannot be filtered on (the ciphertext changes at every save: a random nonce), except
`__isnull` and `= ""`; equality lookups go through a `BlindIndexField` beside it, which
`save()` (and `bulk_create()`) fill from the plaintext. `QuerySet.update()` and
`bulk_update()` do not run `pre_save()`: when they change an encrypted value they must set
its index too.

The empty string is stored as the empty string, not encrypted: it only says "no value",
which a NULL or an empty column says anyway, and `blank=True` forms and `= ""` filters keep
working. Everything else is encrypted, on SQLite and PostgreSQL alike (a text column).

`dumpdata` writes the plaintext (Django's serializers read the Python value): treat such a
dump as personal data; database backups hold only ciphertext.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from . import crypto


def _label(field: models.Field) -> str:
    model = getattr(field, "model", None)
    return f"{model._meta.label}.{field.name}" if model is not None else str(field.name)


class EncryptedTextField(models.TextField):
    """Text stored AES-GCM-encrypted under `purpose` (a name that must never change)."""

    description = _("Text stored encrypted (AES-GCM)")

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not isinstance(self.purpose, str) or not self.purpose.strip():
            errors.append(
                checks.Error(
                    "EncryptedTextField needs a purpose, such as 'accounts.citizen.id_number'.",
                    obj=self,
                    id="eban.E001",
                )
            )
        if self.unique or self.primary_key or self.db_index:
            errors.append(
                checks.Error(
                    "An EncryptedTextField cannot be unique, a primary key or indexed: its ciphertext "
                    "differs at every save. Put unique=True on a BlindIndexField beside it.",
                    obj=self,
                    id="eban.E002",
                )
            )
        return errors

    # Python <-> database

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value, self.purpose)

    def to_python(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, self.purpose)

    def formfield(self, **kwargs: Any) -> forms.Field:
        # Short values (ID numbers, phones): a one-line input, not a textarea.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    # Lookups: only isnull and = "" / = None mean anything on a ciphertext.

    def _refuse(self, lookup_name: str) -> FieldError:
        return FieldError(
            f"{_label(self)} is encrypted: the lookup '{lookup_name}' cannot work on its ciphertext. "
            "Filter on the BlindIndexField beside it (crypto.blind_index(value, purpose)) for equality; "
            "only __isnull and = '' are allowed here."
        )

    def get_lookup(self, lookup_name: str):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _NullOrEmptyExact
        raise self._refuse(lookup_name)

    def get_transform(self, lookup_name: str):
        raise self._refuse(lookup_name)


class _NullOrEmptyExact(Exact):
    """`field=None` (turned into isnull by Django) and `field=""` pass; any other value is refused."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if not (rhs is None or (isinstance(rhs, str) and rhs == "")):
            raise lhs.output_field._refuse("exact")
        super().__init__(lhs, rhs)


class BlindIndexField(models.CharField):
    """The blind index of the EncryptedTextField named `source`, filled on save.

    Holds `crypto.blind_index(plaintext, source purpose)`, or NULL when the source is empty.
    Make it `unique=True` when the value is unique (an ID number).
    """

    description = _("Blind index (HMAC) of an encrypted field")

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", crypto.BLIND_INDEX_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            self.source_field()
        except (FieldDoesNotExist, TypeError) as error:
            errors.append(checks.Error(str(error), obj=self, id="eban.E003"))
        return errors

    def source_field(self) -> EncryptedTextField:
        source = self.model._meta.get_field(self.source)
        if not isinstance(source, EncryptedTextField):
            raise TypeError(
                f"BlindIndexField {_label(self)}: source '{self.source}' is not an EncryptedTextField"
            )
        return source

    def index_for(self, value: str | None) -> str | None:
        """The index of a plaintext value (None for an empty one): what to filter this field with."""
        if value is None or not crypto.normalize_for_index(value):
            return None
        return crypto.blind_index(value, self.source_field().purpose)

    def compute(self, instance: models.Model) -> str | None:
        return self.index_for(getattr(instance, self.source_field().attname))

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value

    @staticmethod
    def lookup(model: type[models.Model], field_name: str, value: str) -> str | None:
        """`BlindIndexField.lookup(Citizen, "id_number_index", "3303...")`: the value to filter with."""
        field = model._meta.get_field(field_name)
        if not isinstance(field, BlindIndexField):
            raise TypeError(f"{model._meta.label}.{field_name} is not a BlindIndexField")
        return field.index_for(value)
