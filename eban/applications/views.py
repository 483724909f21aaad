"""The applicant's pages: check if you can apply, apply for a matter, my applications, one
application with its timeline, the certificate download (and its state while it is made).
Thin: the checks and writes are in eligibility.py, apply.py and actions.py; what the case page
says comes from progress.py; every lookup by number goes through queries.for_applicant, so
another person's case is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from eban.accounts.queries import enterprises_for, proxies_held
from eban.accounts.views import citizen_required
from eban.catalogue.models import Matter
from eban.core.exceptions import DomainError

from . import apply, eligibility, error_summary, formschema, materials, progress, queries
from .deadlines import SUPPLEMENT_DAYS
from .enums import Channel
from .models import MatterSetup

PAGE_SIZE = 20


def explained_conditions(decision) -> list:
    """The rule conditions of a decision, readable in the current language (none if by a person)."""
    if decision is None or not isinstance(decision.explanation, dict) or not decision.explanation:
        return []
    from eban.rules.evaluate import Evaluation

    return Evaluation.from_json(decision.explanation).conditions


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.for_applicant(request.citizen), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/mine.html", {"page": page, "section": "applications"})


def _setup(code: str) -> MatterSetup:
    setup = MatterSetup.objects.select_related("matter").filter(matter__code=code, matter__live=True).first()
    if setup is None or not setup.accepting:
        raise Http404
    return setup


@never_cache  # a person's own answer, loaded into a page cached for everyone
@citizen_required
def check(request: HttpRequest, code: str) -> HttpResponse:
    """Check if you can apply: why not, and from when (nothing is created). `?part=panel` gives
    the panel alone, which the guide page (cached for every visitor) loads for a citizen."""
    setup = _setup(code)
    context = {"matter": setup.matter, "check": eligibility.check(setup, request.citizen)}
    if request.GET.get("part") == "panel":
        return render(request, "applications/_check_panel.html", {**context, "on_guide": True})
    return render(request, "applications/check.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, code: str) -> HttpResponse:
    setup = _setup(code)
    matter: Matter = setup.matter
    schema = setup.form_schema or {}
    person = request.citizen
    checked = eligibility.check(setup, person) if request.method == "GET" else None
    if checked is not None and not checked.passed and request.GET.get("anyway") != "1":
        return render(request, "applications/check.html", {"matter": matter, "check": checked})
    context = {
        "matter": matter,
        "setup": setup,
        "materials": materials.guide_materials(matter),
        "principals": [g for g in proxies_held(person) if g.in_force() and g.covers(matter.pk)],
        "enterprises": list(enterprises_for(person)),
        "error": "",
        "check": checked,
    }
    answers, errors, error_code = {}, {}, ""
    if request.method == "POST":
        posted = apply.post(
            request,
            setup,
            channel=Channel.ONLINE,
            case_url="applications:detail",
            on_behalf=request.POST.get("on_behalf", ""),
        )
        if posted.application is not None:
            return redirect("applications:detail", number=posted.application.number)
        answers, errors, error_code = posted.answers, posted.errors, posted.code
        context["error"], context["repeat"] = posted.error, posted.repeat
    context["fields"] = formschema.fields(schema, answers, errors)
    context["summary"] = error_summary.for_application_form(
        context["error"], error_code, context["fields"], context["materials"], request.FILES
    )
    status = 400 if context["error"] else 200
    return render(request, "applications/new.html", context, status=status)


@citizen_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    application = get_object_or_404(queries.for_applicant(request.citizen), number=number)
    decision = getattr(application, "decision", None)
    supplement = application.supplements.filter(answered_at__isnull=True).order_by("-requested_at").first()
    context = {
        "application": application,
        "conditions": explained_conditions(decision),
        "events": queries.timeline(application),
        "decision": decision,
        "certificate": queries.certificate_of(application),
        "certificate_state": progress.certificate_state(application),
        "next_step": progress.next_step(application, supplement),
        "supplement": supplement,
        "supplement_due": progress.supplement_due(supplement) if supplement else None,
        "supplement_days": SUPPLEMENT_DAYS,
        "rating": getattr(application, "rating", None),
        "section": "applications",
    }
    return render(request, "applications/detail.html", context)


@never_cache
@citizen_required
def certificate_status(request: HttpRequest, number: str) -> JsonResponse:
    """What the case page polls while the certificate is being made: {"state": none|waiting|ready}."""
    application = get_object_or_404(queries.for_applicant(request.citizen), number=number)
    return JsonResponse({"state": progress.certificate_state(application)})


@citizen_required
def certificate_pdf(request: HttpRequest, number: str) -> FileResponse:
    application = get_object_or_404(queries.for_applicant(request.citizen), number=number)
    certificate = queries.certificate_of(application)
    if certificate is None or not certificate.pdf:
        raise Http404
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=f"{certificate.number}.pdf",
                        content_type="application/pdf")  # fmt: skip


@citizen_required
@require_POST
def resubmit(request: HttpRequest, number: str) -> HttpResponse:
    application = get_object_or_404(queries.for_applicant(request.citizen), number=number)
    try:
        apply.resubmit(request.user, application, note=request.POST.get("note", ""), files=request.FILES)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("applications:detail", number=number)


@citizen_required
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    application = get_object_or_404(queries.for_applicant(request.citizen), number=number)
    try:
        apply.rate(
            request.user,
            application,
            score=request.POST.get("score", ""),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("applications:detail", number=number)
