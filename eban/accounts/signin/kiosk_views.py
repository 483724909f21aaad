"""The terminal's sign-in pages: ID card or face (consent first, paired terminals only). Thin:
the checks are in eban.accounts.signin.kiosk. The kiosk app (eban.kiosks, /kiosk/) serves these
pages inside its own: it tells them which paired terminal they run on (`request.kiosk_terminal_code`,
set by the app from the pairing cookie; a card reading at an unpaired screen is bound to the
client's address instead, and face sign-in is refused there) and where the citizen was going (`?next=`, a local /kiosk/ path kept in the
session until the sign-in succeeds)."""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eban.core.exceptions import DomainError
from eban.core.ratelimit import client_ip

from ..identity import liveness
from ..identity.idcard import SimulatedReader, sign_reading
from ..models import Citizen
from ..signin import kiosk as kiosk_signin

MAX_CAPTURE_BYTES = 2 * 1024 * 1024  # each frame
FRAMES = 8  # frames the camera page sends: 2 looking straight, 6 following the prompt
NEXT = "eban_kiosk_next"  # where to go after signing in (session)
SIGN_IN_ID = "eban_kiosk_sign_in_id"  # one value per successful sign-in (session)


def local_kiosk_path(value: str | None) -> str:
    """`value` if it is a path of the kiosk app on this site (/kiosk/…), else ""."""
    if not value or not value.startswith("/kiosk/") or "//" in value or "\\" in value:
        return ""
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else ""


def _terminal(request: HttpRequest) -> str:
    """The terminal named in the sign-in audit: its code at a paired terminal, else the address."""
    return getattr(request, "kiosk_terminal_code", "") or client_ip(request)


def _signed_in(request: HttpRequest, citizen: Citizen, method: str) -> None:
    kiosk_signin.kiosk_session(request, citizen, method)
    request.session[SIGN_IN_ID] = secrets.token_hex(8)


def _simulated_reader() -> bool:
    return bool(settings.EBAN_KIOSK_SIMULATED_READER)


def sign_in(request: HttpRequest) -> HttpResponse:
    wanted = local_kiosk_path(request.GET.get("next"))
    if wanted:
        request.session[NEXT] = wanted
    return render(request, "accounts/kiosk/sign_in.html")


@require_http_methods(["GET", "POST"])
def card(request: HttpRequest) -> HttpResponse:
    samples = []
    if _simulated_reader():  # the demo terminal: who each sample card is, and what it is for
        today = timezone.localdate()
        for citizen in Citizen.objects.filter(is_sample=True).order_by("pk")[:6]:
            born = citizen.birth_date
            citizen.age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            samples.append(citizen)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("sample") and _simulated_reader():
                citizen = Citizen.objects.get(pk=int(request.POST["sample"]), is_sample=True)
                reader = SimulatedReader(kiosk_signin.sample_card(citizen))
                nonce = kiosk_signin.issue_card_nonce(_terminal(request))  # as the page gives a reader
                message = sign_reading(reader.read(nonce))
            else:
                message = json.loads(request.POST.get("reading") or "{}")
            citizen = kiosk_signin.sign_in_by_card(message, terminal=_terminal(request))
        except (DomainError, ValueError, Citizen.DoesNotExist) as exc:
            error = getattr(exc, "message", "") or _("The card could not be read. Please try again.")
        else:
            _signed_in(request, citizen, "id_card")
            return redirect("kiosk:welcome")
    context = {
        "samples": samples,
        "error": error,
        "reading_nonce": kiosk_signin.issue_card_nonce(_terminal(request)),  # for the reader agent
    }
    return render(
        request,
        "accounts/kiosk/card.html",
        context,
        status=400 if error else 200,
    )


FACE_ATTEMPT = "eban_face_attempt"  # the session keeps only this token, never the ID number


def _paired_terminal(request: HttpRequest) -> str:
    """The code of the paired terminal this screen is (set by the kiosk app), else ""."""
    return getattr(request, "kiosk_terminal_code", "")


def _attempt(request: HttpRequest):
    return kiosk_signin.face_attempt(request.session.get(FACE_ATTEMPT), terminal=_paired_terminal(request))


@require_http_methods(["GET", "POST"])
def face_start(request: HttpRequest) -> HttpResponse:
    terminal = _paired_terminal(request)
    error = "" if terminal else kiosk_signin.no_terminal_error().message
    if request.method == "POST" and terminal:
        try:
            request.session[FACE_ATTEMPT] = kiosk_signin.start_face_attempt(
                request.POST.get("id_number", ""), terminal=terminal
            )
            return redirect("kiosk:face_consent")
        except DomainError as exc:
            error = exc.message
    status = 403 if not terminal else (400 if error else 200)
    context = {"error": error, "paired": bool(terminal)}
    return render(request, "accounts/kiosk/face_start.html", context, status=status)


@require_http_methods(["GET", "POST"])
def face_consent(request: HttpRequest) -> HttpResponse:
    attempt = _attempt(request)
    if attempt is None:
        return redirect("kiosk:face_start")
    if request.method == "POST":
        if request.POST.get("consent") == "yes":
            kiosk_signin.give_consent(attempt)
            return redirect("kiosk:face_camera")
        request.session.pop(FACE_ATTEMPT, None)
        return redirect("kiosk:card")
    return render(request, "accounts/kiosk/face_consent.html")


def face_camera(request: HttpRequest) -> HttpResponse:
    attempt = _attempt(request)
    if attempt is None or not kiosk_signin.consent_valid(
        attempt.consent_at.timestamp() if attempt.consent_at else None
    ):
        return redirect("kiosk:face_consent")
    challenge = kiosk_signin.issue_challenge(attempt)
    context = {"challenge": challenge, "prompt": liveness.PROMPTS[challenge], "frames": FRAMES}
    return render(request, "accounts/kiosk/face_camera.html", context)


@require_POST
def face_check(request: HttpRequest) -> JsonResponse:
    uploads = request.FILES.getlist("frame")
    try:
        if (
            not uploads
            or len(uploads) > liveness.MAX_FRAMES
            or any(u.size > MAX_CAPTURE_BYTES for u in uploads)
        ):
            raise DomainError(
                _("No usable picture arrived from the camera. Please try again."), code="capture"
            )
        citizen = kiosk_signin.sign_in_by_face(
            request.session.pop(FACE_ATTEMPT, None),  # one check per attempt, pass or fail
            [upload.read() for upload in uploads],
            terminal=_paired_terminal(request),
        )
    except DomainError as exc:
        answer = {"ok": False, "code": exc.code, "message": exc.message, "again": reverse("kiosk:face_start")}
        return JsonResponse(answer, status=exc.status_code)
    finally:
        for upload in uploads:
            upload.close()
    _signed_in(request, citizen, "face")
    return JsonResponse({"ok": True, "next": reverse("kiosk:welcome")})


def welcome(request: HttpRequest) -> HttpResponse:
    citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
    if citizen is None or not request.session.get("eban_kiosk"):
        return redirect("kiosk:sign_in")
    wanted = local_kiosk_path(request.session.pop(NEXT, ""))
    if wanted:  # back to where the citizen was going
        return redirect(wanted)
    return render(request, "accounts/kiosk/welcome.html", {"citizen": citizen})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session: form data and any consent go with it
    return redirect(local_kiosk_path(request.POST.get("next")) or "kiosk:sign_in")
