"""The public verification page, `/verify/<number>` (what the QR code on a certificate opens).

Shows the type, the number, the holder's name masked, the issuer, the dates and the status
(valid, revoked with its reason, expired, not yet valid); a number that does not exist answers
404 with an "unknown" page that says no more. Anyone may upload a PDF there to check its
signature and whether it is the very file issued under that number. Rate-limited per address.
"""

from __future__ import annotations

from django import forms
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eban.core.ratelimit import RateLimited

from . import queries
from .enums import PublicStatus
from .models import Certificate
from .numbering import normalize
from .verification import verify_pdf

MAX_UPLOAD = 10 * 1024 * 1024


class NumberForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Certificate number"), max_length=40, strip=True)


class UploadForm(forms.Form):
    pdf = forms.FileField(label=gettext_lazy("The certificate's PDF file"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large (at most 10 MB)."))
        return upload


def _date_format() -> str:
    return "j F Y" if (get_language() or "").startswith("en") else "Y年n月j日"


def _too_many(request, error: RateLimited):
    response = render(request, "certificates/verify_limited.html", {"error": error}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@require_http_methods(["GET"])
def verify_form(request):
    """`/verify/`: type a number (for those who read it off paper rather than scan it)."""
    form = NumberForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return HttpResponseRedirect(
            reverse("certificates:verify", args=[normalize(form.cleaned_data["number"])])
        )
    return render(request, "certificates/verify_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request, number: str):
    try:
        queries.count_lookup(request)
    except RateLimited as error:
        return _too_many(request, error)
    info = queries.public_certificate(number)
    context = {
        "info": info,
        "date_format": _date_format(),
        "statuses": PublicStatus,
        "number_form": NumberForm(),
    }
    if not info.known:
        return render(request, "certificates/verify_unknown.html", context, status=404)
    upload_form = UploadForm()
    if request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            data = upload_form.cleaned_data["pdf"].read()
            report = verify_pdf(data)
            context["report"] = report
            context["same_file"] = bool(info.sha256) and report.sha256 == info.sha256
    context["upload_form"] = upload_form
    status = 400 if upload_form.errors else 200
    return render(request, "certificates/verify.html", context, status=status)


def download_response(certificate: Certificate, *, inline: bool = False) -> FileResponse:
    """The signed PDF as a response, for pages that have already checked the reader may have it
    (the applicant's own certificate). The verification page never serves the file: it holds the
    holder's full ID number."""
    handle = certificate.pdf.open("rb")
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, f"{certificate.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
