"""Real-name identity: citizens, enterprises, who may act for whom, and staff.

ID numbers, phones and passport numbers are stored encrypted (eban.core.fields) with a keyed
hash beside them (the blind index) so that a citizen can be found by number without decrypting
the table. Write through eban.accounts.actions; read for an actor through eban.accounts.queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eban.core.fields import BlindIndexField, EncryptedTextField
from eban.core.masking import mask_id_number, mask_name, mask_phone
from eban.government.models import Department, Division

from .enums import Relationship, Sex, StaffRole, VerificationMethod

ID_NUMBER = "accounts.citizen.id_number"
PHONE = "accounts.citizen.phone"
PASSPORT = "accounts.citizen.passport_number"


def id_number_index(id_number: str) -> str | None:
    """The blind index of an ID number: what `Citizen.id_number_index` is filtered with."""
    return BlindIndexField.lookup(Citizen, "id_number_index", id_number)


def phone_index(phone: str) -> str | None:
    return BlindIndexField.lookup(Citizen, "phone_index", phone)


class CitizenQuerySet(models.QuerySet):
    def with_id_number(self, id_number: str) -> CitizenQuerySet:
        index = id_number_index(id_number)
        return self.filter(id_number_index=index) if index else self.none()

    def with_phone(self, phone: str) -> CitizenQuerySet:
        index = phone_index(phone)
        return self.filter(phone_index=index) if index else self.none()

    def get_by_id_number(self, id_number: str) -> Citizen:
        return self.with_id_number(id_number).get()


class Citizen(models.Model):
    """A natural person known by a valid 18-character ID number (GB 11643-1999)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen",
    )
    name = models.CharField(_("name"), max_length=100)
    id_number = EncryptedTextField(_("ID number"), purpose=ID_NUMBER)
    id_number_index = BlindIndexField(source="id_number", unique=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    household_division = models.ForeignKey(
        Division,
        verbose_name=_("household registration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = EncryptedTextField(_("mobile phone"), purpose=PHONE, blank=True)
    phone_index = BlindIndexField(source="phone")
    abroad_country = models.CharField(
        _("country of residence abroad"), max_length=2, blank=True, help_text=_("ISO 3166-1 code, e.g. IT")
    )
    passport_number = EncryptedTextField(_("passport number"), purpose=PASSPORT, blank=True)
    photo = models.ImageField(_("photo on record"), upload_to="accounts/photos/", blank=True)
    verification_method = models.CharField(
        _("verified by"), max_length=10, choices=VerificationMethod.choices, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    # Sample people only: who they are in the demo and what they are for (the kiosk's sample cards).
    sample_note = models.CharField(_("sample person's role"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        permissions = [("view_unmasked", _("Can see ID numbers and phones unmasked (audited)"))]
        constraints = [
            # One account per phone for sign-in by SMS code (relatives may share a phone
            # without an account: they are helped through a proxy instead).
            models.UniqueConstraint(
                fields=["phone_index"],
                condition=Q(user__isnull=False, phone_index__isnull=False),
                name="accounts_citizen_one_account_per_phone",
            )
        ]

    def __str__(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_abroad(self) -> bool:
        return bool(self.abroad_country)


class Enterprise(models.Model):
    """A firm or organisation known by its unified social credit code (GB 32100-2015).

    The columns hold the current values the policy system matches on; each value's source and
    date, and the yearly figures, are in EnterpriseFact and EnterpriseTag."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_representative = models.ForeignKey(
        Citizen,
        verbose_name=_("legal representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_enterprises",
    )
    industry_code = models.CharField(
        _("industry (GB/T 4754)"), max_length=5, blank=True, help_text=_("e.g. C3911"), db_index=True
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_capital = models.DecimalField(
        _("registered capital (10,000 CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class FactKey(models.TextChoices):
    INDUSTRY_CODE = "industry_code", _("Industry (GB/T 4754)")
    DIVISION = "division", _("Division")
    REGISTERED_CAPITAL = "registered_capital", _("Registered capital (10,000 CNY)")
    FOUNDED_ON = "founded_on", _("Founded on")
    EMPLOYEES = "employees", _("Employees")
    REVENUE = "revenue", _("Revenue (10,000 CNY)")
    TAX = "tax", _("Tax paid (10,000 CNY)")


YEARLY_FACTS = {FactKey.EMPLOYEES, FactKey.REVENUE, FactKey.TAX}


class EnterpriseFact(models.Model):
    """One value of an enterprise's profile, with where it came from and as of when.
    Yearly figures (employees, revenue, tax) carry their year; the others year 0."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="facts")
    key = models.CharField(_("what"), max_length=20, choices=FactKey.choices)
    year = models.PositiveSmallIntegerField(_("year"), default=0)
    number = models.DecimalField(_("number"), max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("text"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=100)
    as_of = models.DateField(_("as of"))
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enterprise fact")
        verbose_name_plural = _("enterprise facts")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "key", "year"], name="accounts_fact_one_per_year")
        ]
        indexes = [models.Index(fields=["key", "year", "number"], name="accounts_fact_match")]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.year or ''}".strip()

    @property
    def value(self):
        return self.number if self.number is not None else self.text


class EnterpriseTag(models.Model):
    """A label the policy system matches on (高新技术企业, 专精特新 …), with its source and date."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=50)
    source = models.CharField(_("source"), max_length=100)
    as_of = models.DateField(_("as of"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="accounts_tag_once")]
        indexes = [models.Index(fields=["name"], name="accounts_tag_name")]

    def __str__(self) -> str:
        return self.name


class GrantQuerySet(models.QuerySet):
    def in_force(self, on=None) -> GrantQuerySet:
        day = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, valid_from__lte=day, valid_until__gte=day)


class Grant(models.Model):
    """What an authorisation has in common: a span of days, matters, revocation."""

    all_matters = models.BooleanField(_("all matters"), default=False)
    matters = models.ManyToManyField(
        "catalogue.Matter", verbose_name=_("matters"), blank=True, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        abstract = True

    def in_force(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    def covers(self, matter_id: int | None) -> bool:
        """Whether this grant covers the matter (None: acting in general, e.g. viewing)."""
        if self.all_matters or matter_id is None:
            return True
        return self.matters.filter(pk=matter_id).exists()


class EnterpriseAgent(Grant):
    """The legal representative lets a citizen (经办人) act for the firm."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="agents")
    agent = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="agencies")
    granted_by = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("enterprise agent")
        verbose_name_plural = _("enterprise agents")

    def __str__(self) -> str:
        return f"{self.agent} → {self.enterprise}"


class ProxyAuthorisation(Grant):
    """A citizen (the principal) lets a relative or an official helper act for them (代办 / 委托)."""

    principal = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="proxies_given")
    proxy = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="proxies_held")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)

    class Meta:
        verbose_name = _("proxy authorisation")
        verbose_name_plural = _("proxy authorisations")

    def __str__(self) -> str:
        return f"{self.proxy} → {self.principal}"


class StaffProfile(models.Model):
    """An official: the department and divisions whose cases they may see, and their roles
    (the roles are Django groups, so the back office's permissions follow them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    divisions = models.ManyToManyField(
        Division,
        verbose_name=_("divisions"),
        blank=True,
        related_name="+",
        help_text=_("The divisions (and everything under them) whose cases this official sees."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return self.user.get_username()

    @property
    def roles(self) -> set[str]:
        names = set(self.user.groups.values_list("name", flat=True))
        return {role.value for role in StaffRole if role.group_name in names}

    def has_role(self, role: StaffRole) -> bool:
        return self.user.is_superuser or role.value in self.roles


class LoginCode(models.Model):
    """A one-time SMS code for signing in: stored hashed, valid 5 minutes, 5 attempts."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["expires_at"], name="accounts_code_expiry")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class FaceAttempt(models.Model):
    """One face sign-in at a paired terminal, from the ID number to the decision.

    It holds what the attempt needs between its pages instead of the session: the blind index of
    the ID number (never the number; cleared once decided), when consent was given, and the random
    challenge the server drew for the liveness step. Once decided it is the record of the decision:
    pass or fail, why, at which terminal, when. It never holds a face, a picture or a descriptor."""

    token_hash = models.CharField(max_length=64, unique=True)  # sha256 of the session's token
    terminal = models.CharField(_("terminal"), max_length=64, db_index=True)
    id_number_index = models.CharField(max_length=128, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    challenge = models.CharField(_("challenge"), max_length=10, blank=True)
    challenged_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("face sign-in attempt")
        verbose_name_plural = _("face sign-in attempts")

    def __str__(self) -> str:
        return f"{self.terminal} {self.created_at:%Y-%m-%d %H:%M} {self.passed}"


class CardReadingNonce(models.Model):
    """A number used once: the server gives it to one terminal's card reader, the reader signs it
    into its reading, and the reading signs in once, at that terminal (kept in the database so
    that it holds across processes)."""

    nonce = models.CharField(max_length=64, unique=True)
    terminal = models.CharField(_("terminal"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("card reading nonce")
        verbose_name_plural = _("card reading nonces")

    def __str__(self) -> str:
        return f"{self.terminal} {self.created_at:%Y-%m-%d %H:%M}"
