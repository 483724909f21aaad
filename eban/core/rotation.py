"""Key rotation: re-encrypt stored values under the current key; recompute blind indexes.

The fields are found through the app registry (every EncryptedTextField and
BlindIndexField of every installed model): there is no list to keep up to date.
Work goes in batches ordered by primary key, each batch in its own transaction with its
rows locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
serialise writers), so a value the application changes meanwhile is not overwritten
with an older one. Both walks are idempotent: run them again and they find nothing to do.
`eban rotate-keys` runs them (eban/core/management/commands/rotate_keys.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.functions import Cast

from . import crypto
from .fields import BlindIndexField, EncryptedTextField

# progress(label, done, total)
Progress = Callable[[str, int, int], None]

_RAW = "eban_ciphertext"
NOT_A_CIPHERTEXT = "(not a ciphertext)"


class RotationError(Exception):
    """Rotation cannot proceed; the message names the field, the row's pk and the key id."""


@dataclass
class EncryptedFieldReport:
    label: str  # "accounts.Citizen.id_number"
    total: int = 0  # non-empty values
    stale: int = 0  # values under a key other than the current one (before rotating)
    by_key: dict[str, int] = field(default_factory=dict)  # stale values per key id
    rotated: int = 0

    def unknown_keys(self, known: list[str]) -> list[str]:
        return sorted(key_id for key_id in self.by_key if key_id not in known)


@dataclass
class BlindIndexReport:
    label: str  # "accounts.Citizen.id_number_index"
    total: int = 0  # rows walked
    stale: int = 0  # indexes that differed from the one the current key gives
    updated: int = 0


def _models(app_registry: Any = None) -> Iterator[type[models.Model]]:
    for model in (app_registry or apps).get_models():
        if not model._meta.proxy:
            yield model


def encrypted_fields(app_registry: Any = None) -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every EncryptedTextField of every installed concrete model (each table once)."""
    return [
        (model, f)
        for model in _models(app_registry)
        for f in model._meta.local_concrete_fields
        if isinstance(f, EncryptedTextField)
    ]


def blind_index_fields(app_registry: Any = None) -> list[tuple[type[models.Model], list[BlindIndexField]]]:
    found = []
    for model in _models(app_registry):
        index_fields = [f for f in model._meta.local_concrete_fields if isinstance(f, BlindIndexField)]
        if index_fields:
            found.append((model, index_fields))
    return found


def _label(model: type[models.Model], f: models.Field) -> str:
    return f"{model._meta.label}.{f.name}"


def _ciphertexts(model: type[models.Model], f: EncryptedTextField, using: str) -> models.QuerySet:
    """The non-empty stored values, raw (the Cast to text skips the field's decryption)."""
    return (
        model._base_manager.using(using)
        .annotate(**{_RAW: Cast(f.attname, output_field=models.TextField())})
        .exclude(**{f"{_RAW}__isnull": True})
        .exclude(**{_RAW: ""})
    )


def _stale(model: type[models.Model], f: EncryptedTextField, using: str) -> models.QuerySet:
    prefix = f"{crypto.VERSION}:{crypto.current_key_id()}:"
    return _ciphertexts(model, f, using).exclude(**{f"{_RAW}__startswith": prefix})


def _key_id_or_marker(token: str) -> str:
    try:
        return crypto.key_id_of(token)
    except crypto.InvalidCiphertextError:
        return NOT_A_CIPHERTEXT


def count_stale(app_registry: Any = None, using: str = DEFAULT_DB_ALIAS) -> list[EncryptedFieldReport]:
    """Per encrypted field: how many values, and how many (per key id) are not under the current key."""
    reports = []
    for model, f in encrypted_fields(app_registry):
        report = EncryptedFieldReport(_label(model, f), total=_ciphertexts(model, f, using).count())
        tokens = _stale(model, f, using).values_list(_RAW, flat=True).iterator(chunk_size=2000)
        report.by_key = dict(Counter(_key_id_or_marker(token) for token in tokens))
        report.stale = sum(report.by_key.values())
        reports.append(report)
    return reports


def rotate_encryption(
    app_registry: Any = None,
    *,
    batch_size: int = 500,
    progress: Progress | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> list[EncryptedFieldReport]:
    """Re-encrypt under the current key every stored value that is under another key.

    Refuses to start (RotationError, nothing written) when some value is under a key
    that EBAN_ENCRYPTION_KEYS no longer holds, or is not a ciphertext at all.
    """
    reports = count_stale(app_registry, using)
    known = crypto.keyring().key_ids
    missing = {r.label: r.unknown_keys(known) for r in reports if r.unknown_keys(known)}
    if missing:
        details = "; ".join(f"{label}: {', '.join(ids)}" for label, ids in missing.items())
        raise RotationError(
            f"Some values are under keys EBAN_ENCRYPTION_KEYS does not hold ({details}). "
            "Add those keys back (after the current one) and run again."
        )
    for (model, f), report in zip(encrypted_fields(app_registry), reports, strict=True):
        if report.stale:
            report.rotated = _rotate_field(model, f, report, batch_size, progress, using)
    return reports


def _rotate_field(
    model: type[models.Model],
    f: EncryptedTextField,
    report: EncryptedFieldReport,
    batch_size: int,
    progress: Progress | None,
    using: str,
) -> int:
    done = 0
    last_pk = None
    while True:
        with transaction.atomic(using=using):
            rows = _stale(model, f, using).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.select_for_update().values_list("pk", _RAW)[:batch_size])
            if not batch:
                return done
            objects = []
            for pk, token in batch:
                try:
                    plaintext = crypto.decrypt(token, f.purpose)
                except crypto.CryptoError as error:
                    raise RotationError(f"{report.label} pk={pk}: {error}") from None
                objects.append(model(pk=pk, **{f.attname: plaintext}))
            model._base_manager.using(using).bulk_update(objects, [f.name])
        done += len(batch)
        last_pk = batch[-1][0]
        if progress:
            progress(report.label, done, report.stale)


def recompute_blind_indexes(
    app_registry: Any = None,
    *,
    batch_size: int = 500,
    progress: Progress | None = None,
    check: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> list[BlindIndexReport]:
    """Recompute every BlindIndexField from its decrypted source, under EBAN_BLIND_INDEX_KEY.

    Run it after changing EBAN_BLIND_INDEX_KEY (until it has run, lookups by the index
    miss the rows not yet done). With `check=True` only counts the indexes that differ.
    """
    reports = []
    for model, index_fields in blind_index_fields(app_registry):
        model_reports = [BlindIndexReport(_label(model, f)) for f in index_fields]
        columns = [model._meta.pk.attname]
        for f in index_fields:
            columns += [f.attname, f.source_field().attname]
        total = model._base_manager.using(using).count()
        last_pk = None
        done = 0
        while True:
            with transaction.atomic(using=using):
                rows = model._base_manager.using(using).only(*columns).order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                if not check:
                    rows = rows.select_for_update()
                batch = list(rows[:batch_size])
                if not batch:
                    break
                changed = []
                for obj in batch:
                    differs = False
                    for f, report in zip(index_fields, model_reports, strict=True):
                        report.total += 1
                        fresh = f.compute(obj)
                        if fresh != getattr(obj, f.attname):
                            report.stale += 1
                            setattr(obj, f.attname, fresh)
                            differs = True
                    if differs:
                        changed.append(obj)
                if changed and not check:
                    model._base_manager.using(using).bulk_update(changed, [f.name for f in index_fields])
                    for report in model_reports:
                        report.updated = report.stale
            done += len(batch)
            last_pk = batch[-1].pk
            if progress:
                progress(model._meta.label, done, total)
        reports += model_reports
    return reports
