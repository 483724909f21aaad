"""Back-office pages of identity: citizens (masked; "show" for entitled officials, audited),
enterprises with their profile, and the staff (department, divisions, roles; scoped).

Every write goes through `actions` (audited). Citizens are found by their exact ID number or
mobile number through the blind index: the encrypted columns are never searched as text.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem

from eban.core import exceptions
from eban.core.admin_views import StaffPage
from eban.government.models import Department, Division

from . import actions, permissions
from .enums import StaffRole
from .models import Citizen, Enterprise, EnterpriseAgent, StaffProfile
from .staff import managing as staffing
from .staff import otp

PER_PAGE = 50
REVEALABLE = {
    "id_number": _("ID number"),
    "phone": _("mobile phone"),
    "passport_number": _("passport number"),
}


class PermissionMenuItem(MenuItem):
    """A menu item shown only to those who hold the permission (or pass the test)."""

    def __init__(self, *args, test=None, **kwargs):
        self.test = test
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return bool(self.test(request.user))


class IdentityView(StaffPage):
    header_icon = "user"
    allowed = staticmethod(lambda user: False)

    def paginate(self, queryset):
        return Paginator(queryset, PER_PAGE).get_page(self.request.GET.get("p"))


# --- citizens ---------------------------------------------------------------------------------


def find_citizens(query: str):
    """Citizens by exact ID number or mobile number (blind index); None when the query is neither."""
    value = re.sub(r"[\s-]", "", query or "").upper()
    if re.fullmatch(r"\d{17}[\dX]", value):
        return Citizen.objects.with_id_number(value)
    if value.startswith("+86"):
        value = value[3:]
    if re.fullmatch(r"1\d{10}", value):
        return Citizen.objects.with_phone(value)
    return None


class CitizenIndexView(IdentityView):
    template_name = "accounts/admin/citizens.html"
    page_title = _("Citizens")
    allowed = staticmethod(permissions.can_view_citizens)

    def post(self, request, *args, **kwargs):
        """The search posts its number: an ID number or a phone never goes in a URL."""
        return self.render_to_response(self.get_context_data(query=request.POST.get("q", "")))

    def get_context_data(self, query: str = "", **kwargs):
        context = super().get_context_data(**kwargs)
        query = query.strip()[:40]
        citizens = Citizen.objects.select_related("household_division").order_by("-created_at")
        if query:
            found = find_citizens(query)
            if found is None:
                context["query_error"] = _(
                    "Search by the full 18-character ID number or the 11-digit mobile number."
                )
                citizens = citizens.none()
            else:
                citizens = found.select_related("household_division").order_by("-created_at")
        context.update(query=query, page=self.paginate(citizens))
        return context


class CitizenDetailView(IdentityView):
    template_name = "accounts/admin/citizen.html"
    allowed = staticmethod(permissions.can_view_citizens)

    def get_page_title(self):
        return _("Citizen %(name)s") % {"name": self.citizen.masked_name}

    def load(self, pk, **kwargs):
        self.citizen = get_object_or_404(Citizen.objects.select_related("household_division"), pk=pk)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("accounts_citizens"), "label": _("Citizens")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, revealed=None, **kwargs):
        context = super().get_context_data(**kwargs)
        citizen = self.citizen
        revealed = revealed or {}
        rows = []
        for field, label in REVEALABLE.items():
            if getattr(citizen, field):
                masked = {
                    "id_number": citizen.masked_id_number,
                    "phone": citizen.masked_phone,
                }.get(field) or _mask_passport(citizen.passport_number)
                rows.append(
                    {"field": field, "label": label, "masked": masked, "revealed": revealed.get(field)}
                )
        context.update(
            citizen=citizen,
            identifiers=rows,
            can_reveal=permissions.can_view_unmasked(self.request.user),
            enterprises=Enterprise.objects.filter(legal_representative=citizen).order_by("name"),
            agencies=EnterpriseAgent.objects.in_force().filter(agent=citizen).select_related("enterprise"),
            proxies_given=citizen.proxies_given.in_force().count(),
            proxies_held=citizen.proxies_held.in_force().count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        """ "Show" a value: through actions.reveal, which checks the entitlement and audits."""
        field = request.POST.get("field", "")
        try:
            value = actions.reveal(request.user, self.citizen, field)
        except exceptions.PermissionDenied as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(), status=403)
        except exceptions.DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(), status=400)
        return self.render_to_response(self.get_context_data(revealed={field: value}))


def _mask_passport(value: str) -> str:
    return (value[:1] + "*" * (len(value) - 3) + value[-2:]) if len(value) > 3 else "*" * len(value)


# --- enterprises ------------------------------------------------------------------------------


class EnterpriseIndexView(IdentityView):
    template_name = "accounts/admin/enterprises.html"
    page_title = _("Enterprises")
    header_icon = "site"
    allowed = staticmethod(permissions.can_view_enterprises)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").split())
        enterprises = Enterprise.objects.select_related("division").order_by("name")
        if query:
            enterprises = enterprises.filter(Q(credit_code=query.upper()) | Q(name__icontains=query))
        context.update(query=query, page=self.paginate(enterprises))
        return context


class EnterpriseDetailView(IdentityView):
    template_name = "accounts/admin/enterprise.html"
    header_icon = "site"
    allowed = staticmethod(permissions.can_view_enterprises)

    def load(self, pk, **kwargs):
        self.enterprise = get_object_or_404(
            Enterprise.objects.select_related("division", "legal_representative"), pk=pk
        )

    def get_page_title(self):
        return self.enterprise.name

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("accounts_enterprises"), "label": _("Enterprises")},
            {"url": "", "label": self.enterprise.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.enterprise
        context.update(
            enterprise=enterprise,
            facts=enterprise.facts.order_by("key", "-year"),
            tags=enterprise.tags.order_by("name"),
            agents=enterprise.agents.in_force().count(),
            can_view_citizens=permissions.can_view_citizens(self.request.user),
        )
        return context


# --- staff ------------------------------------------------------------------------------------


class StaffForm(forms.Form):
    username = forms.CharField(
        label=_("Account"), max_length=150, help_text=_("The user name of an existing account.")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    division_codes = forms.CharField(
        label=_("Divisions"),
        required=False,
        help_text=_(
            "Division codes separated by commas (e.g. 330302, 330303); each includes everything under it. "
            "Empty: the department's own division."
        ),
    )
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, actor, profile: StaffProfile | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.profile = profile
        labels = dict(StaffRole.choices)
        self.fields["roles"].choices = [(r, labels[r]) for r in staffing.assignable_roles(actor)]
        own = staffing.managed_department_id(actor)
        if staffing.is_platform_admin(actor):
            self.fields["department"].queryset = Department.objects.order_by("code")
        else:
            self.fields["department"].queryset = Department.objects.filter(pk=own)
            self.fields["department"].required = True
        if profile is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        if self.profile is not None:
            return self.profile.user.get_username()
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this user name."))
        profile = StaffProfile.objects.filter(user=user).first()
        if profile is not None:
            raise forms.ValidationError(_("This account is staff already: change it from the staff list."))
        if not staffing.can_manage(self.actor, user, None):
            raise forms.ValidationError(_("You may not make this account staff."))
        self.target_user = user
        return username

    def clean_division_codes(self):
        codes = [c for c in re.split(r"[\s,，;；]+", self.cleaned_data["division_codes"]) if c]
        divisions = list(Division.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {d.code for d in divisions})
        if missing:
            raise forms.ValidationError(
                _("Unknown division codes: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        return divisions


class StaffIndexView(IdentityView):
    template_name = "accounts/admin/staff.html"
    page_title = _("Staff")
    header_icon = "group"
    allowed = staticmethod(staffing.can_view_staff)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profiles = (
            staffing.visible_staff(self.request.user)
            .select_related("user", "department")
            .prefetch_related("divisions", "user__groups", "user__totpdevice_set")
            .order_by("department__code", "user__username")
        )
        labels = dict(StaffRole.choices)
        page = self.paginate(profiles)
        rows = [
            {
                "profile": p,
                "roles": [labels[r] for r in StaffRole.values if r in p.roles],
                "has_authenticator": any(d.confirmed for d in p.user.totpdevice_set.all()),
            }
            for p in page
        ]
        context.update(
            page=page,
            rows=rows,
            can_add=self.request.user.has_perm("accounts.add_staffprofile"),
        )
        return context


class StaffFormView(StaffPage, FormView):
    template_name = "accounts/admin/staff_form.html"
    header_icon = "group"
    form_class = StaffForm
    profile: StaffProfile | None = None

    def allowed(self, user) -> bool:
        return bool(staffing.assignable_roles(user))  # a platform or department administrator

    def load(self, pk=None, **kwargs) -> None:
        user = self.request.user
        if pk is not None:
            self.profile = get_object_or_404(staffing.visible_staff(user).select_related("user"), pk=pk)
            if not staffing.can_manage(user, self.profile.user, self.profile):
                raise PermissionDenied
        elif not user.has_perm("accounts.add_staffprofile"):
            raise PermissionDenied

    def get_page_title(self):
        if self.profile is None:
            return _("Add staff")
        return _("Staff %(username)s") % {"username": self.profile.user.get_username()}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("accounts_staff"), "label": _("Staff")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(actor=self.request.user, profile=self.profile)
        return kwargs

    def get_initial(self):
        if self.profile is None:
            own = staffing.managed_department_id(self.request.user)
            return {"department": own} if own else {}
        return {
            "username": self.profile.user.get_username(),
            "department": self.profile.department_id,
            "division_codes": ", ".join(
                self.profile.divisions.order_by("code").values_list("code", flat=True)
            ),
            "roles": sorted(self.profile.roles),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = self.profile
        if self.profile is not None:
            context["has_authenticator"] = otp.confirmed_device(self.profile.user) is not None
            context["can_reset"] = staffing.can_reset_second_factor(self.request.user)
        return context

    def form_valid(self, form):
        user = self.profile.user if self.profile else form.target_user
        roles = set(form.cleaned_data["roles"])
        if self.profile is not None:
            # Roles this official may not give are kept as they were.
            roles |= self.profile.roles - set(staffing.assignable_roles(self.request.user))
        try:
            profile = actions.set_staff(
                user,
                department=form.cleaned_data["department"],
                divisions=form.cleaned_data["division_codes"],
                roles=sorted(roles),
                actor=self.request.user,
            )
        except exceptions.DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(username)s.") % {"username": user.get_username()})
        return redirect("accounts_staff_edit", pk=profile.pk)


class ResetSecondFactorView(StaffPage):
    """POST: forget an official's authenticator (audited); platform administrators only."""

    http_method_names = ["post"]
    allowed = staticmethod(staffing.can_reset_second_factor)

    def load(self, pk, **kwargs) -> None:
        self.profile = get_object_or_404(
            staffing.visible_staff(self.request.user).select_related("user"), pk=pk
        )

    def post(self, request, *args, **kwargs):
        otp.reset_devices(self.profile.user, actor=request.user)
        messages.success(
            request,
            _("The authenticator of %(username)s was reset: a new one is set up at the next sign-in.")
            % {"username": self.profile.user.get_username()},
        )
        return redirect("accounts_staff_edit", pk=self.profile.pk)
