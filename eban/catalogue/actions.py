"""Every write to the catalogue: matters saved from the interchange format, published with a
Wagtail revision and an audit record each; and the link from Wagtail's own publishing.

`save_matters` is the bulk path used by the import (a few queries per batch, one revision and
one audit record per changed matter); `save_matter` saves one. Unchanged input writes nothing.
The search index is refreshed after the transaction commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from modelcluster.models import get_field_value
from wagtail.log_actions import get_active_log_context
from wagtail.models import Revision
from wagtail.signals import published, unpublished

from eban.core import audit, bulk
from eban.core.bulk import insert_rows
from eban.government.models import Department, Division

from . import search
from .enums import Channel
from .guide import matter_to_dict
from .models import ImportJob, LifeEvent, Matter, Theme

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

# Audit actions (labels registered in wagtail_hooks).
CREATE = "catalogue.matter.create"
UPDATE = "catalogue.matter.update"
PUBLISH = "catalogue.matter.publish"
UNPUBLISH = "catalogue.matter.unpublish"
IMPORT = "catalogue.import"
EXPORT = "catalogue.export"

BATCH = 500
STREAMS = {
    "legal_basis": "law",
    "conditions": "condition",
    "materials": "material",
    "process": "step",
    "faq": "qa",
}
# Model fields written from a guide (the M2M fields are written separately).
WRITTEN_FIELDS = [
    "code", "name", "name_en", "short_name", "aliases", "keywords", "summary", "category", "audience",
    "department", "channel_kiosk", "channel_online", "channel_window", "channel_overseas", "trips",
    "on_the_spot", "statutory_days", "promised_days", "fee_free", "fee_amount", "fee_basis", "legal_basis",
    "conditions", "materials", "process", "faq", "place", "hours", "consult_phone", "complaint_phone",
    "is_sample", "live", "has_unpublished_changes", "first_published_at", "last_published_at",
]  # fmt: skip
GUIDE_COLUMNS = set(WRITTEN_FIELDS) - {
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
}
M2M = {"themes": Theme, "life_events": LifeEvent, "divisions": Division}


@dataclass
class SaveResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    matter_ids: list[int] = field(default_factory=list)


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-level changes between two guides: {field: {"old": …, "new": …}}."""
    old = old or {}
    return {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}


def fingerprint(guide: dict[str, Any]) -> str:
    """A fingerprint of a canonical guide: equal guides, equal fingerprints."""
    text = json.dumps(guide, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stream(block_type: str, values: list[Any]) -> list[dict[str, Any]]:
    return [{"type": block_type, "value": v, "id": _block_id()} for v in values]


_VARIANT = {f"{n:x}": f"{8 + n % 4:x}" for n in range(16)}


def _block_id() -> str:
    """A random UUID (version 4) as Wagtail gives each block: `str(uuid.uuid4())`, four times
    faster (an import of 10,000 guides makes 110,000 of them)."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def _apply(matter: Matter, guide: dict[str, Any], department_id: int) -> dict[str, str]:
    """Write a guide onto a matter; returns its stream fields as JSON, serialised once for the
    matter's row and its revision (as Wagtail would write them: the raw blocks)."""
    matter.code = guide["code"]
    matter.name = guide["name"]
    matter.name_en = guide["name_en"]
    matter.short_name = guide["short_name"]
    matter.aliases = "\n".join(guide["aliases"])
    matter.keywords = "\n".join(guide["keywords"])
    matter.summary = guide["summary"]
    matter.category = guide["category"]
    matter.audience = guide["audience"]
    matter.department_id = department_id
    for channel in Channel:
        setattr(matter, f"channel_{channel.value}", channel.value in guide["channels"])
    matter.trips = guide["trips"]
    matter.on_the_spot = guide["on_the_spot"]
    matter.statutory_days = guide["statutory_days"]
    matter.promised_days = guide["promised_days"]
    fee = guide["fee"]
    matter.fee_free = fee["free"]
    matter.fee_amount = Decimal(fee["amount"]) if fee["amount"] is not None else None
    matter.fee_basis = fee["basis"]
    streams = {}
    for name, block_type in STREAMS.items():
        blocks = _stream(block_type, guide[name])
        setattr(matter, name, blocks)
        streams[name] = json.dumps(blocks, cls=DjangoJSONEncoder)
    for name in ("place", "hours", "consult_phone", "complaint_phone", "is_sample"):
        setattr(matter, name, guide[name])
    return streams


def _load_existing(codes: list[str]) -> dict[str, tuple[int, str, bool]]:
    """code -> (pk, fingerprint, published and without a draft) of the matters that exist."""
    existing = {}
    for start in range(0, len(codes), 2000):
        chunk = codes[start : start + 2000]
        rows = Matter.objects.filter(code__in=chunk).values_list(
            "code", "pk", "guide_hash", "live", "has_unpublished_changes"
        )
        existing.update((code, (pk, h, live and not draft)) for code, pk, h, live, draft in rows)
    return existing


def _load_full(pks: list[int]) -> dict[int, Matter]:
    out: dict[int, Matter] = {}
    for start in range(0, len(pks), 1000):
        qs = (
            Matter.objects.filter(pk__in=pks[start : start + 1000])
            .select_related("department")
            .prefetch_related("themes", "life_events", "divisions")
        )
        out.update((m.pk, m) for m in qs)
    return out


@dataclass
class _Item:
    matter: Matter
    guide: dict[str, Any]
    hash: str
    streams: dict[str, str] = field(default_factory=dict)  # the stream fields as JSON
    m2m: dict[str, list[int]] = field(default_factory=dict)  # the pks written, for the revision
    changes: dict[str, Any] | None = None  # None: a new matter


def save_matters(
    guides: list[dict[str, Any]], *, actor: Any = None, progress: Progress | None = None
) -> SaveResult:
    """Create or update matters from canonical guides (already checked by the interchange),
    publishing each changed one with a revision and an audit record. One transaction.

    A matter whose stored fingerprint equals the guide's is unchanged and not even loaded; one
    whose fingerprint differs (or was cleared by an edit elsewhere) is compared field by field."""
    result = SaveResult()
    if not guides:
        return result
    report = progress or (lambda phase, done, total: None)
    total = len(guides)
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()

    departments = dict(
        Department.objects.filter(code__in={g["department"] for g in guides}).values_list("code", "id")
    )
    refs = {name: dict(model.objects.values_list("code", "pk")) for name, model in M2M.items()}

    with transaction.atomic():
        existing = _load_existing([g["code"] for g in guides])
        new: list[_Item] = []
        candidates: list[tuple[int, dict, str]] = []
        fresh_hashes: list[tuple[int, str]] = []
        for guide in guides:
            digest = fingerprint(guide)
            found = existing.get(guide["code"])
            if found is None:
                new.append(_Item(Matter(first_published_at=now), guide, digest))
            elif found[1] == digest and found[2]:
                result.unchanged += 1
            else:
                candidates.append((found[0], guide, digest))
        changed: list[_Item] = []
        loaded = _load_full([pk for pk, _g, _h in candidates])
        for pk, guide, digest in candidates:
            matter = loaded[pk]
            changes = diff(matter_to_dict(matter), guide)
            if not changes and matter.live and not matter.has_unpublished_changes:
                result.unchanged += 1
                fresh_hashes.append((pk, digest))
                continue
            changed.append(_Item(matter, guide, digest, changes=changes))
        del loaded, candidates, existing
        if fresh_hashes:  # the fingerprint of an unchanged guide whose fingerprint was cleared
            _set_columns(["guide_hash"], [(h, pk) for pk, h in fresh_hashes])
        report("saving", result.unchanged, total)

        for item in new + changed:
            matter = item.matter
            item.streams = _apply(matter, item.guide, departments[item.guide["department"]])
            matter.guide_hash = item.hash
            matter.live = True
            matter.has_unpublished_changes = False
            matter.last_published_at = now
            matter.first_published_at = matter.first_published_at or now

        done = result.unchanged
        for start in range(0, max(len(new), len(changed)), BATCH):
            new_batch = new[start : start + BATCH]
            changed_batch = changed[start : start + BATCH]
            if new_batch:
                bulk.bulk_create(
                    [item.matter for item in new_batch], prepared=[item.streams for item in new_batch]
                )
            if changed_batch:
                Matter.objects.bulk_update([item.matter for item in changed_batch], WRITTEN_FIELDS)
            batch = new_batch + changed_batch
            _write_m2m(batch, refs, replace=[item.matter.pk for item in changed_batch])
            _publish_revisions(batch, user, now)
            audit_rows = []
            for item in batch:
                matter = item.matter
                data = {"code": matter.code, "revision": matter.live_revision_id}
                if item.changes is None:
                    audit_rows.append((CREATE, matter, data))
                    result.created.append(matter.code)
                else:
                    audit_rows.append((UPDATE, matter, data | {"changes": item.changes}))
                    result.updated.append(matter.code)
                result.matter_ids.append(matter.pk)
            audit.record_many(actor, audit_rows, timestamp=now)
            done += len(batch)
            report("saving", done, total)

        ids = list(result.matter_ids)
        if ids:
            transaction.on_commit(lambda: search.reindex_matters(ids))
    return result


def _set_columns(columns: list[str], rows: list[tuple]) -> None:
    """UPDATE matter SET <columns> WHERE id = … for each row (values…, pk).

    PostgreSQL: one statement over unnest()ed arrays (psycopg's executemany would merge every row
    into the query text in Python); elsewhere one executemany."""
    if not rows:
        return
    table = connection.ops.quote_name(Matter._meta.db_table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [_PG_TYPES[c] for c in columns] + ["bigint"]
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            names = [f"v{i}" for i in range(len(columns))]
            assignments = ", ".join(f"{quote(c)} = v.{n}" for c, n in zip(columns, names, strict=True))
            for start in range(0, len(rows), 5000):
                chunk = rows[start : start + 5000]
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({', '.join(names)}, id) "
                    f"WHERE {table}.id = v.id",
                    [list(column) for column in zip(*chunk, strict=True)],
                )
            return
        assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)


_PG_TYPES = {"guide_hash": "text", "latest_revision_id": "bigint", "live_revision_id": "bigint"}


def _write_m2m(batch: list[_Item], refs: dict[str, dict[str, int]], replace: list[int]) -> None:
    for name in M2M:
        m2m_field = Matter._meta.get_field(name)
        through = m2m_field.remote_field.through
        source, target = m2m_field.m2m_column_name(), m2m_field.m2m_reverse_name()
        if replace:
            through.objects.filter(**{f"{m2m_field.m2m_field_name()}_id__in": replace}).delete()
        rows = []
        for item in batch:
            item.m2m[name] = [refs[name][code] for code in item.guide[name]]
            rows += [(item.matter.pk, pk) for pk in item.m2m[name]]
        insert_rows(through, [source, target], rows)


# The revision content of a matter is what Wagtail's `serializable_data()` gives (modelcluster's
# get_serializable_data_for_fields plus the M2M pks); built here from the guide, because that
# call turns every StreamField into blocks and back and reads every M2M (a test checks both agree).
_M2M_FIELDS = [f.name for f in Matter._meta.many_to_many if f.serialize]


def revision_content(matter: Matter, streams: dict[str, str], m2m: dict[str, list[int]]) -> dict[str, Any]:
    content: dict[str, Any] = {"pk": matter.pk}
    for model_field in Matter._meta.fields:
        if model_field.name in streams:
            content[model_field.name] = streams[model_field.name]
        elif model_field.serialize:
            content[model_field.name] = get_field_value(model_field, matter)
    for name in _M2M_FIELDS:
        content[name] = m2m[name]
    return content


def _publish_revisions(batch: list[_Item], user: Any, now) -> None:
    content_type = ContentType.objects.get_for_model(Matter)
    revisions = []
    for item in batch:
        matter = item.matter
        revisions.append(
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(matter.pk),
                created_at=now,
                user=user,
                object_str=str(matter)[:255],
                content=revision_content(matter, item.streams, item.m2m),
            )
        )
    bulk.bulk_create(revisions)
    for item, revision in zip(batch, revisions, strict=True):
        item.matter.latest_revision_id = revision.pk
        item.matter.live_revision_id = revision.pk
    _set_columns(
        ["latest_revision_id", "live_revision_id"],
        [(item.matter.live_revision_id, item.matter.live_revision_id, item.matter.pk) for item in batch],
    )


def save_matter(guide: dict[str, Any], *, actor: Any = None) -> Matter:
    """Create or update one matter from a canonical guide; publish it if it changed."""
    save_matters([guide], actor=actor)
    return Matter.objects.get(code=guide["code"])


# --- The link from Wagtail's own publishing (admin edit → review → publish) -----------------


@receiver(pre_save, sender=Matter)
def _remember_published_guide(sender, instance: Matter, update_fields=None, raw=False, **kwargs) -> None:
    """Before a publish saves the live row, keep the guide it replaces (for the audit diff).

    Any save but the import's own bulk writes clears the guide's fingerprint (`save_matters`
    then compares that matter field by field)."""
    if raw:
        return
    if update_fields is None:
        instance.guide_hash = ""
    elif "guide_hash" not in update_fields and set(update_fields) & GUIDE_COLUMNS and instance.pk:
        Matter.objects.filter(pk=instance.pk).update(guide_hash="")
    if update_fields is not None or not instance.pk:
        return
    old = (
        Matter.objects.filter(pk=instance.pk, live=True)
        .select_related("department")
        .prefetch_related("themes", "life_events", "divisions")
        .first()
    )
    instance._eban_previous_guide = matter_to_dict(old) if old else None


@receiver(published, sender=Matter)
def _matter_published(sender, instance: Matter, revision=None, **kwargs) -> None:
    guide = matter_to_dict(instance)
    changes = diff(getattr(instance, "_eban_previous_guide", None), guide)
    Matter.objects.filter(pk=instance.pk).update(guide_hash=fingerprint(guide))
    user = get_active_log_context().user
    audit.record(
        user,
        PUBLISH,
        instance,
        data={"code": instance.code, "revision": getattr(revision, "pk", None), "changes": changes},
    )
    matter_id = instance.pk
    transaction.on_commit(lambda: search.reindex_matters([matter_id]))


@receiver(unpublished, sender=Matter)
def _matter_unpublished(sender, instance: Matter, **kwargs) -> None:
    audit.record(get_active_log_context().user, UNPUBLISH, instance, data={"code": instance.code})
    matter_id = instance.pk
    transaction.on_commit(lambda: search.reindex_matters([matter_id]))


def record_import(actor: Any, instance: Any, data: dict[str, Any]) -> None:
    audit.record(actor, IMPORT, instance, data=data)


def start_import_job(*, filename: str, content: bytes, dry_run: bool, actor: Any) -> ImportJob:
    """Queue a back-office import of one uploaded file; the worker runs it after this commits."""
    from . import tasks

    with transaction.atomic():
        job = ImportJob.objects.create(
            filename=filename[:255], content=content, dry_run=dry_run, created_by=actor
        )
        transaction.on_commit(lambda: tasks.run_import_job.enqueue(job.pk))
    return job


def export_catalogue(fmt: str, *, actor: Any) -> bytes:
    """The published catalogue as .json or .xlsx bytes; the export is audited."""
    from .interchange import export_bytes

    content = export_bytes(fmt)
    audit.record(actor, EXPORT, actor, title=f"export {fmt}", data={"format": fmt})
    return content
