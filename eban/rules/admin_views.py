"""Rule sets in the back office: the list, the draft editor (JSON with its problems shown in place
and a readable rendering), the try-out against a sample applicant, activation and retirement.

For policy officers and platform administrators (`permissions.can_edit`). Every write goes through
`actions` (audited). The try-out writes nothing; it is a POST so that an ID number typed to pick
a citizen stays out of URLs and access logs, and citizens are shown masked.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eban.accounts.models import Citizen
from eban.core import exceptions
from eban.core.admin_views import StaffPage

from . import actions, language, permissions, queries
from . import variables as v
from .evaluate import evaluate
from .models import RuleSet, Status

SAMPLE_CITIZENS = 50
EXAMPLE = {
    "combine": "all",
    "conditions": [
        {
            "key": "age",
            "check": {">=": [{"var": "applicant.age"}, 60]},
            "label": {"zh-hans": "年满60周岁", "en": "Aged 60 or over"},
            "advice": {"zh-hans": "年满60周岁后即可申请。", "en": "You can apply from your 60th birthday."},
        }
    ],
}


class RulesView(StaffPage):
    header_icon = "tasks"
    rule_set: RuleSet | None = None
    parent_crumb = ("rules_index", _("Eligibility rules"))

    def allowed(self, user) -> bool:
        return permissions.can_edit(user)

    def load(self, pk=None, **kwargs) -> None:
        if pk is not None:
            self.rule_set = get_object_or_404(RuleSet, pk=pk)


# --- list --------------------------------------------------------------------------------------


class RuleSetIndexView(RulesView):
    template_name = "rules/admin/index.html"
    page_title = _("Eligibility rules")
    parent_crumb = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = []
        for rule_set in RuleSet.objects.order_by("code", "-version"):
            rows.append({"rule_set": rule_set, "in_force": rule_set.in_force(today)})
        context.update(rows=rows, today=today)
        return context


# --- editor ------------------------------------------------------------------------------------


class RuleSetForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=50, help_text=_("e.g. senior-card: the same for every version")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.CharField(
        label=_("Rule (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "rules-json"}),
        help_text=_(
            "See docs/rules.md for the language. Problems are listed below the text with their place."
        ),
    )

    def __init__(self, *args, rule_set: RuleSet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_set = rule_set
        if rule_set is not None:
            del self.fields["code"]
        self.parsed: language.Rule | None = None

    def clean_document(self):
        text = self.cleaned_data["document"]
        try:
            document = language.loads(text)
            self.parsed = language.parse(document)
        except language.RuleError as error:
            self.problems = error.problems
            raise forms.ValidationError(
                [f"{place}: {message}" for place, message in error.problems]
            ) from None
        return document

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of validity comes before its start."))
        return cleaned


def _pretty(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def readable(parsed: language.Rule) -> list[dict]:
    """Each condition as its label and its check in words."""
    return [
        {
            "key": c.key,
            "label": language.pick(c.labels),
            "check": language.describe(c.check),
            "advice": language.pick(c.advice),
            "fields": [str(v.ALL[name].label) for name in c.fields],
        }
        for c in parsed.conditions
    ]


class RuleSetEditView(RulesView):
    """A new rule set (or a new version of a code: ?code=…), or changes to a draft."""

    template_name = "rules/admin/edit.html"

    def load(self, pk=None, **kwargs):
        super().load(pk=pk)
        if self.rule_set is not None and self.rule_set.status != Status.DRAFT:
            raise PermissionDenied  # only drafts are edited: make a new version instead

    def get_page_title(self):
        if self.rule_set is None:
            return _("New rule set")
        return _("Edit %(code)s, version %(version)s (draft)") % {
            "code": self.rule_set.code,
            "version": self.rule_set.version,
        }

    def initial(self) -> dict:
        if self.rule_set is None:
            return {
                "code": self.request.GET.get("code", ""),
                "valid_from": timezone.localdate(),
                "document": _pretty(EXAMPLE),
            }
        return {
            "title": self.rule_set.title,
            "title_en": self.rule_set.title_en,
            "valid_from": self.rule_set.valid_from,
            "valid_until": self.rule_set.valid_until,
            "document": _pretty(self.rule_set.document),
        }

    def get(self, request, *args, **kwargs):
        form = RuleSetForm(initial=self.initial(), rule_set=self.rule_set)
        parsed = self.rule_set.parsed() if self.rule_set else None
        return self.render_to_response(
            self.get_context_data(
                form=form, preview=parsed and readable(parsed), combine=parsed and parsed.combine
            )
        )

    def post(self, request, *args, **kwargs):
        form = RuleSetForm(request.POST, rule_set=self.rule_set)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        preview = readable(form.parsed)
        if "check" in request.POST:  # check only: show the rendering, save nothing
            return self.render_to_response(
                self.get_context_data(form=form, preview=preview, combine=form.parsed.combine, checked=True)
            )
        data = form.cleaned_data
        try:
            rule_set = actions.save_draft(
                code=data.get("code"),
                rule_set=self.rule_set,
                document=data["document"],
                title=data["title"],
                title_en=data["title_en"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                actor=request.user,
            )
        except exceptions.DomainError as error:
            form.add_error(None, error.message)
            return self.render_to_response(
                self.get_context_data(form=form, preview=preview, combine=form.parsed.combine), status=400
            )
        messages.success(
            request,
            _("Saved: %(code)s, version %(version)s (draft).")
            % {"code": rule_set.code, "version": rule_set.version},
        )
        return redirect("rules_detail", pk=rule_set.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(rule_set=self.rule_set, variables=_variables_table())
        return context


def _variables_table() -> list[dict]:
    return [
        {
            "name": name,
            "type": v.TYPE_LABELS[variable.type],
            "label": variable.label,
            "choices": ", ".join(variable.choices) if variable.choices else "",
        }
        for name, variable in v.ALL.items()
    ]


# --- detail and try-out ------------------------------------------------------------------------


def _fact_field(variable: v.Variable) -> forms.Field:
    label = f"{variable.label} ({variable.name})"
    if variable.type == v.BOOL:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", _("not known")), ("yes", _("yes")), ("no", _("no"))],
        )
    if variable.type == v.DATE:
        return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    if variable.type == v.NUMBER:
        return forms.DecimalField(label=label, required=False)
    if variable.type == v.SET:
        return forms.CharField(label=label, required=False, help_text=_("Names separated by commas."))
    if variable.choices:
        return forms.ChoiceField(
            label=label, required=False, choices=[("", _("not known")), *variable.choices.items()]
        )
    return forms.CharField(label=label, required=False)


class FactsForm(forms.Form):
    """The facts a rule reads, typed by hand (empty: not known)."""

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, prefix="fact", **kwargs)
        self.names = names
        for name in names:
            self.fields[name] = _fact_field(v.ALL[name])

    def facts(self) -> dict:
        facts = {}
        for name in self.names:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            variable = v.ALL[name]
            if variable.type == v.BOOL:
                value = value == "yes"
            elif variable.type == v.SET:
                value = [part for part in re.split(r"[,，、\s]+", value) if part]
            facts[name] = value
        return facts


class CitizenPickForm(forms.Form):
    day = forms.DateField(label=_("On the day"), widget=forms.DateInput(attrs={"type": "date"}))
    sample = forms.ChoiceField(label=_("A sample citizen"), required=False)
    id_number = forms.CharField(
        label=_("Or a citizen by ID number"),
        required=False,
        max_length=18,
        help_text=_("The full 18-character number (found through its blind index; shown masked)."),
    )

    def __init__(self, *args, can_find: bool, **kwargs):
        super().__init__(*args, prefix="pick", **kwargs)
        samples = Citizen.objects.filter(is_sample=True).order_by("pk")[:SAMPLE_CITIZENS]
        self.fields["sample"].choices = [("", "—")] + [
            (str(c.pk), f"{c.masked_name} · {c.masked_id_number}") for c in samples
        ]
        if not can_find:
            del self.fields["id_number"]

    def clean(self):
        cleaned = super().clean()
        number = re.sub(r"\s", "", cleaned.get("id_number") or "").upper()
        if number:
            self.citizen = Citizen.objects.with_id_number(number).first()
            if self.citizen is None:
                self.add_error("id_number", _("No citizen with this ID number."))
        elif cleaned.get("sample"):
            self.citizen = Citizen.objects.filter(is_sample=True, pk=cleaned["sample"]).first()
            if self.citizen is None:
                self.add_error("sample", _("Pick a sample citizen from the list."))
        else:
            raise forms.ValidationError(_("Pick a sample citizen or give an ID number."))
        return cleaned


class RuleSetDetailView(RulesView):
    template_name = "rules/admin/detail.html"

    def get_page_title(self):
        return f"{self.rule_set.display_title} · {self.rule_set.code} v{self.rule_set.version}"

    def forms(self, data=None, which=None):
        parsed = self.rule_set.parsed()
        today = timezone.localdate()
        facts_form = FactsForm(data if which == "facts" else None, names=list(parsed.fields))
        pick_form = CitizenPickForm(
            data if which == "citizen" else None,
            initial={"day": today},
            can_find=permissions.can_find_citizens(self.request.user),
        )
        return parsed, facts_form, pick_form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule_set = self.rule_set
        parsed = kwargs.get("parsed") or rule_set.parsed()
        context.update(
            rule_set=rule_set,
            conditions=readable(parsed),
            combine=parsed.combine,
            document=_pretty(rule_set.document),
            in_force=rule_set.in_force(),
            versions=queries.versions(rule_set.code),
            has_draft=queries.versions(rule_set.code).filter(status=Status.DRAFT).exists(),
        )
        return context

    def get(self, request, *args, **kwargs):
        parsed, facts_form, pick_form = self.forms()
        return self.render_to_response(
            self.get_context_data(parsed=parsed, facts_form=facts_form, pick_form=pick_form)
        )

    def post(self, request, *args, **kwargs):
        """Try the rule: on typed facts, or on a citizen's facts on a day. Writes nothing."""
        which = "citizen" if request.POST.get("try") == "citizen" else "facts"
        parsed, facts_form, pick_form = self.forms(request.POST, which)
        form = pick_form if which == "citizen" else facts_form
        context = {"parsed": parsed, "facts_form": facts_form, "pick_form": pick_form, "tried": which}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**context), status=400)
        if which == "citizen":
            citizen, day = pick_form.citizen, pick_form.cleaned_data["day"]
            facts = v.facts_for(citizen, v.CITIZEN, on=day, names=parsed.fields)
            context["subject"] = {
                "name": citizen.masked_name,
                "id_number": citizen.masked_id_number,
                "day": day,
            }
        else:
            facts = facts_form.facts()
        context["evaluation"] = evaluate(parsed, facts)
        return self.render_to_response(self.get_context_data(**context))


# --- state changes -----------------------------------------------------------------------------


class RuleSetChangeView(RulesView):
    """A change of state (a form's POST from the detail page): `change` is the action, `done`
    the message shown after it."""

    http_method_names = ["post"]
    change = staticmethod(actions.activate)
    done = ""

    def post(self, request, *args, **kwargs):
        try:
            result = self.change(self.rule_set, actor=request.user)
        except exceptions.DomainError as error:
            messages.error(request, error.message)
            return redirect("rules_detail", pk=self.rule_set.pk)
        messages.success(request, self.done % {"code": result.code, "version": result.version})
        return redirect("rules_detail", pk=result.pk)


class ActivateView(RuleSetChangeView):
    change = staticmethod(actions.activate)
    done = _("Activated: %(code)s, version %(version)s.")


class RetireView(RuleSetChangeView):
    change = staticmethod(actions.retire)
    done = _("Retired: %(code)s, version %(version)s.")


class NewVersionView(RuleSetChangeView):
    change = staticmethod(actions.new_version)
    done = _("New draft: %(code)s, version %(version)s. Change it, then activate it.")
