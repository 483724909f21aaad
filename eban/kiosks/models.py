"""The kiosk network (瓯e办 便民服务终端): terminals, their health, the settlements they serve
and the transactions made at them.

Coordinates are stored in WGS-84 (what GPS gives); map links convert them to GCJ-02 (AMap,
Tencent) or BD-09 (Baidu) at the edge (eban.kiosks.geo).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eban.government.models import LocalizedNameMixin

from .enums import AlertKind, DeviceState, Hardware, Level, SettlementKind, TransactionKind

terminal_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{2,31}$",
    _("A terminal code is 3 to 32 capital letters, digits and hyphens."),
)
# How a name says it is sample data (then no second label is added beside it).
SAMPLE_MARKS = ("样例", "sample")
LATITUDE = [MinValueValidator(-90.0), MaxValueValidator(90.0)]
LONGITUDE = [MinValueValidator(-180.0), MaxValueValidator(180.0)]


class Terminal(LocalizedNameMixin, models.Model):
    """One self-service terminal.

    `opening_hours` is JSON, checked by eban.kiosks.hours.check_hours:
        {"always": true}                                  open 24 hours, every day
        {"weekly": {"mon": [["08:30", "12:00"], ["13:30", "17:30"]], ..., "sun": []},
         "holidays": [["09:00", "12:00"]]}                hours on statutory holidays ([] = closed;
                                                          no key = as on that weekday)
    Working days moved to a weekend (调休) follow the weekday they replace's hours: Monday's.
    """

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[terminal_code_validator])
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    division = models.ForeignKey(
        "government.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="terminals"
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.FloatField(_("latitude (WGS-84)"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude (WGS-84)"), validators=LONGITUDE)
    hardware = models.JSONField(
        _("hardware"), default=list, blank=True, help_text=_("The devices fitted: a list of hardware codes.")
    )
    opening_hours = models.JSONField(_("opening hours"), default=dict)
    matters = models.ManyToManyField(
        "catalogue.Matter", verbose_name=_("matters offered"), blank=True, related_name="terminals"
    )
    active = models.BooleanField(_("in service"), default=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The terminal's own credential: only a hash is kept (eban.kiosks.tokens).
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, editable=False)
    token_issued_at = models.DateTimeField(_("token issued at"), null=True, blank=True, editable=False)
    token_revoked_at = models.DateTimeField(_("token revoked at"), null=True, blank=True, editable=False)

    # Health as of the last accepted heartbeat (the history is in Heartbeat). Every heartbeat
    # rewrites these columns (500 times a second for a province), so none of them is indexed and
    # the table keeps room in each page (fillfactor, migration 0003): PostgreSQL then updates a
    # row in place without touching any index (a HOT update). The silent-terminal sweep reads
    # the whole table once a minute instead (one sequential scan).
    last_seen_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    online = models.BooleanField(pgettext_lazy("terminal status", "online"), default=False)
    paper_level = models.PositiveSmallIntegerField(
        _("paper level (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    printer_state = models.CharField(_("printer"), max_length=8, choices=DeviceState.choices, blank=True)
    camera_state = models.CharField(_("camera"), max_length=8, choices=DeviceState.choices, blank=True)
    software_version = models.CharField(_("software version"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("terminal")
        verbose_name_plural = _("terminals")
        indexes = [models.Index(fields=["latitude", "longitude"], name="kiosks_terminal_position")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def has(self, device: Hardware | str) -> bool:
        return str(device) in (self.hardware or [])

    @property
    def needs_sample_label(self) -> bool:
        """Whether a page should label the name as sample data: a sample terminal whose shown name
        does not already say so (the demo's names end in （样例） / (sample): one label, not two)."""
        name = self.display_name.casefold()
        return self.is_sample and not any(mark in name for mark in SAMPLE_MARKS)


class Heartbeat(models.Model):
    """One accepted heartbeat, as the terminal reported it. Append-only; rows older than EBAN_KIOSK_HEARTBEAT_DAYS are pruned (eban.kiosks.heartbeats.retention)."""

    terminal = models.ForeignKey(Terminal, on_delete=models.CASCADE, related_name="heartbeats")
    received_at = models.DateTimeField(_("received at"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"))
    online = models.BooleanField(pgettext_lazy("terminal status", "online"))
    paper_level = models.PositiveSmallIntegerField(_("paper level (%)"), null=True, blank=True)
    printer_state = models.CharField(_("printer"), max_length=8, choices=DeviceState.choices, blank=True)
    camera_state = models.CharField(_("camera"), max_length=8, choices=DeviceState.choices, blank=True)
    software_version = models.CharField(_("software version"), max_length=40, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.terminal_id} @ {self.received_at:%Y-%m-%d %H:%M:%S}"


class RefusedHeartbeat(models.Model):
    """A heartbeat that was refused: unknown or revoked token, forged or malformed body."""

    received_at = models.DateTimeField(_("received at"), db_index=True)
    claimed_code = models.CharField(_("claimed terminal code"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=32)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("refused heartbeat")
        verbose_name_plural = _("refused heartbeats")

    def __str__(self) -> str:
        return f"{self.claimed_code or '?'}: {self.reason}"


class Alert(models.Model):
    """A problem with one terminal, open until it clears (closed_at set)."""

    terminal = models.ForeignKey(Terminal, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # What the alert is about, as data, rendered in the reader's language by `detail_text`:
    # {"paper_level": 4} (out of paper); {"last_seen_at": "<ISO 8601>"} or {"never_seen": true} (silent).
    facts = models.JSONField(_("facts"), default=dict, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["terminal", "kind"],
                condition=models.Q(closed_at__isnull=True),
                name="kiosks_alert_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.terminal_id})"

    @property
    def detail_text(self) -> str:
        """The facts in the active language ("纸张余量 4%", "从未上线"); "" when there are none."""
        facts = self.facts or {}
        if facts.get("paper_level") is not None:
            return _("Paper left: %(level)s%%") % {"level": facts["paper_level"]}
        if facts.get("never_seen"):
            return str(_("Never seen"))
        if facts.get("last_seen_at"):
            try:
                seen = datetime.datetime.fromisoformat(facts["last_seen_at"])
            except (TypeError, ValueError):
                return ""
            return _("Last heartbeat %(time)s") % {"time": date_format(timezone.localtime(seen), "Y-m-d H:i")}
        return ""


class Settlement(LocalizedNameMixin, models.Model):
    """A village or community with its population: what coverage is measured against."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SettlementKind.choices)
    division = models.ForeignKey(
        "government.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="settlements",
        null=True,
        blank=True,
    )
    population = models.PositiveIntegerField(_("population"))
    latitude = models.FloatField(_("latitude (WGS-84)"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude (WGS-84)"), validators=LONGITUDE)
    key_village = models.BooleanField(_("key village (重点村)"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return self.name


class KioskTransaction(models.Model):
    """One transaction at a terminal: the unit of the usage figures (by terminal, matter,
    division and day). The division is the terminal's at the time."""

    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=12, choices=TransactionKind.choices)
    matter = models.ForeignKey(
        "catalogue.Matter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    division = models.ForeignKey("government.Division", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"), db_index=True)
    at = models.DateTimeField(_("at"))
    application_number = models.CharField(_("case number"), max_length=40, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("kiosk transaction")
        verbose_name_plural = _("kiosk transactions")
        indexes = [models.Index(fields=["terminal", "day"], name="kiosks_txn_terminal_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.terminal_id} {self.day}"


class CoverageRun(models.Model):
    """One computation of coverage started by an official (eban.kiosks.coverage.runs): its
    parameters, its progress (a large one runs in the background) and its result, kept so the
    page can show it again. No personal data: settlements and terminals only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    background = models.BooleanField(_("run in the background"), default=False)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    minutes = models.FloatField(_("walking minutes"), null=True, blank=True)
    speed_m_per_min = models.FloatField(_("walking speed (m/min)"), null=True, blank=True)
    radius_m = models.FloatField(_("reach (m)"))
    sites = models.PositiveSmallIntegerField(_("new sites proposed"), default=10)
    division = models.CharField(_("division code"), max_length=12, blank=True)
    seconds = models.FloatField(_("computing time (s)"), null=True, blank=True)
    share = models.FloatField(_("share of people covered"), null=True, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    map_points = models.JSONField(_("map points"), default=list, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coverage run")
        verbose_name_plural = _("coverage runs")

    def __str__(self) -> str:
        return f"coverage {self.radius_m:.0f} m ({self.division or '*'}) #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0
