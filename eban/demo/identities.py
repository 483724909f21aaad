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
            actions.describe_sample(citizen, row.get("for_zh", ""))
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
    """The sample people as identities.json has them (invented: they belong to no one)."""
    import json

    doc = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    return doc["citizens"]


def age_on(id_number: str, today: datetime.date) -> int:
    born = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def sample_people_lines(base: str, today: datetime.date | None = None) -> list[str]:
    """What `eban demo` prints about the sample people: who each is and what for, and the full
    name, ID number and phone needed to sign in as them (sample data, printed as such)."""
    today = today or timezone.localdate()
    lines = [
        "  样例市民（虚构的样例数据：身份证号格式有效但不属于任何人，手机号为虚拟号段） / Sample citizens "
        "(INVENTED sample data: the ID numbers are well formed but belong to no one; 170 numbers are virtual)",
        f"  首次短信登录 first SMS sign-in: {base}/account/sign-in/ → 手机号 phone → 验证码（打印在本控制台） "
        "the code (printed on this console) → 姓名与身份证号 name and ID number. 演示的模拟实人核验只确认这些样例身份，"
        "无需照片 / The demo's simulated real-person check confirms these sample identities only; no photo needed.",
        f"  自助终端 at the kiosk: {base}/kiosk/sign-in/card/ → 样例身份证 sample card (无读卡器 no reader), "
        "或刷脸 or by face (王阿公, 仅限已配对终端 paired terminals only)",
    ]
    for person in sample_citizens():
        age = age_on(person["id_number"], today)
        lines.append(
            f"    {person['name']:<4} {person['id_number']}  {person.get('phone', ''):<11}  {age}岁 "
            f"{person.get('for_zh', '')} / {age}, {person.get('for_en', '')}"
        )
    return lines
