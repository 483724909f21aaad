"""Versioned rule sets: a rule document with its validity dates, frozen once active.

A change to an active rule set is a new version (a draft, then activated); a decision records
the code and version it applied, so it can always be explained with the rule as it was.
Write through eban.rules.actions; read the version in force with eban.rules.queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eban.core.exceptions import Conflict

from . import language


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


# What may still change once a version has left the draft state.
_MUTABLE_AFTER_DRAFT = {"status", "activated_at", "activated_by", "retired_at"}


class RuleSet(models.Model):
    code = models.SlugField(
        _("code"), max_length=50, help_text=_("e.g. senior-card; the same for every version")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    document = models.JSONField(_("rule"))
    fields = models.JSONField(_("fields read"), default=list, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rules_ruleset_one_per_version"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="rules_ruleset_valid_span",
            ),
        ]
        indexes = [models.Index(fields=["code", "status", "valid_from"], name="rules_ruleset_in_force")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args, **kwargs):
        """Keeps `fields` in step with the document, and an active or retired version unchanged
        (only its status and the dates of activation and retirement move)."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).first()
            if stored is not None and stored.status != Status.DRAFT:
                changed = {
                    f.name
                    for f in self._meta.concrete_fields
                    if f.name not in _MUTABLE_AFTER_DRAFT
                    and getattr(stored, f.attname) != getattr(self, f.attname)
                }
                if changed:
                    raise Conflict(
                        _(
                            "Version %(version)s of %(code)s is no longer a draft and cannot change: save a new version."
                        )
                        % {"version": stored.version, "code": stored.code}
                    )
        self.fields = language.fields(self.document)
        super().save(*args, **kwargs)

    @property
    def rule(self) -> dict:
        return self.document

    @property
    def display_title(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def in_force(self, on=None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status == Status.ACTIVE
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def parsed(self) -> language.Rule:
        return language.parse(self.document)
