"""Loading the sample data: divisions, departments, demo users and the sample catalogue.

Every step is idempotent: loading twice changes nothing the second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from eban.catalogue import interchange
from eban.catalogue.interchange.schema import FORMAT
from eban.government import actions as government

from .identities import load_identities
from .setups import load_setups
from .users import DEMO_STAFF, DEMO_TOTP_KEYS, DEMO_USERS, GROUPS

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


@dataclass
class LoadReport:
    divisions_changed: int = 0
    departments_changed: int = 0
    users_changed: int = 0
    groups_changed: int = 0
    identities_created: int = 0
    setups: int = 0
    matters: Any = None  # the catalogue's ImportReport
    files: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        matters_changed = bool(self.matters and (self.matters.created or self.matters.updated))
        return bool(
            self.divisions_changed
            or self.departments_changed
            or self.users_changed
            or self.groups_changed
            or self.identities_created
            or matters_changed
        )


def read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def matter_files(sample_dir: Path = SAMPLE_DIR) -> list[Path]:
    return sorted(sample_dir.glob("matters-*.json"))


def load_divisions(path: Path = SAMPLE_DIR / "divisions.json", *, actor: Any = None) -> int:
    """Parents come before children in the file. Returns how many rows were created or changed."""
    changed = 0
    with transaction.atomic():
        for row in read_json(path)["divisions"]:
            _division, did_change = government.upsert_division(
                code=row["code"],
                name=row["name"],
                name_en=row.get("name_en", ""),
                level=row["level"],
                parent_code=row.get("parent"),
                is_sample=row.get("is_sample", True),
                actor=actor,
            )
            changed += did_change
    return changed


def load_departments(path: Path = SAMPLE_DIR / "departments.json", *, actor: Any = None) -> int:
    changed = 0
    with transaction.atomic():
        for row in read_json(path)["departments"]:
            _department, did_change = government.upsert_department(
                code=row["code"],
                name=row["name"],
                name_en=row.get("name_en", ""),
                short_name=row.get("short_name", ""),
                division_code=row["division"],
                phone=row.get("phone", ""),
                address=row.get("address", ""),
                is_sample=row.get("is_sample", True),
                actor=actor,
            )
            changed += did_change
    return changed


def ensure_groups() -> int:
    """The back-office groups of the demo staff, with their permissions. Returns how many changed."""
    changed = 0
    for name, perms in GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        wanted = set()
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename).pk)
        current = set(group.permissions.values_list("pk", flat=True))
        if created or current != wanted:
            group.permissions.set(wanted)
            changed += 1
    return changed


def ensure_demo_users() -> int:
    """Create the demo logins (see users.py); reset a password only when it no longer matches."""
    User = get_user_model()
    changed = 0
    for username, password, _role, superuser, groups in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        dirty = False
        if user is None:
            user = User(username=username, email=f"{username}@example.invalid")
            dirty = True
        if user.is_superuser != superuser or user.is_staff is not True or not user.is_active:
            user.is_superuser, user.is_staff, user.is_active = superuser, True, True
            dirty = True
        if not user.has_usable_password() or not user.check_password(password):
            user.set_password(password)
            dirty = True
        if dirty:
            user.save()
        wanted = set(Group.objects.filter(name__in=groups).values_list("pk", flat=True))
        # The staff roles' groups (eban:*) are set by ensure_demo_staff through the profile.
        roles = set(user.groups.filter(name__startswith="eban:").values_list("pk", flat=True))
        if set(user.groups.values_list("pk", flat=True)) - roles != wanted:
            user.groups.set(wanted | roles)
            dirty = True
        changed += dirty
    return changed


def ensure_demo_staff() -> int:
    """The demo logins' staff profiles (department, roles) and their authenticators with the
    public sample secrets (users.py), so `eban totp-code USERNAME` prints their codes. Returns
    how many accounts changed; a second run changes nothing (and audits nothing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from eban.accounts import actions as accounts
    from eban.accounts.models import StaffProfile
    from eban.government.models import Department

    changed = 0
    for user in get_user_model().objects.filter(username__in=DEMO_STAFF):
        department_code, roles = DEMO_STAFF[user.username]
        department = Department.objects.get(code=department_code)
        profile = StaffProfile.objects.filter(user=user).first()
        dirty = profile is None or profile.department_id != department.pk or profile.roles != set(roles)
        if dirty:
            accounts.set_staff(user, department=department, roles=roles, actor=None)
        key = DEMO_TOTP_KEYS[user.username]
        devices = list(TOTPDevice.objects.filter(user=user))
        if [(d.key, d.confirmed) for d in devices] != [(key, True)]:
            TOTPDevice.objects.filter(user=user).delete()
            TOTPDevice.objects.create(user=user, name="demo authenticator (sample)", key=key, confirmed=True)
            dirty = True
        changed += dirty
    return changed


def sample_catalogue(files: list[Path]) -> dict[str, Any]:
    """All the sample matter files as one interchange document (imported in one go)."""
    matters: list[dict[str, Any]] = []
    for path in files:
        matters.extend(read_json(path)["matters"])
    return {"format": FORMAT, "matters": matters}


def load_sample(*, with_users: bool = True, progress=None) -> LoadReport:
    """Load everything. Raises interchange.ImportRejected (nothing of the catalogue saved) when a
    sample matter file is invalid."""
    report = LoadReport()
    report.divisions_changed = load_divisions()
    report.departments_changed = load_departments()
    if with_users:
        report.groups_changed = ensure_groups()
        report.users_changed = ensure_demo_users()
        report.users_changed += ensure_demo_staff()
    files = matter_files()
    report.files = [p.name for p in files]
    if files:
        report.matters = interchange.import_matters(
            sample_catalogue(files), progress=progress, source=", ".join(report.files)
        )
    report.identities_created = load_identities()
    report.setups = load_setups()
    return report
