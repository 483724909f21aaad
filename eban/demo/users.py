"""The demo logins that `eban demo` creates and prints.

DEMO ONLY: these passwords are public (printed by `eban demo`, written in this file and in
eban/demo/README.md). Never run `eban loadsample` against a production database.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

# Wagtail groups for the catalogue's back office: (name, permissions as "app_label.codename").
EDITORS_GROUP = "Catalogue editors"
REVIEWERS_GROUP = "Catalogue reviewers"
# The default matter review workflow (catalogue migration 0004) is approved by this group.
MODERATORS_GROUP = "Moderators"

GROUPS = {
    EDITORS_GROUP: [
        "wagtailadmin.access_admin",
        "catalogue.add_matter",
        "catalogue.change_matter",
        "catalogue.view_matter",
        "catalogue.lock_matter",
        "catalogue.import_matters",
    ],
    REVIEWERS_GROUP: [
        "wagtailadmin.access_admin",
        "catalogue.change_matter",
        "catalogue.view_matter",
        "catalogue.publish_matter",
        "catalogue.lock_matter",
        "catalogue.unlock_matter",
    ],
}

# (username, password, role description, superuser?, groups)
DEMO_USERS = [
    ("admin", "eban-demo-admin", _("superuser: everything in the back office"), True, []),
    ("editor", "eban-demo-editor", _("catalogue editor: drafts matters and submits them for review"), False,
     [EDITORS_GROUP]),
    ("reviewer", "eban-demo-reviewer", _("reviewer: approves and publishes matters"), False,
     [REVIEWERS_GROUP, MODERATORS_GROUP]),
    ("operator", "eban-demo-operator", _("kiosk operator: terminals, their health, coverage and usage in all of Wenzhou"),
     False, []),
]  # fmt: skip

# Their staff profiles: (department code, roles). The roles are the eban:* groups of
# eban/accounts/roles.py; the demo groups above stay for the catalogue's review workflow.
DEMO_STAFF = {
    "admin": ("330300-DSJ", ["platform_admin"]),
    "editor": ("330300-DSJ", ["site_editor"]),
    "reviewer": ("330300-RS", ["reviewer"]),
    "operator": ("330300-DSJ", ["kiosk_operator"]),
}
# The divisions in their scope, where not only their department's (eban.accounts.permissions).
DEMO_STAFF_DIVISIONS = {
    "operator": ["330300"],  # all of Wenzhou
}


def demo_totp_key(username: str) -> str:
    """The demo account's authenticator secret (hex, 20 bytes). PUBLIC like the passwords: it is
    computed from the username, so `eban totp-code USERNAME` and anyone reading this file can
    produce the codes. Only these accounts, with exactly this secret, get codes from that command."""
    return hashlib.sha1(f"eban demo authenticator: {username}".encode()).hexdigest()


DEMO_TOTP_KEYS = {username: demo_totp_key(username) for username, *_rest in DEMO_USERS}
