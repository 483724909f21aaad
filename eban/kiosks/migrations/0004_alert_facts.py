"""Alert.detail (English text such as "paper_level=4", "never seen") becomes Alert.facts (data,
rendered in the reader's language)."""

import re

from django.db import migrations, models


def detail_to_facts(apps, schema_editor):
    Alert = apps.get_model("kiosks", "Alert")
    for alert in Alert.objects.exclude(detail="").only("pk", "detail").iterator():
        detail = alert.detail.strip()
        facts = {}
        if match := re.fullmatch(r"paper_level=(\d+)", detail):
            facts = {"paper_level": int(match.group(1))}
        elif detail == "never seen":
            facts = {"never_seen": True}
        elif detail.startswith("last heartbeat "):
            facts = {"last_seen_at": detail.removeprefix("last heartbeat ")}
        if facts:
            Alert.objects.filter(pk=alert.pk).update(facts=facts)


def facts_to_detail(apps, schema_editor):
    Alert = apps.get_model("kiosks", "Alert")
    for alert in Alert.objects.exclude(facts={}).only("pk", "facts").iterator():
        facts = alert.facts
        if "paper_level" in facts:
            detail = f"paper_level={facts['paper_level']}"
        elif facts.get("never_seen"):
            detail = "never seen"
        else:
            detail = f"last heartbeat {facts.get('last_seen_at', '')}"
        Alert.objects.filter(pk=alert.pk).update(detail=detail[:200])


class Migration(migrations.Migration):
    dependencies = [("kiosks", "0003_heartbeat_hot_updates")]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="facts",
            field=models.JSONField(blank=True, default=dict, verbose_name="facts"),
        ),
        migrations.RunPython(detail_to_facts, facts_to_detail),
        migrations.RemoveField(model_name="alert", name="detail"),
    ]
