"""Running a back-office import (an ImportJob row) with its progress kept in the row."""

from __future__ import annotations

import logging
import time

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .. import actions
from ..models import ImportJob
from .importer import import_bytes
from .report import ImportRejected, ImportReport

logger = logging.getLogger(__name__)

# Phases that run outside the import's transaction: their progress is saved as it goes.
OUTSIDE_TRANSACTION = {"reading", "checking"}


class ProgressWriter:
    """Saves progress to the job row at most a few times a second.

    While the matters are being saved the import holds one transaction; progress written through
    it would not be seen by the page polling it, so it goes through a second connection where the
    database allows concurrent writers (PostgreSQL). SQLite has one writer at a time: there the
    bar stays at "saving" until the end."""

    def __init__(self, job: ImportJob, interval: float = 0.3):
        self.job_id = job.pk
        self.interval = interval
        self.last = 0.0
        self.last_phase = ""
        self.side = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.last_phase and now - self.last < self.interval and done < total:
            return
        self.last, self.last_phase = now, phase
        if phase in OUTSIDE_TRANSACTION or not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(phase=phase, done=done, total=total)
        elif connection.vendor != "sqlite":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = ImportJob._meta.db_table
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET phase = %s, done = %s, total = %s WHERE id = %s",  # noqa: S608
                    [phase, done, total, self.job_id],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def run_job(job_id: int) -> str:
    """Run one import job; safe to call again for a job already finished (does nothing)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.PENDING:
        return job.status
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    progress = ProgressWriter(job)
    try:
        report = import_bytes(
            bytes(job.content), job.filename, actor=job.created_by, dry_run=job.dry_run, progress=progress
        )
        status = ImportJob.Status.SUCCEEDED
    except ImportRejected as rejected:
        report, status = rejected.report, ImportJob.Status.REJECTED
    except Exception:
        logger.exception("import job %s failed", job_id)
        report = ImportReport(source=job.filename)
        report.add("", None, "", "unreadable", error="internal error (see the server log)")
        status = ImportJob.Status.FAILED
    finally:
        progress.close()
    job.refresh_from_db(fields=["phase", "done", "total"])
    job.status = status
    job.report = report.as_dict()
    job.phase = "done"
    job.done = job.total = report.total
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once imported
    job.save()
    actions.record_import(
        job.created_by,
        job,
        {
            "file": job.filename,
            "status": status,
            "dry_run": job.dry_run,
            "total": report.total,
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": report.unchanged,
            "problems": len(report.problems),
        },
    )
    return status
