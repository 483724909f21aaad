"""`eban revoke-certificate NUMBER --reason TEXT`: an operator revokes a certificate (audited)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from eban.certificates import actions
from eban.certificates.models import Certificate
from eban.certificates.numbering import normalize
from eban.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Revoke a certificate with a reason (shown on its verification page)."

    def add_arguments(self, parser):
        parser.add_argument("number")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, number, reason, **options):
        certificate = Certificate.objects.filter(number=normalize(number)).first()
        if certificate is None:
            raise CommandError(f"No certificate {number}")
        try:
            actions.revoke_certificate(certificate, reason=reason, actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{certificate.number}: revoked")
