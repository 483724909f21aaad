"""`eban demo-ca`: the demo CA and a signing key per sample department (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eban.certificates import pki, signing
from eban.government.models import Department


class Command(BaseCommand):
    help = (
        "Make the demo PKI under EBAN_PKI_DIR (DATA_DIR/pki/): a root CA ('eban demo CA — not "
        "trusted, sample') and a PKCS#12 signing key per sample department. Idempotent: keeps what "
        "exists and is still good. Demo only: the keys' password is public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Another directory than EBAN_PKI_DIR.")
        parser.add_argument(
            "--department", action="append", default=[], help="Only this department code (repeatable)."
        )
        parser.add_argument(
            "--all-departments", action="store_true", help="Every department, not only the sample ones."
        )

    def handle(self, *args, dir=None, department=(), all_departments=False, **options):
        directory = Path(dir) if dir else signing.pki_dir()
        departments = Department.objects.order_by("code")
        if department:
            departments = departments.filter(code__in=department)
            missing = set(department) - set(departments.values_list("code", flat=True))
            if missing:
                raise CommandError(f"No department with code {', '.join(sorted(missing))}")
        elif not all_departments:
            departments = departments.filter(is_sample=True)
        result = pki.ensure_demo_pki(directory, departments.values_list("code", "name"))
        self.stdout.write(
            f"演示 CA demo CA: {'created' if result.ca_created else 'kept'} {directory / 'ca.pem'} "
            "(样例，不受信任 sample, not trusted)"
        )
        self.stdout.write(
            f"部门签名密钥 department signing keys: {len(result.created)} created, {len(result.kept)} kept "
            f"in {directory / 'departments'}"
        )
        if not result.created and not result.kept:
            self.stdout.write("  (no departments: load the sample data first, `eban loadsample`)")
