"""Test data for the kiosk app: a paired terminal and a small part of the sample (the senior card
and the household registration certificate, set up for instant approval, and the sample people),
loaded in seconds instead of the whole sample."""

from __future__ import annotations

from django.core.management import call_command

from eban.kiosks.actions import SYSTEM, tokens
from eban.kiosks.models import Terminal

SENIOR_CARD = "330300-MZ-0001"
HOUSEHOLD_CERTIFICATE = "330300-GA-0001"
VILLAGER = "33032419640315003X"  # sample, 62 in 2026
NEIGHBOUR = "330302196711081023"  # sample, 59 in 2026
MATTERS = (SENIOR_CARD, HOUSEHOLD_CERTIFICATE)


def load_kiosk_sample(settings, tmp_path, *, codes=MATTERS) -> None:
    """Divisions, departments, the chosen sample matters, the sample people, the set-ups and a
    demo signing CA (PDFs signed as in `make demo`)."""
    from eban.catalogue import interchange
    from eban.demo import loading
    from eban.demo.identities import load_identities
    from eban.demo.setups import load_setups

    settings.EBAN_PKI_DIR = tmp_path / "pki"
    settings.EBAN_DEMO_SIGNING_KEYS = True
    settings.EBAN_SIGNING_KEYS = ""
    settings.EBAN_SIGNATURE_TRUST_ROOTS = []
    loading.load_divisions()
    loading.load_departments()
    doc = loading.sample_catalogue(loading.matter_files())
    # Without themes and life events: a migration makes those, and transactional (browser) tests
    # empty the tables after each test.
    doc["matters"] = [{**m, "themes": [], "life_events": []} for m in doc["matters"] if m["code"] in codes]
    interchange.import_matters(doc, source="kiosk app tests")
    load_identities()
    load_setups()
    with open("/dev/null", "w") as quiet:
        call_command("demo_ca", stdout=quiet)


def paired_terminal(
    code: str = "WZ-TEST-0001", division_code: str = "330302", **fields
) -> tuple[Terminal, str]:
    """A terminal with a token, and the path of a fresh pairing link for it."""
    from eban.accounts.tests.factories import division

    fields.setdefault("name", "测试终端（样例）")
    fields.setdefault("level", "township")
    fields.setdefault("address", "测试地址1号")
    fields.setdefault("latitude", 28.0)
    fields.setdefault("longitude", 120.65)
    fields.setdefault("opening_hours", {"always": True})
    fields.setdefault("hardware", ["id_reader", "camera", "printer", "scanner"])
    terminal = Terminal.objects.create(code=code, division=division(division_code), **fields)
    tokens.issue_token(terminal, actor=SYSTEM)
    terminal.refresh_from_db()
    return terminal, tokens.make_pairing_link(terminal, actor=SYSTEM)
