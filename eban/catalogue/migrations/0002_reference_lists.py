from django.db import migrations


def seed(apps, schema_editor):
    from eban.catalogue.reference import LIFE_EVENTS, THEMES

    Theme = apps.get_model("catalogue", "Theme")
    LifeEvent = apps.get_model("catalogue", "LifeEvent")
    for order, (code, name, name_en) in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})
    for order, (code, name, name_en, audience) in enumerate(LIFE_EVENTS):
        LifeEvent.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "audience": audience, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
