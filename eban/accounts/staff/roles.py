"""What each staff role may do in the back office: the Django permissions of its group.

The roles are Django groups named `StaffRole.group_name` ("eban:reviewer" …). This table is the
one place their permissions are defined: migration 0002 creates the groups from it and every
`migrate` brings them back in line (post_migrate), so a change here takes effect on the next
deployment — and a permission given to a role group by hand in the back office is undone then.
Give extra permissions through other groups instead.

Object-level scope (which department's and divisions' rows) is not a permission: it comes
from the official's StaffProfile (eban.accounts.permissions).
"""

from __future__ import annotations

from django.apps import apps as global_apps

from ..enums import StaffRole

ADMIN = "wagtailadmin.access_admin"
_IDENTITY_MODELS = (
    "citizen",
    "enterprise",
    "enterprisefact",
    "enterprisetag",
    "enterpriseagent",
    "proxyauthorisation",
    "staffprofile",
)


def _crud(app_label: str, *models: str, actions=("add", "change", "delete", "view")) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


ROLE_PERMISSIONS: dict[StaffRole, tuple[str, ...]] = {
    StaffRole.PLATFORM_ADMIN: (
        ADMIN,
        *_crud("accounts", *_IDENTITY_MODELS),
        "accounts.view_unmasked",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        *_crud("workdays", "calendaryear", "specialday"),
        # Notifications: the message templates (each save is a new version) and the messages sent.
        *_crud("notifications", "template", actions=("add", "change", "view")),
        "notifications.view_message",
        "notifications.change_message",
        *_crud("applications", "mattersetup", actions=("add", "change", "view")),
    ),
    # Manages the officials of their own department (the views keep them to it).
    StaffRole.DEPARTMENT_ADMIN: (
        ADMIN,
        "accounts.add_staffprofile",
        "accounts.change_staffprofile",
        "accounts.view_staffprofile",
    ),
    # The public site's content: the catalogue of matters (edit, lock, import, export), its themes
    # and life events, and the search synonyms. Not publish: an edited matter goes through the
    # review workflow (catalogue migration 0004), approved by the "Moderators" group — four eyes
    # on what the public reads. A deployment that wants editors to publish adds another group.
    StaffRole.SITE_EDITOR: (
        ADMIN,
        "catalogue.add_matter",
        "catalogue.change_matter",
        "catalogue.view_matter",
        "catalogue.lock_matter",
        "catalogue.import_matters",
        *_crud("catalogue", "theme", "lifeevent"),
        *_crud("search", "synonym"),
    ),
    # Reviews applications of their department and divisions (issue 4): back-office access only for now.
    StaffRole.REVIEWER: (ADMIN,),
    # Writes policies matched on enterprise profiles: reads the enterprises, their facts and tags.
    StaffRole.POLICY_OFFICER: (
        ADMIN,
        "accounts.view_enterprise",
        "accounts.view_enterprisefact",
        "accounts.view_enterprisetag",
    ),
    StaffRole.EXPERT: (ADMIN,),
    # Runs the kiosk network of their divisions: the fleet, its health, coverage and usage
    # (eban.kiosks; scope by division through eban.kiosks.permissions.terminals_for).
    StaffRole.KIOSK_OPERATOR: (ADMIN,),
    # Helps citizens abroad: finds a citizen (masked; no unmasked view).
    StaffRole.OVERSEAS_CLERK: (ADMIN, "accounts.view_citizen"),
}

# Permissions whose codename does not name their model.
_MODEL_OF = {
    "wagtailadmin.access_admin": "admin",
    "accounts.view_unmasked": "citizen",
    "catalogue.import_matters": "importjob",
}


# Django's default permissions and Wagtail's for snippets with drafts and locking.
_MODEL_ACTIONS = {"add", "change", "delete", "view", "publish", "lock", "unlock"}


def _model_name(perm: str) -> str:
    if perm in _MODEL_OF:
        return _MODEL_OF[perm]
    return perm.split(".", 1)[1].split("_", 1)[1]


def _permission(apps, perm: str):
    """The Permission row, created when missing (Django and Wagtail create permissions after
    all migrations; a data migration on an empty database runs before that). None when neither
    the row nor its model exists yet (a later migration adds the model; post_migrate then
    completes the group)."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = perm.split(".", 1)
    model_name = _model_name(perm)
    existing = Permission.objects.filter(
        content_type__app_label=app_label, content_type__model=model_name, codename=codename
    ).first()
    if existing is not None:
        return existing
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    custom = dict(model._meta.permissions)
    action, _sep, suffix = codename.partition("_")
    if codename in custom:
        name = str(custom[codename])
    elif action in _MODEL_ACTIONS and suffix == model_name:
        name = f"Can {action} {model._meta.verbose_name_raw}"
    else:
        raise ValueError(f"{perm} is not a permission of {app_label}.{model_name}")
    return Permission.objects.create(content_type=content_type, codename=codename, name=name[:255])


def sync_role_groups(*, apps=global_apps) -> int:
    """Create the role groups and give each exactly the permissions of ROLE_PERMISSIONS.
    Returns how many groups changed. Idempotent."""
    Group = apps.get_model("auth", "Group")
    changed = 0
    for role, perms in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role.group_name)
        wanted = {p.pk for p in (_permission(apps, perm) for perm in perms) if p is not None}
        current = set(group.permissions.values_list("pk", flat=True))
        if created or current != wanted:
            group.permissions.set(wanted)
            changed += 1
    return changed


def sync_after_migrate(sender, apps=global_apps, **kwargs) -> None:
    sync_role_groups(apps=apps)
