"""Shared tables of the platform's plumbing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """When a periodic task was last enqueued (eban.core.schedule): one row per task name, claimed
    with a conditional UPDATE so that of several workers exactly one enqueues each round."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name
