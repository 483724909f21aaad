"""Web sign-in by phone and SMS code, and the signed-in citizen's account pages.

Sign-in: /account/sign-in/ (phone) → /account/sign-in/code/ (the code, resend after a
countdown) → signed in; a phone without an account first gives a name and ID number
(/account/sign-in/real-name/). The phone being signed in is kept in the session encrypted.

Account: /account/ (profile, masked), /account/proxies/ (authorisations given and held),
/account/enterprises/ (firms represented or acted for, their agents). Every id in a URL is
looked up through eban.accounts.queries for the signed-in person, so another person's record
answers 404.
"""

from __future__ import annotations

import logging
import math
import time
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eban.catalogue.models import Matter
from eban.catalogue.queries import find_matters
from eban.core import crypto
from eban.core.exceptions import DomainError
from eban.core.masking import mask_phone
from eban.core.ratelimit import RateLimited, client_ip
from eban.notifications.sms import sends_for_real

from . import actions, queries
from .forms import AgentForm, CodeForm, GrantForm, PhoneForm, ProxyForm, RealNameForm, RevokeForm
from .grants import rules as grant_rules
from .grants.acting import person_of
from .models import Citizen, EnterpriseAgent
from .signin import codes
from .signin import web as signin

logger = logging.getLogger("eban.accounts.signin.web")

SESSION_PHONE = "eban_signin_phone"  # encrypted
SESSION_SENT_AT = "eban_signin_sent_at"
SESSION_VERIFIED_AT = "eban_signin_verified_at"
SESSION_NEXT = "eban_signin_next"
SESSION_KEYS = (SESSION_PHONE, SESSION_SENT_AT, SESSION_VERIFIED_AT, SESSION_NEXT)
PHONE_PURPOSE = "accounts.signin.phone"
VERIFIED_FOR_SECONDS = 15 * 60  # after the code, the real-name form must come within this time
MATTER_RESULTS = 20
MAX_PHOTO_BYTES = 4 * 1024 * 1024  # the live photo of the first sign-in
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- helpers ----------------------------------------------------------------------------------


def _signed_in_citizen(request: HttpRequest) -> Citizen | None:
    try:
        return person_of(request.user)
    except DomainError:
        return None


def citizen_required(view):
    """The view needs a signed-in citizen (`request.citizen`); others go to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        citizen = _signed_in_citizen(request)
        if citizen is None:
            return redirect_to_login(request.get_full_path(), reverse("accounts:sign_in"))
        request.citizen = citizen
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


def _session_phone(request: HttpRequest) -> str:
    token = request.session.get(SESSION_PHONE)
    if not token:
        return ""
    try:
        return crypto.decrypt(token, PHONE_PURPOSE)
    except crypto.CryptoError:
        return ""


def _seconds_to_resend(request: HttpRequest) -> int:
    sent_at = request.session.get(SESSION_SENT_AT) or 0
    return max(0, math.ceil(sent_at + codes.resend_interval() - time.time())) if sent_at else 0


def _with_status(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _send_code(request: HttpRequest, phone: str) -> None:
    codes.request_code(phone, ip=client_ip(request))
    request.session[SESSION_PHONE] = crypto.encrypt(phone, PHONE_PURPOSE)
    request.session[SESSION_SENT_AT] = time.time()
    request.session.pop(SESSION_VERIFIED_AT, None)


def _complete_sign_in(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    next_url = _safe_next(request, request.session.get(SESSION_NEXT))
    for key in SESSION_KEYS:
        request.session.pop(key, None)
    user = citizen.user or actions.account_for(citizen)
    login(request, user, backend=AUTH_BACKEND)  # a new session key: no fixation
    request.session["eban_sign_in_method"] = "sms"
    logger.info("Citizen %s signed in by SMS code", citizen.pk)
    messages.success(request, _("You are signed in."))
    return redirect(next_url or "accounts:profile")


# --- sign-in and sign-out ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
    if _signed_in_citizen(request) is not None:
        return redirect(next_url or "accounts:profile")
    form = PhoneForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            if next_url:
                request.session[SESSION_NEXT] = next_url
            if _session_phone(request) == phone and _seconds_to_resend(request) > 0:
                return redirect("accounts:sign_in_code")  # a code is on its way already
            try:
                _send_code(request, phone)
            except DomainError as exc:
                error, status = exc, exc.status_code
                form.add_error(None, exc.message)
            else:
                return redirect("accounts:sign_in_code")
        else:
            status = 400
    context = {"form": form, "next": next_url}
    return _with_status(render(request, "accounts/sign_in.html", context, status=status), error)


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    phone = _session_phone(request)
    if not phone:
        return redirect("accounts:sign_in")
    form = CodeForm(request.POST if request.method == "POST" and "resend" not in request.POST else None)
    status, error, resend_error = 200, None, ""
    if request.method == "POST" and "resend" in request.POST:
        try:
            _send_code(request, phone)
        except DomainError as exc:
            error, status, resend_error = exc, exc.status_code, exc.message
        else:
            messages.success(request, _("A new code was sent."))
            return redirect("accounts:sign_in_code")
    elif request.method == "POST":
        if form.is_valid():
            try:
                codes.verify_code(phone, form.cleaned_data["code"])
            except DomainError as exc:
                error, status = exc, exc.status_code
                form.add_error("code", exc.message)
            else:
                citizen = signin.citizen_with_account(phone)
                if citizen is not None:
                    return _complete_sign_in(request, citizen)
                request.session[SESSION_VERIFIED_AT] = time.time()
                return redirect("accounts:sign_in_real_name")
        else:
            status = 400
    context = {
        "form": form,
        "resend_error": resend_error,
        "masked_phone": mask_phone(phone),
        "seconds_to_resend": _seconds_to_resend(request),
        "minutes_valid": max(1, codes.ttl_seconds() // 60),
        "demo_provider": not sends_for_real(),
        "sms_provider": settings.EBAN_SMS_PROVIDER,
    }
    return _with_status(render(request, "accounts/sign_in_code.html", context, status=status), error)


@require_http_methods(["GET", "POST"])
def sign_in_real_name(request: HttpRequest) -> HttpResponse:
    phone = _session_phone(request)
    verified_at = request.session.get(SESSION_VERIFIED_AT) or 0
    if not phone or time.time() - verified_at > VERIFIED_FOR_SECONDS:
        request.session.pop(SESSION_VERIFIED_AT, None)
        messages.info(request, _("Please confirm your mobile number with a code first."))
        return redirect("accounts:sign_in")
    form = RealNameForm(request.POST or None, request.FILES or None)
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            photo = form.cleaned_data.get("photo")
            try:
                if photo is not None and photo.size > MAX_PHOTO_BYTES:
                    raise DomainError(_("The photo is too large: at most 4 MB."), code="photo")
                citizen = signin.bind_real_name(
                    phone,
                    name=form.cleaned_data["name"],
                    id_number=form.cleaned_data["id_number"],
                    live_image=photo.read() if photo is not None else b"",
                )
            except DomainError as exc:
                error, status = exc, exc.status_code
                form.add_error(None, exc.message)
            else:
                return _complete_sign_in(request, citizen)
        else:
            status = 400
    context = {
        "form": form,
        "masked_phone": mask_phone(phone),
        "available": signin.web_binding_available(),
        "needs_photo": signin.web_binding_available() and signin.needs_live_image(),
    }
    return _with_status(render(request, "accounts/sign_in_real_name.html", context, status=status), error)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("catalogue:home")


# --- profile ----------------------------------------------------------------------------------


@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    citizen = Citizen.objects.select_related("household_division").get(pk=request.citizen.pk)
    return render(request, "accounts/profile.html", {"citizen": citizen, "section": "profile"})


# --- matters chosen for an authorisation -------------------------------------------------------


def _search_matters(q: str) -> list[Matter]:
    q = " ".join((q or "").split())[:100]
    if not q:
        return []
    found = list(find_matters(q).matters[:MATTER_RESULTS])
    if not found:  # the search index may lag behind: fall back to the names
        found = list(Matter.objects.filter(live=True, name__icontains=q).order_by("code")[:MATTER_RESULTS])
    return found


def _matter_choices(request: HttpRequest) -> dict[str, Any]:
    """The matters ticked so far and those found by the search box, for the chooser."""
    chosen_ids = []
    for value in request.POST.getlist("matters"):
        if value.isdigit() and len(chosen_ids) < grant_rules.MAX_MATTERS:
            chosen_ids.append(int(value))
    by_id = Matter.objects.filter(live=True).in_bulk(chosen_ids)
    chosen = [by_id[i] for i in dict.fromkeys(chosen_ids) if i in by_id]
    q = request.POST.get("matter_q", "") if request.method == "POST" else ""
    found = [m for m in _search_matters(q) if m.pk not in by_id] if q.strip() else []
    return {"chosen_matters": chosen, "found_matters": found, "matter_q": q, "searched": bool(q.strip())}


def _grant_form(request: HttpRequest, form_class, save) -> tuple[Any, int, bool]:
    """The proxy and agent forms' shared handling: (form, status, saved). "find_matters" only
    redisplays the form with the matter search; a valid form is saved by `save(cleaned_data)`,
    whose DomainError is shown on the form."""
    if request.method != "POST":
        return form_class(initial=form_class.initial_dates()), 200, False
    if "find_matters" in request.POST:
        return _unvalidated(form_class, request), 200, False
    form = form_class(request.POST)
    if not form.is_valid():
        return form, 400, False
    try:
        save(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return form, exc.status_code, False
    return form, 200, True


def _unvalidated(form_class: type[GrantForm], request: HttpRequest) -> GrantForm:
    """The form as typed, without errors (after the matter search button)."""
    initial = {name: request.POST.get(name, "") for name in form_class.base_fields if name != "matters"}
    initial["all_matters"] = bool(request.POST.get("all_matters"))
    return form_class(initial=initial)


# --- proxies ----------------------------------------------------------------------------------


@citizen_required
def proxies(request: HttpRequest) -> HttpResponse:
    person = request.citizen
    context = {
        "given": list(queries.proxies_given(person)),
        "held": list(queries.proxies_held(person)),
        "today": timezone.localdate(),
        "section": "proxies",
    }
    return render(request, "accounts/proxies.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def proxy_new(request: HttpRequest) -> HttpResponse:
    person = request.citizen

    def save(data: dict) -> None:
        actions.authorise_proxy(
            person,
            proxy_name=data["proxy_name"],
            proxy_id_number=data["proxy_id_number"],
            relationship=data["relationship"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            matters=[] if data["all_matters"] else data["matters"],
            all_matters=data["all_matters"],
            actor=request.user,
        )

    form, status, saved = _grant_form(request, ProxyForm, save)
    if saved:
        messages.success(request, _("The authorisation was recorded."))
        return redirect("accounts:proxies")
    context = {"form": form, "section": "proxies", **_matter_choices(request)}
    return render(request, "accounts/proxy_new.html", context, status=status)


@citizen_required
def proxy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = queries.proxy_grant(request.citizen, pk)
    return _proxy_detail_page(request, grant, RevokeForm())


def _proxy_detail_page(request: HttpRequest, grant, form: RevokeForm, status: int = 200) -> HttpResponse:
    context = {
        "grant": grant,
        "given": grant.principal_id == request.citizen.pk,
        "stepping_down": grant.principal_id != request.citizen.pk,
        "form": form,
        "today": timezone.localdate(),
        "section": "proxies",
    }
    return render(request, "accounts/proxy_detail.html", context, status=status)


@citizen_required
@require_POST
def proxy_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = queries.proxy_grant(request.citizen, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _proxy_detail_page(request, grant, form, status=400)
    try:
        actions.revoke(grant, by=request.citizen, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _proxy_detail_page(request, grant, form, status=exc.status_code)
    messages.success(request, _("The authorisation was revoked."))
    return redirect("accounts:proxies")


# --- enterprises ------------------------------------------------------------------------------


def _my_agencies(person: Citizen, enterprise=None):
    qs = (
        EnterpriseAgent.objects.in_force()
        .filter(agent=person)
        .prefetch_related("matters")
        .order_by("-created_at")
    )
    return qs.filter(enterprise=enterprise) if enterprise is not None else qs


@citizen_required
def enterprises(request: HttpRequest) -> HttpResponse:
    person = request.citizen
    agencies: dict[int, list[EnterpriseAgent]] = {}
    for grant in _my_agencies(person):
        agencies.setdefault(grant.enterprise_id, []).append(grant)
    rows = [
        {
            "enterprise": enterprise,
            "represents": enterprise.legal_representative_id == person.pk,
            "agencies": agencies.get(enterprise.pk, []),
        }
        for enterprise in queries.enterprises_for(person)
    ]
    return render(request, "accounts/enterprises.html", {"rows": rows, "section": "enterprises"})


@citizen_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = request.citizen
    enterprise = queries.enterprise_for(person, pk)
    represents = enterprise.legal_representative_id == person.pk
    context = {
        "enterprise": enterprise,
        "represents": represents,
        "agents": list(queries.agents_of(person, enterprise)) if represents else [],
        "my_agencies": list(_my_agencies(person, enterprise)),
        "today": timezone.localdate(),
        "section": "enterprises",
    }
    return render(request, "accounts/enterprise_detail.html", context)


def _represented(person: Citizen, pk: int):
    """An enterprise the person is the legal representative of; 404 for any other."""
    enterprise = queries.enterprise_for(person, pk)
    if enterprise.legal_representative_id != person.pk:
        raise Http404
    return enterprise


@citizen_required
@require_http_methods(["GET", "POST"])
def agent_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = request.citizen
    enterprise = _represented(person, pk)

    def save(data: dict) -> None:
        actions.authorise_agent(
            enterprise,
            by=person,
            agent_name=data["agent_name"],
            agent_id_number=data["agent_id_number"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            matters=[] if data["all_matters"] else data["matters"],
            all_matters=data["all_matters"],
            actor=request.user,
        )

    form, status, saved = _grant_form(request, AgentForm, save)
    if saved:
        messages.success(request, _("The agent was authorised."))
        return redirect("accounts:enterprise", pk=enterprise.pk)
    context = {"form": form, "enterprise": enterprise, "section": "enterprises", **_matter_choices(request)}
    return render(request, "accounts/agent_new.html", context, status=status)


def _agent_grant(person: Citizen, pk: int, grant_pk: int) -> EnterpriseAgent:
    enterprise = queries.enterprise_for(person, pk)
    grant = queries.agent_grant(person, grant_pk)
    if grant.enterprise_id != enterprise.pk:
        raise Http404
    return grant


def _agent_detail_page(request: HttpRequest, grant: EnterpriseAgent, form: RevokeForm, status: int = 200):
    context = {
        "grant": grant,
        "enterprise": grant.enterprise,
        "stepping_down": grant.agent_id == request.citizen.pk,
        "form": form,
        "today": timezone.localdate(),
        "section": "enterprises",
    }
    return render(request, "accounts/agent_detail.html", context, status=status)


@citizen_required
def agent_detail(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    return _agent_detail_page(request, _agent_grant(request.citizen, pk, grant_pk), RevokeForm())


@citizen_required
@require_POST
def agent_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    grant = _agent_grant(request.citizen, pk, grant_pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _agent_detail_page(request, grant, form, status=400)
    try:
        actions.revoke(grant, by=request.citizen, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _agent_detail_page(request, grant, form, status=exc.status_code)
    messages.success(request, _("The authorisation was revoked."))
    if (
        grant.agent_id == request.citizen.pk
        and grant.enterprise.legal_representative_id != request.citizen.pk
    ):
        return redirect("accounts:enterprises")
    return redirect("accounts:enterprise", pk=grant.enterprise_id)
