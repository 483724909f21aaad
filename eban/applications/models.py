"""Applications (办件): one request for one matter by one applicant, its timeline, materials,
decision and rating. Writes go through eban.applications.actions (a package); reads for an actor through
eban.applications.queries (a citizen sees their own, an official their scope)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eban.accounts.models import Citizen, Enterprise, EnterpriseAgent, ProxyAuthorisation
from eban.catalogue.models import Matter
from eban.government.models import Department, Division

from .enums import IN_PROGRESS, Channel, MaterialSource, Outcome, Status


class MatterSetup(models.Model):
    """How a matter is applied for: its form (JSON Schema subset), whether rules decide at once
    (秒批), the rule set they use and the certificate issued. One per matter; edited in the back
    office; every channel renders the same form from it."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="setup")
    form_schema = models.JSONField(_("application form (JSON Schema)"), default=dict, blank=True)
    instant = models.BooleanField(_("instant approval by rules (秒批)"), default=False)
    rule_code = models.CharField(_("eligibility rule set"), max_length=64, blank=True)
    certificate_type = models.CharField(_("certificate type issued"), max_length=64, blank=True)
    accepting = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("application set-up of a matter")
        verbose_name_plural = _("application set-ups of matters")

    def __str__(self) -> str:
        return str(self.matter)

    def clean(self) -> None:
        """The form must be one eban can render; instant approval needs a rule set; the rule set
        and the certificate type must exist. (Saved from the back office and by setups.save_setup.)"""
        from django.core.exceptions import ValidationError

        from eban.core.exceptions import DomainError

        from . import formschema

        errors = {}
        try:
            self.form_schema = formschema.check_schema(self.form_schema or {})
        except DomainError as error:
            errors["form_schema"] = error.message
        if self.instant and not self.rule_code:
            errors["rule_code"] = _("Instant approval needs an eligibility rule set.")
        if self.rule_code:
            from eban.rules.models import RuleSet

            if not RuleSet.objects.filter(code=self.rule_code).exists():
                errors["rule_code"] = _("There is no rule set %(code)s.") % {"code": self.rule_code}
        if self.certificate_type:
            from eban.certificates.models import CertificateType

            if not CertificateType.objects.filter(code=self.certificate_type).exists():
                errors["certificate_type"] = _("There is no certificate type %(code)s.") % {
                    "code": self.certificate_type
                }
        if errors:
            raise ValidationError(errors)


class Application(models.Model):
    number = models.CharField(_("case number"), max_length=32, unique=True)
    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.PROTECT, related_name="+")
    # Scope: the department that handles it and the division where it was made.
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    # The applicant: a citizen, or an enterprise (then `citizen` is empty) …
    citizen = models.ForeignKey(
        Citizen,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("applicant enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # … and who acted, by which authorisation.
    submitted_by = models.ForeignKey(
        Citizen,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    via_proxy = models.ForeignKey(
        ProxyAuthorisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    via_agent = models.ForeignKey(
        EnterpriseAgent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    instant = models.BooleanField(_("instant approval"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    statutory_due = models.DateField(_("statutory deadline"), null=True, blank=True)
    promised_due = models.DateField(_("promised deadline"), null=True, blank=True)
    clock_stopped_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)  # bumped by every transition
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen__isnull=False) | Q(enterprise__isnull=False),
                name="applications_has_applicant",
            ),
            # One open application per applicant and matter: two submissions at the same moment
            # (a double click, the web and a kiosk) make one case (actions.submission).
            models.UniqueConstraint(
                fields=["citizen", "matter"],
                condition=Q(status__in=IN_PROGRESS, citizen__isnull=False),
                name="applications_one_open_per_citizen",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "matter"],
                condition=Q(status__in=IN_PROGRESS, enterprise__isnull=False),
                name="applications_one_open_per_enterprise",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "promised_due"], name="applications_queue"),
            models.Index(fields=["citizen", "-submitted_at"], name="applications_mine"),
        ]

    def __str__(self) -> str:
        return self.number


class Event(models.Model):
    """One step of an application's timeline (shown to the applicant and the staff)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=MaterialSource.choices)
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    shared_reference = models.CharField(_("shared data reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SupplementRequest(models.Model):
    """补正: exactly what the applicant must fix; the clock stops until it is answered."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supplements")
    items = models.TextField(_("what to fix"))
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.application} 补正"


class Decision(models.Model):
    """The decision on an application, by rules (instant approval) or by an official, with the
    inputs and the per-condition explanation kept as they were."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    by_rules = models.BooleanField(default=False)
    rule_code = models.CharField(max_length=64, blank=True)
    rule_version = models.PositiveIntegerField(null=True, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    appeal_route = models.TextField(_("how to appeal"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application} {self.outcome}"


class Rating(models.Model):
    """好差评: 1–5 after completion; a 1 or 2 opens a follow-up for the department."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    reply = models.TextField(_("department's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="applications_score_1_5")
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.score}"


class CaseCounter(models.Model):
    """The last case number of a day and division (numbers are unique and gap-free per day)."""

    day = models.DateField()
    prefix = models.CharField(max_length=12)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "prefix"], name="applications_counter_once")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day:%Y%m%d} {self.last}"
