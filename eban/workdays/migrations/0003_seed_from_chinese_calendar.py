"""Seed the calendar with every year the chinesecalendar package knows (2004 onwards)."""

import uuid

from django.db import migrations


def seed(apps, schema_editor):
    from eban.workdays import seed as seed_module

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    CalendarVersion = apps.get_model("workdays", "CalendarVersion")
    have = set(CalendarYear.objects.values_list("year", flat=True))
    for year in seed_module.known_years():
        if year in have:
            continue
        rows = seed_module.rows_for(year)
        SpecialDay.objects.filter(date__year=year).delete()
        SpecialDay.objects.bulk_create(SpecialDay(date=r.date, kind=r.kind, name=r.name) for r in rows)
        CalendarYear.objects.create(year=year, source=seed_module.SOURCE)
    CalendarVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_calendar_version")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
