"""The sample application set-ups (eban/demo/sample/setups.json): rule sets, certificate types,
notification templates, and how each sample matter is applied for. Idempotent; everything goes
through the owning app's actions."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction

from eban.applications.setups import save_setup
from eban.catalogue.models import Matter

SAMPLE_FILE = Path(__file__).resolve().parent / "sample" / "setups.json"


def load_setups(path: Path = SAMPLE_FILE) -> int:
    """Load the sample set-ups; returns how many matters are set up for applications."""
    from eban.certificates.actions import ensure_sample_types
    from eban.notifications.samples import ensure_sample_templates
    from eban.rules import actions as rules
    from eban.rules.models import RuleSet
    from eban.rules.samples import ensure_sample_rules

    doc = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        ensure_sample_rules()
        ensure_sample_types()
        ensure_sample_templates()
        for row in doc["rules"]:
            if not RuleSet.objects.filter(code=row["code"]).exists():
                draft = rules.save_draft(
                    code=row["code"],
                    title=row["title"],
                    document=row["document"],
                    valid_from=datetime.date(2020, 1, 1),
                    actor=None,
                )
                rules.activate(draft, actor=None)
        matters = {
            m.code: m for m in Matter.objects.filter(code__in=[s["matter"] for s in doc["setups"]], live=True)
        }
        count = 0
        for row in doc["setups"]:
            matter = matters.get(row["matter"])
            if matter is None:
                continue
            save_setup(
                matter,
                form_schema=row.get("form") or {},
                instant=row.get("instant", False),
                rule_code=row.get("rule", ""),
                certificate_type=row.get("certificate", ""),
                actor=None,
            )
            count += 1
    return count
