"""Background jobs of the catalogue (run by `eban worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Import the file of one back-office ImportJob (idempotent: a finished job is left alone)."""
    from .interchange.jobs import run_job

    return run_job(job_id)
