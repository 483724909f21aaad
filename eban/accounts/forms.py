"""The forms of web sign-in and of the citizen's account pages. Format checks only: the rules
(ID numbers, spans, who may authorise whom) are the actions', whose DomainErrors the views
put on the form."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eban.catalogue.models import Matter
from eban.core.exceptions import DomainError

from . import actions
from .enums import Relationship
from .grants.rules import MAX_MATTERS

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]
DEFAULT_GRANT_DAYS = 365


def _domain_check(check, value):
    try:
        return check(value)
    except DomainError as error:
        raise forms.ValidationError(error.message, code=error.code) from error


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("The 11-digit mainland mobile number that will receive the code."),
        error_messages={"required": _("Please enter your mobile number.")},
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel-national", "maxlength": 20}
        ),
    )

    def clean_phone(self) -> str:
        return _domain_check(actions.clean_phone, self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("SMS code"),
        max_length=12,
        help_text=_("The 6 digits in the text message."),
        error_messages={"required": _("Please enter the code from the text message.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": 12,
                "autofocus": True,
            }
        ),
    )


class RealNameForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=50,
        help_text=_("As on your ID card."),
        error_messages={"required": _("Please enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        help_text=_("The 18 characters on your resident ID card; the last one may be X."),
        error_messages={"required": _("Please enter your ID number.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    photo = forms.FileField(
        label=_("A photo of your face, taken now"),
        required=False,
        help_text=_(
            "It is sent to the real-person verification service, compared with the photo the state "
            "holds for this ID number, and not kept."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "user"}
        ),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this is my own name and ID number."),
        error_messages={"required": _("Please confirm that the name and ID number are your own.")},
    )

    def clean_name(self) -> str:
        return _domain_check(actions.clean_name, self.cleaned_data["name"])

    def clean_id_number(self) -> str:
        return _domain_check(actions.clean_id_number, self.cleaned_data["id_number"])


def _date_field(label, help_text) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        error_messages={
            "required": _("Please enter the date."),
            "invalid": _("Please enter the date as year-month-day, e.g. 2025-09-30."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
    )


class GrantForm(forms.Form):
    """What an authorisation covers and for how long. The matters are chosen by searching the
    catalogue (see the views): the field takes the ids of live matters."""

    matters = forms.ModelMultipleChoiceField(
        label=_("Matters"),
        queryset=Matter.objects.filter(live=True),
        required=False,
        error_messages={"invalid_choice": _("One of the chosen matters is no longer offered; choose again.")},
    )
    all_matters = forms.BooleanField(label=_("All matters"), required=False)
    valid_from = _date_field(_("Valid from"), _("The first day the authorisation holds."))
    valid_until = _date_field(_("Valid until"), _("The last day it holds (at most five years)."))

    @classmethod
    def initial_dates(cls) -> dict[str, datetime.date]:
        today = timezone.localdate()
        return {"valid_from": today, "valid_until": today + datetime.timedelta(days=DEFAULT_GRANT_DAYS)}

    def clean(self):
        cleaned = super().clean()
        matters = cleaned.get("matters")
        if not cleaned.get("all_matters") and matters is not None and not matters:
            self.add_error("matters", _("Choose at least one matter, or all matters."))
        if matters is not None and len(matters) > MAX_MATTERS:
            self.add_error("matters", _("Choose at most %(count)d matters.") % {"count": MAX_MATTERS})
        return cleaned


class ProxyForm(GrantForm):
    field_order = ["proxy_name", "proxy_id_number", "relationship"]

    proxy_name = forms.CharField(
        label=_("Their name"),
        max_length=50,
        help_text=_("As on their ID card."),
        error_messages={"required": _("Please enter their name.")},
    )
    proxy_id_number = forms.CharField(
        label=_("Their ID number"),
        max_length=30,
        error_messages={"required": _("Please enter their ID number.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    relationship = forms.ChoiceField(
        label=_("They are my"),
        choices=[("", _("— choose —")), *Relationship.choices],
        error_messages={"required": _("Please choose how they are related to you.")},
    )

    def clean_proxy_name(self) -> str:
        return _domain_check(actions.clean_name, self.cleaned_data["proxy_name"])

    def clean_proxy_id_number(self) -> str:
        return _domain_check(actions.clean_id_number, self.cleaned_data["proxy_id_number"])


class AgentForm(GrantForm):
    field_order = ["agent_name", "agent_id_number"]

    agent_name = forms.CharField(
        label=_("Agent's name"),
        max_length=50,
        help_text=_("As on their ID card."),
        error_messages={"required": _("Please enter the agent's name.")},
    )
    agent_id_number = forms.CharField(
        label=_("Agent's ID number"),
        max_length=30,
        error_messages={"required": _("Please enter the agent's ID number.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_agent_name(self) -> str:
        return _domain_check(actions.clean_name, self.cleaned_data["agent_name"])

    def clean_agent_id_number(self) -> str:
        return _domain_check(actions.clean_id_number, self.cleaned_data["agent_id_number"])


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("A few words, e.g. “no longer needed”. The other person will see it."),
        error_messages={"required": _("Please give a reason.")},
    )
