"""The sample citizens, enterprises, agents and proxies of the demo (eban/demo/sample/identities.json).

Loaded through eban.accounts.actions like any other write; idempotent (a second load changes
nothing). The villager's photo on record is scikit-image's astronaut picture when that package
is installed (it is with `make install`), so the demo terminal's face sign-in can be tried with a
fake camera showing the same picture.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from eban.accounts import actions
from eban.accounts.models import Citizen, Enterprise, EnterpriseAgent, ProxyAuthorisation
from eban.catalogue.models import Matter

SAMPLE_FILE = Path(__file__).resolve().parent / "sample" / "identities.json"


def sample_photo(name: str) -> bytes:
    """A sample face picture from a package (never a file of ours); b"" when unavailable."""
    if name != "astronaut":
        return b""
    try:
        from PIL import Image
        from skimage import data
    except ImportError:
        return b""
    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def load_identities(path: Path = SAMPLE_FILE) -> int:
    """Load the sample identities; returns how many records were created."""
    import json

    doc = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    people: dict[str, Citizen] = {}
    today = timezone.localdate()
    with transaction.atomic():
        for row in doc["citizens"]:
            is_new = not Citizen.objects.with_id_number(row["id_number"]).exists()
            citizen = actions.register_citizen(
                actions.CitizenInput(
                    name=row["name"],
                    id_number=row["id_number"],
                    phone=row.get("phone", ""),
                    household_division_code=row.get("household_division", ""),
                    abroad_country=row.get("abroad_country", ""),
                    passport_number=row.get("passport_number", ""),
                ),
                is_sample=True,
            )
            if row.get("photo") and not citizen.photo:
                photo = sample_photo(row["photo"])
                if photo:
                    citizen.photo.save(f"sample-{citizen.pk}.jpg", ContentFile(photo), save=True)
            people[row["key"]] = citizen
            created += is_new
        for row in doc["enterprises"]:
            is_new = not Enterprise.objects.filter(credit_code=row["credit_code"]).exists()
            enterprise = actions.register_enterprise(
                credit_code=row["credit_code"],
                name=row["name"],
                legal_representative=people[row["legal_representative"]],
                actor=None,
                is_sample=True,
            )
            if is_new:
                created += 1
                actions.record_enterprise_facts(
                    enterprise,
                    [
                        actions.FactInput(
                            key=f["key"],
                            value=f["value"],
                            source=f["source"],
                            as_of=datetime.date.fromisoformat(f["as_of"]),
                            year=f.get("year", 0),
                        )
                        for f in row["facts"]
                    ],
                    actor=None,
                )
                for tag in row["tags"]:
                    until = tag.get("valid_until")
                    actions.tag_enterprise(
                        enterprise,
                        tag["name"],
                        source=tag["source"],
                        as_of=datetime.date.fromisoformat(tag["as_of"]),
                        valid_until=datetime.date.fromisoformat(until) if until else None,
                        actor=None,
                    )
            for grant in row["agents"]:
                agent = people[grant["agent"]]
                if not EnterpriseAgent.objects.in_force().filter(enterprise=enterprise, agent=agent).exists():
                    actions.authorise_agent(
                        enterprise,
                        by=enterprise.legal_representative,
                        agent_name=agent.name,
                        agent_id_number=agent.id_number,
                        valid_from=today,
                        valid_until=today + datetime.timedelta(days=grant["days"]),
                        all_matters=grant["all_matters"],
                        actor=None,
                    )
                    created += 1
        for row in doc["proxies"]:
            principal, proxy = people[row["principal"]], people[row["proxy"]]
            if not ProxyAuthorisation.objects.in_force().filter(principal=principal, proxy=proxy).exists():
                actions.authorise_proxy(
                    principal,
                    proxy_name=proxy.name,
                    proxy_id_number=proxy.id_number,
                    relationship=row["relationship"],
                    valid_from=today,
                    valid_until=today + datetime.timedelta(days=row["days"]),
                    all_matters=row.get("all_matters", False),
                    matters=Matter.objects.filter(code__in=row.get("matters", [])),
                    actor=None,
                )
                created += 1
    return created


def sample_citizens() -> list[dict[str, Any]]:
    """For `eban demo` to print: who the sample people are (masked) and how to sign in."""
    import json

    doc = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    return doc["citizens"]
