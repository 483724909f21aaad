"""Matters (事项) and their guides (办事指南): one copy for every channel.

A matter is drafted, reviewed (Wagtail workflow) and published; the live row holds the
published guide, drafts and every published version are Wagtail revisions, and every
change is in the audit log (eban.core.audit).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from eban.government.models import Department, Division, LocalizedNameMixin

from . import blocks
from .enums import Audience, Category, Channel


class Theme(LocalizedNameMixin, models.Model):
    """A topic to browse by: 交通出行, 社保, 市民卡, 住房 …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class LifeEvent(LocalizedNameMixin, models.Model):
    """A moment of life to browse by: 出生, 上学, 就业, 退休, 养老 …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.PERSON
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self) -> str:
        return self.name


matter_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$",
    _("Use 2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
)


class Matter(
    LocalizedNameMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    code = models.CharField(_("code"), max_length=64, unique=True, validators=[matter_code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=_("Other names people use, one per line (e.g. 老年证).")
    )
    keywords = models.TextField(_("search keywords"), blank=True, help_text=_("One per line."))
    summary = models.TextField(_("summary"), blank=True)

    category = models.CharField(_("category"), max_length=16, choices=Category.choices, db_index=True)
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="matters")
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.PERSON
    )
    life_events = ParentalManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="matters"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="matters"
    )
    divisions = ParentalManyToManyField(
        Division,
        verbose_name=_("offered in divisions"),
        blank=True,
        related_name="matters",
        help_text=_("Where the matter can be handled. Empty means everywhere the department serves."),
    )

    channel_kiosk = models.BooleanField(_("kiosk"), default=False)
    channel_online = models.BooleanField(_("online"), default=True)
    channel_window = models.BooleanField(_("service window"), default=True)
    channel_overseas = models.BooleanField(_("overseas service point"), default=False)

    trips = models.PositiveSmallIntegerField(
        _("trips needed"), default=0, help_text=_("0 means no trip at all.")
    )
    on_the_spot = models.BooleanField(_("completed on the spot (当场办结)"), default=False)
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"), null=True, blank=True
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), null=True, blank=True
    )

    fee_free = models.BooleanField(_("free of charge"), default=True)
    fee_amount = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_basis = models.TextField(_("fee basis"), blank=True)

    legal_basis = StreamField([("law", blocks.LegalBasisBlock())], verbose_name=_("legal basis"), blank=True)
    conditions = StreamField(
        [("condition", blocks.ConditionBlock())], verbose_name=_("conditions"), blank=True
    )
    materials = StreamField([("material", blocks.MaterialBlock())], verbose_name=_("materials"), blank=True)
    process = StreamField([("step", blocks.StepBlock())], verbose_name=_("process"), blank=True)
    faq = StreamField([("qa", blocks.FaqBlock())], verbose_name=_("FAQ"), blank=True)

    place = models.TextField(_("where to handle it"), blank=True)
    hours = models.TextField(_("office hours"), blank=True)
    consult_phone = models.CharField(_("consultation phone"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=60, blank=True)

    is_sample = models.BooleanField(_("sample data"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # A fingerprint of the published guide as the import last wrote it (eban.catalogue.actions):
    # a re-import compares fingerprints instead of whole guides. Any other save clears it.
    guide_hash = models.CharField(_("guide fingerprint"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        indexes = [models.Index(fields=["live", "category"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def channels(self) -> list[str]:
        return [c.value for c in Channel if getattr(self, f"channel_{c.value}")]

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not self.fee_free and self.fee_amount is None:
            errors["fee_amount"] = _("Give the fee, or mark the matter free of charge.")
        if self.fee_free and self.fee_amount:
            errors["fee_amount"] = _("A free matter has no fee amount.")
        if not self.on_the_spot and self.promised_days is None:
            errors["promised_days"] = _(
                "Give the promised time limit, or mark the matter completed on the spot."
            )
        if (
            self.statutory_days is not None
            and self.promised_days is not None
            and self.promised_days > self.statutory_days
        ):
            errors["promised_days"] = _("The promised time limit cannot exceed the statutory one.")
        if not any(getattr(self, f"channel_{c.value}") for c in Channel):
            errors["channel_online"] = _("Offer the matter through at least one channel.")
        if errors:
            raise ValidationError(errors)


class ImportJob(models.Model):
    """One import of a catalogue file from the back office, run by a background task.

    The progress is kept here so the page can poll it; the report is kept when it is done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Refused")
        FAILED = "failed", _("Failed")

    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), editable=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matter import")
        verbose_name_plural = _("matter imports")
        permissions = [("import_matters", _("Can import and export the catalogue of matters"))]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
