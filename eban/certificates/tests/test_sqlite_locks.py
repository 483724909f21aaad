"""Rendering and signing a certificate (hundreds of milliseconds) happen outside any transaction:
on SQLite a write transaction holds the whole database, and under load every other writer (sign-in
codes, sessions) waited behind the render and timed out with "database is locked" (issue 11)."""

from __future__ import annotations

import pytest
from django.db import connection

from eban.certificates import render, signing
from eban.certificates.enums import CertificateStatus


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_and_signed_outside_any_transaction(issue, monkeypatch):
    seen = []
    real_render, real_sign = render.render_pdf, signing.sign_pdf

    def watched_render(*args, **kwargs):
        seen.append(("render", connection.in_atomic_block))
        return real_render(*args, **kwargs)

    def watched_sign(*args, **kwargs):
        seen.append(("sign", connection.in_atomic_block))
        return real_sign(*args, **kwargs)

    monkeypatch.setattr(render, "render_pdf", watched_render)
    monkeypatch.setattr(signing, "sign_pdf", watched_sign)
    certificate = issue()
    assert certificate.status == CertificateStatus.VALID
    assert seen == [("render", False), ("sign", False)]


@pytest.mark.django_db(transaction=True)
def test_a_run_that_finds_the_certificate_done_after_rendering_keeps_the_first_pdf(issue, monkeypatch):
    """Two runs may render the same certificate; the one that stores first wins, the other's PDF
    is dropped (the certificate's hash and file stay those of the first)."""
    from eban.certificates import actions
    from eban.certificates.models import Certificate

    first = issue("application:race")
    Certificate.objects.filter(pk=first.pk).update(status=CertificateStatus.ISSUING)
    real_render = render.render_pdf

    def render_then_lose_the_race(certificate, **kwargs):
        pdf = real_render(certificate, **kwargs)
        Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.VALID)
        return pdf

    monkeypatch.setattr(render, "render_pdf", render_then_lose_the_race)
    again = actions.issue_certificate(key="application:race", type_code="senior_card", holder_name="张三")
    assert again.sha256 == first.sha256 and again.pdf.name == first.pdf.name
