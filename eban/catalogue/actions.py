"""Every write to the catalogue: matters saved from the interchange format, published with a
Wagtail revision and an audit record each; and the link from Wagtail's own publishing.

`save_matters` is the bulk path used by the import (a few queries per batch, one revision and
one audit record per changed matter); `save_matter` saves one. Unchanged input writes nothing.
The search index is refreshed after the transaction commits.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.models import ModelLogEntry, Revision
from wagtail.signals import published, unpublished

from eban.core import audit
from eban.government.models import Department, Division

from . import search
from .enums import Channel
from .guide import matter_to_dict
from .models import LifeEvent, Matter, Theme

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


def _stream(block_type: str, values: list[Any]) -> list[dict[str, Any]]:
    return [{"type": block_type, "value": v, "id": str(uuid.uuid4())} for v in values]


def _apply(matter: Matter, guide: dict[str, Any], department_id: int) -> None:
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
    for name, block_type in STREAMS.items():
        setattr(matter, name, _stream(block_type, guide[name]))
    for name in ("place", "hours", "consult_phone", "complaint_phone", "is_sample"):
        setattr(matter, name, guide[name])


def _load_existing(codes: list[str]) -> dict[str, Matter]:
    existing: dict[str, Matter] = {}
    for start in range(0, len(codes), 2000):
        chunk = codes[start : start + 2000]
        qs = (
            Matter.objects.filter(code__in=chunk)
            .select_related("department")
            .prefetch_related("themes", "life_events", "divisions")
        )
        existing.update((m.code, m) for m in qs)
    return existing


def save_matters(
    guides: list[dict[str, Any]], *, actor: Any = None, progress: Progress | None = None
) -> SaveResult:
    """Create or update matters from canonical guides (already checked by the interchange),
    publishing each changed one with a revision and an audit record. One transaction."""
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
    refs = {name: {obj.code: obj for obj in model.objects.all()} for name, model in M2M.items()}

    with transaction.atomic():
        existing = _load_existing([g["code"] for g in guides])
        new: list[tuple[Matter, dict]] = []
        changed: list[tuple[Matter, dict, dict]] = []
        for guide in guides:
            matter = existing.get(guide["code"])
            if matter is None:
                matter = Matter(first_published_at=now)
                _apply(matter, guide, departments[guide["department"]])
                new.append((matter, guide))
                continue
            changes = diff(matter_to_dict(matter), guide)
            if not changes and matter.live and not matter.has_unpublished_changes:
                result.unchanged += 1
                continue
            _apply(matter, guide, departments[guide["department"]])
            changed.append((matter, guide, changes))
        report("saving", result.unchanged, total)

        for matter, _guide in new:
            matter.live = True
            matter.has_unpublished_changes = False
            matter.last_published_at = now
        for matter, _guide, _changes in changed:
            matter.live = True
            matter.has_unpublished_changes = False
            matter.last_published_at = now
            matter.first_published_at = matter.first_published_at or now

        done = result.unchanged
        for start in range(0, max(len(new), len(changed)), BATCH):
            new_batch = new[start : start + BATCH]
            changed_batch = changed[start : start + BATCH]
            if new_batch:
                Matter.objects.bulk_create([m for m, _g in new_batch])
            if changed_batch:
                Matter.objects.bulk_update([m for m, _g, _c in changed_batch], WRITTEN_FIELDS)
            batch = [(m, g, None) for m, g in new_batch] + changed_batch
            _write_m2m(batch, refs, replace=[m.pk for m, _g, _c in changed_batch])
            _publish_revisions(batch, user, now)
            audit_rows = []
            for matter, guide, changes in batch:
                data = {"code": matter.code, "revision": matter.live_revision_id}
                if changes is None:
                    audit_rows.append((CREATE, matter, data))
                    result.created.append(guide["code"])
                else:
                    audit_rows.append((UPDATE, matter, data | {"changes": changes}))
                    result.updated.append(guide["code"])
                result.matter_ids.append(matter.pk)
            _record_many(actor, audit_rows, now)
            done += len(batch)
            report("saving", done, total)

        ids = list(result.matter_ids)
        if ids:
            transaction.on_commit(lambda: search.reindex_matters(ids))
    return result


def _write_m2m(
    batch: list[tuple[Matter, dict, Any]], refs: dict[str, dict[str, Any]], replace: list[int]
) -> None:
    for name in M2M:
        m2m_field = Matter._meta.get_field(name)
        through = m2m_field.remote_field.through
        source, target = f"{m2m_field.m2m_field_name()}_id", f"{m2m_field.m2m_reverse_field_name()}_id"
        if replace:
            through.objects.filter(**{f"{source}__in": replace}).delete()
        rows = []
        for matter, guide, _changes in batch:
            objs = [refs[name][code] for code in guide[name]]
            # Keep the relation in memory too: the revision's content reads it without a query.
            setattr(matter, name, objs)
            rows += [through(**{source: matter.pk, target: obj.pk}) for obj in objs]
        through.objects.bulk_create(rows, batch_size=1000)


def _publish_revisions(batch: list[tuple[Matter, dict, Any]], user: Any, now) -> None:
    content_type = ContentType.objects.get_for_model(Matter)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(matter.pk),
            created_at=now,
            user=user,
            object_str=str(matter)[:255],
            content=matter.serializable_data(),
        )
        for matter, _guide, _changes in batch
    ]
    Revision.objects.bulk_create(revisions)
    for (matter, _guide, _changes), revision in zip(batch, revisions, strict=True):
        matter.latest_revision_id = revision.pk
        matter.live_revision_id = revision.pk
    Matter.objects.bulk_update([m for m, _g, _c in batch], ["latest_revision", "live_revision"])


def _record_many(actor: Any, rows: list[tuple[str, Matter, dict[str, Any]]], now) -> None:
    """The audit records of a batch, written in one statement.

    Each row is exactly what `eban.core.audit.record(actor, action, matter, data=...)` writes
    (a Wagtail ModelLogEntry); one record() call per matter costs several queries (Wagtail
    validates every entry), which a 10,000-matter import cannot afford."""
    if len(rows) <= 1:
        for action, matter, data in rows:
            audit.record(actor, action, matter, data=data)
        return
    context = get_active_log_context()
    user = actor if getattr(actor, "is_authenticated", False) else context.user
    content_type = ContentType.objects.get_for_model(Matter, for_concrete_model=False)
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=str(matter)[:255],
                action=action,
                timestamp=now,
                data=data,
                user=user,
                uuid=context.uuid,
                object_id=str(matter.pk),
                content_changed=True,
            )
            for action, matter, data in rows
        ],
        batch_size=1000,
    )


def save_matter(guide: dict[str, Any], *, actor: Any = None) -> Matter:
    """Create or update one matter from a canonical guide; publish it if it changed."""
    save_matters([guide], actor=actor)
    return Matter.objects.get(code=guide["code"])


# --- The link from Wagtail's own publishing (admin edit → review → publish) -----------------


@receiver(pre_save, sender=Matter)
def _remember_published_guide(sender, instance: Matter, update_fields=None, raw=False, **kwargs) -> None:
    """Before a publish saves the live row, keep the guide it replaces (for the audit diff)."""
    if raw or update_fields is not None or not instance.pk:
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
