"""One open application per applicant and matter. Duplicates made before this rule (the same
person's second senior card, say) would stop the constraint from being added: all but the first
of each applicant's open cases for one matter are withdrawn, with an event saying which case they
duplicated."""

from django.conf import settings
from django.db import migrations, models


OPEN = ("submitted", "accepted", "under_review", "supplement", "approved")


def withdraw_duplicates(apps, schema_editor):
    from django.utils import timezone

    Application = apps.get_model("applications", "Application")
    Event = apps.get_model("applications", "Event")
    now = timezone.now()
    for applicant in ("citizen", "enterprise"):
        first: dict[tuple, str] = {}
        for case in (
            Application.objects.filter(status__in=OPEN, **{f"{applicant}__isnull": False})
            .order_by("submitted_at", "pk")
            .only("pk", "number", "matter_id", f"{applicant}_id", "version")
        ):
            key = (getattr(case, f"{applicant}_id"), case.matter_id)
            if key not in first:
                first[key] = case.number
                continue
            case.status, case.completed_at, case.version = "withdrawn", now, case.version + 1
            case.save(update_fields=["status", "completed_at", "version"])
            Event.objects.create(
                application=case,
                kind="withdrawn",
                status="withdrawn",
                note=f"duplicate of {first[key]}",
                data={"duplicate_of": first[key]},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_staff_roles"),
        ("applications", "0001_initial"),
        ("catalogue", "0005_guide_hash"),
        ("government", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(withdraw_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("citizen__isnull", False),
                    ("status__in", ("submitted", "accepted", "under_review", "supplement", "approved")),
                ),
                fields=("citizen", "matter"),
                name="applications_one_open_per_citizen",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("enterprise__isnull", False),
                    ("status__in", ("submitted", "accepted", "under_review", "supplement", "approved")),
                ),
                fields=("enterprise", "matter"),
                name="applications_one_open_per_enterprise",
            ),
        ),
    ]
