"""Notifications in the back office: the message templates (a saved edit is a new version; the
fields are checked against what the message supplies) and the messages sent, with their status
(addresses masked). Each page is a StaffPage gated by eban/notifications/permissions.py
(notifications.view/add/change_template, view/change_message: the platform administrator's role,
eban/accounts/roles.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from eban.core.admin_views import StaffPage
from eban.core.exceptions import DomainError

from . import actions, kinds, permissions, rendering
from .addresses import mask_address
from .models import WITH_SUBJECT, Channel, Language, Message, Status, Template

PER_PAGE = 50


class NotificationsView(StaffPage):
    header_icon = "mail"


# --- templates ----------------------------------------------------------------------------------


class TemplateIndexView(NotificationsView):
    template_name = "notifications/admin/templates.html"
    page_title = _("Message templates")

    def allowed(self, user) -> bool:
        return permissions.can_view_templates(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest: dict[tuple[str, str, str], Template] = {}
        active: dict[tuple[str, str, str], Template] = {}
        for template in Template.objects.order_by("code", "channel", "language", "-version"):
            key = (template.code, template.channel, template.language)
            latest.setdefault(key, template)
            if template.active:
                active[key] = template
        groups: dict[str, list[dict]] = {}
        for key, template in latest.items():
            groups.setdefault(key[0], []).append(
                {"template": active.get(key, template), "active": key in active, "versions": template.version}
            )
        context.update(
            groups=[
                {"code": code, "label": kinds.label_of(code), "rows": rows}
                for code, rows in sorted(groups.items())
            ],
            can_add=permissions.can_add_template(self.request.user),
        )
        return context


class TemplateTextForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, code: str = "", channel: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.code, self.channel = code, channel
        if code:
            allowed = ", ".join("{" + name + "}" for name in sorted(kinds.fields_for(code)))
            self.fields["body"].help_text = _(
                "Fields this message can use: %(fields)s. Write {{ or }} for a brace itself."
            ) % {"fields": allowed}
        if channel and channel not in WITH_SUBJECT:
            del self.fields["subject"]

    def clean(self):
        data = super().clean()
        code = data.get("code", self.code)
        channel = data.get("channel", self.channel)
        if code and channel and "body" in data:
            for error in actions.template_errors(
                code=code, channel=channel, subject=data.get("subject", ""), body=data["body"]
            ):
                self.add_error(None, error)
        return data


class TemplateNewForm(TemplateTextForm):
    code = forms.ChoiceField(label=_("Message"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    field_order = ["code", "channel", "language", "subject", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].help_text = _("For in-site messages and e-mails; not used for text messages.")
        self.fields["body"].help_text = _(
            "Write a field as its name in braces, such as {case_number}; the fields each message can use "
            "are listed on its templates' pages."
        )
        codes = sorted(set(kinds.KINDS) | set(Template.objects.values_list("code", flat=True)))
        self.fields["code"].choices = [(code, f"{kinds.label_of(code)} ({code})") for code in codes]

    def clean(self):
        data = super().clean()
        key = (data.get("code"), data.get("channel"), data.get("language"))
        if all(key) and Template.objects.filter(code=key[0], channel=key[1], language=key[2]).exists():
            raise forms.ValidationError(
                _("This template exists already: open it from the list to change it.")
            )
        return data


class TemplateCreateView(NotificationsView, FormView):
    template_name = "notifications/admin/template_new.html"
    page_title = _("New message template")
    form_class = TemplateNewForm
    parent_crumb = ("notifications_templates", _("Message templates"))

    def allowed(self, user) -> bool:
        return permissions.can_add_template(user)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            template = actions.save_template(
                code=data["code"],
                channel=data["channel"],
                language=data["language"],
                subject=data.get("subject", ""),
                body=data["body"],
                actor=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved as version %(version)s.") % {"version": template.version})
        return redirect("notifications_template", pk=template.pk)


class TemplateDetailView(NotificationsView):
    """One version: its text, its fields, a preview with example values, the other versions, and
    the form that saves a changed text as the next version."""

    template_name = "notifications/admin/template.html"
    parent_crumb = ("notifications_templates", _("Message templates"))

    def allowed(self, user) -> bool:
        return permissions.can_view_templates(user)

    def load(self, pk, **kwargs):
        self.template = get_object_or_404(Template, pk=pk)

    def get_page_title(self):
        return f"{kinds.label_of(self.template.code)} · {self.template.get_channel_display()} · v{self.template.version}"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        template = self.template
        if form is None:
            form = TemplateTextForm(
                initial={"subject": template.subject, "body": template.body},
                code=template.code,
                channel=template.channel,
            )
        try:
            example = kinds.example_context(template.code)
            preview = {
                "subject": rendering.render(template.subject, example, language=template.language)
                if template.channel in WITH_SUBJECT
                else "",
                "body": rendering.render(template.body, example, language=template.language),
            }
            preview_error = ""
        except DomainError as error:
            preview, preview_error = None, error.message
        context.update(
            template=template,
            form=form,
            can_change=permissions.can_change_template(self.request.user),
            fields=[(name, kinds.field_label(name)) for name in sorted(template.fields())],
            preview=preview,
            preview_error=preview_error,
            versions=Template.objects.filter(
                code=template.code, channel=template.channel, language=template.language
            ).select_related("created_by"),
            sent=Message.objects.filter(template=template).count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.can_change_template(request.user):
            raise PermissionDenied
        template = self.template
        if "deactivate" in request.POST:
            actions.deactivate_template(template, actor=request.user)
            messages.success(request, _("Taken out of use: this message is no longer sent on this channel."))
            return redirect("notifications_template", pk=template.pk)
        form = TemplateTextForm(request.POST, code=template.code, channel=template.channel)
        if form.is_valid():
            versions = Template.objects.filter(
                code=template.code, channel=template.channel, language=template.language
            )
            last = versions.aggregate(last=Max("version"))["last"] or 0
            try:
                saved = actions.save_template(
                    code=template.code,
                    channel=template.channel,
                    language=template.language,
                    subject=form.cleaned_data.get("subject", ""),
                    body=form.cleaned_data["body"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if saved.version <= last:
                    messages.info(request, _("Nothing changed: this is the text in use."))
                else:
                    messages.success(
                        request,
                        _("Saved as version %(version)s, in use from now on.") % {"version": saved.version},
                    )
                return redirect("notifications_template", pk=saved.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- messages -----------------------------------------------------------------------------------


class MessageIndexView(NotificationsView):
    template_name = "notifications/admin/messages.html"
    page_title = _("Messages sent")

    def allowed(self, user) -> bool:
        return permissions.can_view_messages(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        status = params.get("status", "")
        channel = params.get("channel", "")
        reference = params.get("reference", "").strip()
        code = params.get("code", "").strip()
        found = Message.objects.select_related("recipient_user")
        if status in Status.values:
            found = found.filter(status=status)
        if channel in Channel.values:
            found = found.filter(channel=channel)
        if reference:
            found = found.filter(reference=reference)
        if code:
            found = found.filter(template_code=code)
        page = Paginator(found.order_by("-created_at", "-pk"), PER_PAGE).get_page(params.get("p"))
        rows = [{"message": m, "address": mask_address(m.channel, m.address)} for m in page]
        query = params.copy()
        query.pop("p", None)
        context.update(
            page=page,
            rows=rows,
            statuses=Status.choices,
            channels=Channel.choices,
            status=status,
            channel=channel,
            reference=reference,
            code=code,
            query=query.urlencode(),
        )
        return context


class MessageDetailView(NotificationsView):
    template_name = "notifications/admin/message.html"
    parent_crumb = ("notifications_messages", _("Messages sent"))

    def allowed(self, user) -> bool:
        return permissions.can_view_messages(user)

    def load(self, pk, **kwargs):
        self.message = get_object_or_404(Message.objects.select_related("template", "recipient_user"), pk=pk)

    def get_page_title(self):
        return _("Message %(id)s") % {"id": self.message.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.message
        context.update(
            message=message,
            address=mask_address(message.channel, message.address),
            can_retry=message.status == Status.FAILED
            and message.channel != Channel.INBOX
            and permissions.can_retry_message(self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.can_retry_message(request.user):
            raise PermissionDenied
        try:
            actions.retry_message(self.message, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The message will be sent again."))
        return redirect("notifications_message", pk=self.message.pk)
