"""The demo logins that `eban demo` creates and prints.

DEMO ONLY: these passwords are public (printed by `eban demo`, written in this file and in
eban/demo/README.md). Never run `eban loadsample` against a production database.
"""

from __future__ import annotations

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
]  # fmt: skip
