"""The kiosk app's pages (/kiosk/): pairing a screen with its terminal, the home with the four
categories and the most used matters, a category, a matter's short guide, applying (the form,
scanned materials), the result (instant approval: wait for the certificate, print it; refusal:
the reasons; review: a receipt with the case number), and the sign-in pages of eban.accounts
served inside the app.

Every page knows its terminal through pairing.current_terminal (None: an unpaired demo screen,
which counts nothing). Only a citizen signed in at the kiosk (kiosk_signin.kiosk_session) may
apply or open a case, and a case is looked up among the citizen's own (queries.for_applicant):
another person's number is a 404.
"""

from __future__ import annotations

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from eban.accounts.models import Citizen
from eban.accounts.signin import kiosk_views
from eban.applications import apply as applying
from eban.applications import deadlines, formschema, materials, queries
from eban.applications.actions import needs_certificate
from eban.applications.enums import Channel, Outcome
from eban.applications.models import Application
from eban.applications.views import explained_conditions
from eban.catalogue.enums import Category
from eban.workdays import calendar as workdays

from .. import pairing
from ..actions import usage
from ..enums import TransactionKind
from . import queries as app_queries

CATEGORY_PAGE_SIZE = 6
COUNTED = "eban_kiosk_counted_sign_in"  # the sign-in already counted as a SIGN_IN transaction


def kiosk_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen signed in at this kiosk (a kiosk session), or None."""
    if not request.user.is_authenticated or not request.session.get("eban_kiosk"):
        return None
    return getattr(request.user, "citizen", None)


def _sign_in_first(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('kiosk:sign_in')}?{urlencode({'next': request.get_full_path()})}")


# --- pairing ------------------------------------------------------------------------------------


@require_GET
def pair(request: HttpRequest, value: str) -> HttpResponse:
    terminal = pairing.terminal_of_link(value)
    if terminal is None:
        return render(request, "kiosks/app/pair_failed.html", status=400)
    response = redirect("kiosk:home")
    pairing.pair(response, terminal, secure=request.is_secure())
    return response


# --- browsing -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    terminal = pairing.current_terminal(request)
    context = {
        "categories": app_queries.categories(terminal),
        "most_used": app_queries.most_used(terminal),
    }
    return render(request, "kiosks/app/home.html", context)


def category(request: HttpRequest, value: str) -> HttpResponse:
    if value not in Category.values:
        raise Http404
    matters = app_queries.kiosk_matters(pairing.current_terminal(request)).filter(category=value)
    page = Paginator(matters, CATEGORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "kiosks/app/category.html", {"category": Category(value), "page": page, "value": value}
    )


def matter(request: HttpRequest, code: str) -> HttpResponse:
    terminal = pairing.current_terminal(request)
    found = get_object_or_404(app_queries.kiosk_matters(terminal).select_related("department"), code=code)
    usage.record_transaction(terminal, TransactionKind.GUIDE, matter=found)
    context = {
        "matter": found,
        "category": Category(found.category),
        "conditions": [block.value for block in found.conditions],
        "materials": materials.guide_materials(found),
        "setup": app_queries.setup_of(found),
    }
    return render(request, "kiosks/app/matter.html", context)


# --- applying -----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    terminal = pairing.current_terminal(request)
    found = get_object_or_404(app_queries.kiosk_matters(terminal), code=code)
    setup = app_queries.setup_of(found)
    if setup is None:
        raise Http404
    if kiosk_citizen(request) is None:
        return _sign_in_first(request)
    wanted = materials.guide_materials(found)
    posted = applying.Posted({})
    if request.method == "POST":
        posted = applying.post(
            request,
            setup,
            channel=Channel.KIOSK,
            case_url="kiosk:case",
            division=terminal.division if terminal is not None else None,
        )
        if posted.application is not None:
            usage.record_transaction(
                terminal,
                TransactionKind.APPLICATION,
                matter=found,
                application_number=posted.application.number,
            )
            return redirect("kiosk:case", number=posted.application.number)
    error = posted.error
    context = {
        "matter": found,
        "setup": setup,
        "fields": formschema.fields(setup.form_schema or {}, posted.answers, posted.errors),
        "materials": wanted,
        "to_scan": [m for m in wanted if not m["shared"]],
        "error": error,
        "repeat": posted.repeat,
    }
    return render(request, "kiosks/app/apply.html", context, status=400 if error else 200)


# --- the result ---------------------------------------------------------------------------------


def case_state(application: Application) -> str:
    """refused | ready (certificate to print) | waiting (for the certificate) | approved | review"""
    decision = getattr(application, "decision", None)
    if decision is not None and decision.outcome != Outcome.APPROVED:
        return "refused"
    if decision is None:
        return "review"
    certificate = queries.certificate_of(application)
    if certificate is not None and certificate.pdf:
        return "ready"
    return "waiting" if needs_certificate(application) else "approved"


def _acceptance_due(application: Application) -> datetime.date | None:
    try:
        return deadlines.acceptance_due(timezone.localdate(application.submitted_at))
    except workdays.CalendarYearMissing:
        return None


def _own_case(request: HttpRequest, number: str) -> Application:
    citizen = kiosk_citizen(request)
    if citizen is None:
        raise Http404
    return get_object_or_404(queries.for_applicant(citizen).select_related("decision"), number=number)


@never_cache
def case(request: HttpRequest, number: str) -> HttpResponse:
    if kiosk_citizen(request) is None:
        return _sign_in_first(request)
    application = _own_case(request, number)
    decision = getattr(application, "decision", None)
    context = {
        "application": application,
        "state": case_state(application),
        "decision": decision,
        "conditions": explained_conditions(decision),
        "acceptance_due": _acceptance_due(application),
        "matter": application.matter,
    }
    return render(request, "kiosks/app/case.html", context)


@never_cache
def case_status(request: HttpRequest, number: str) -> JsonResponse:
    """What the result page polls while the worker issues the certificate."""
    if kiosk_citizen(request) is None:
        return JsonResponse({"state": "signed_out"}, status=403)
    application = _own_case(request, number)
    return JsonResponse({"state": case_state(application), "status": application.status})


@never_cache
@xframe_options_sameorigin  # the page prints it from a hidden frame
def certificate(request: HttpRequest, number: str) -> FileResponse:
    application = _own_case(request, number)
    issued = queries.certificate_of(application)
    if issued is None or not issued.pdf:
        raise Http404
    if request.GET.get("print") == "1":
        usage.record_transaction(
            pairing.current_terminal(request),
            TransactionKind.PRINT,
            matter=application.matter,
            application_number=application.number,
        )
    return FileResponse(
        issued.pdf.open("rb"), filename=f"{issued.number}.pdf", content_type="application/pdf"
    )


# --- the sign-in pages of eban.accounts, inside the app --------------------------------------------


def at_terminal(view):
    """Tell the sign-in pages which terminal they run on (its code in the sign-in audit)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        terminal = pairing.current_terminal(request)
        if terminal is not None:
            request.kiosk_terminal_code = terminal.code
        return view(request, *args, **kwargs)

    return wrapper


def welcome(request: HttpRequest) -> HttpResponse:
    """Every sign-in passes here: count it once (SIGN_IN), then go where the citizen was going."""
    sign_in_id = request.session.get(kiosk_views.SIGN_IN_ID)
    if kiosk_citizen(request) is not None and sign_in_id and request.session.get(COUNTED) != sign_in_id:
        usage.record_transaction(pairing.current_terminal(request), TransactionKind.SIGN_IN)
        request.session[COUNTED] = sign_in_id
    return kiosk_views.welcome(request)
