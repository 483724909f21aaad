"""Version 1 of the templates eban ships (eban/notifications/samples.py), where none exists."""

from django.db import migrations


def create_templates(apps, schema_editor):
    from eban.notifications.samples import ensure_sample_templates

    ensure_sample_templates(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
