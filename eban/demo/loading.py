"""Loading the sample data: divisions, departments, demo users, the sample catalogue and the
kiosk network (terminals, settlements, six months of transactions).

Every step is idempotent: loading twice changes nothing the second time.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from eban.catalogue import interchange
from eban.catalogue.interchange.schema import FORMAT
from eban.core import bulk
from eban.core.exceptions import DomainError
from eban.government import actions as government

from .identities import load_identities
from .setups import load_setups
from .users import DEMO_STAFF, DEMO_STAFF_DIVISIONS, DEMO_TOTP_KEYS, DEMO_USERS, GROUPS

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


@dataclass
class LoadReport:
    divisions_changed: int = 0
    departments_changed: int = 0
    users_changed: int = 0
    groups_changed: int = 0
    identities_created: int = 0
    setups: int = 0
    terminals_changed: int = 0
    terminal_matters_changed: int = 0  # rows of the terminals' offered matters added or removed
    settlements_changed: int = 0
    transactions_created: int = 0
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
            or self.terminals_changed
            or self.terminal_matters_changed
            or self.settlements_changed
            or self.transactions_created
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
    from eban.government.models import Department, Division

    changed = 0
    for user in get_user_model().objects.filter(username__in=DEMO_STAFF):
        department_code, roles = DEMO_STAFF[user.username]
        department = Department.objects.get(code=department_code)
        divisions = list(Division.objects.filter(code__in=DEMO_STAFF_DIVISIONS.get(user.username, ())))
        profile = StaffProfile.objects.filter(user=user).first()
        dirty = (
            profile is None
            or profile.department_id != department.pk
            or profile.roles != set(roles)
            or set(profile.divisions.values_list("pk", flat=True)) != {d.pk for d in divisions}
        )
        if dirty:
            accounts.set_staff(user, department=department, divisions=divisions, roles=roles, actor=None)
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
    report.terminals_changed, report.terminal_matters_changed = load_terminals()
    report.settlements_changed = load_settlements()
    report.transactions_created = load_transactions()
    return report


# --- the kiosk network ------------------------------------------------------------------------

SAMPLE_SEED = 20261127
TRANSACTION_MONTHS = 6
TRANSACTIONS_PER_MONTH = 20_000
TERMINAL_FIELDS = ("name", "name_en", "level", "division_id", "address", "latitude", "longitude", "hardware",
                   "opening_hours", "is_sample")  # fmt: skip
SETTLEMENT_FIELDS = ("name", "name_en", "kind", "division_id", "population", "latitude", "longitude",
                     "key_village", "is_sample")  # fmt: skip
# The matters people use most at kiosks (weighted first in the sample transactions).
COMMON_MATTERS = [
    "330300-RS-0001", "330300-RS-0004", "330300-YB-0004", "330300-RS-0002", "330300-MZ-0001",
    "330300-GJJ-0006", "330300-YB-0003", "330300-GA-0001", "330300-SMK-0005", "330300-ZJ-0004",
    "330300-DSJ-0001", "330300-RS-0003", "330300-GA-0016", "330300-GA-0011",
]  # fmt: skip


class SampleDataError(DomainError):
    code = "sample_data"


def _check_position(where: str, row: dict[str, Any]) -> tuple[float, float]:
    lat, lng = row.get("lat"), row.get("lng")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lng)):
        raise SampleDataError(f"{where}: lat and lng must be numbers.")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise SampleDataError(f"{where}: coordinates out of range ({lat}, {lng}).")
    return float(lat), float(lng)


def _division_ids(rows: list[dict[str, Any]], what: str) -> dict[str, int]:
    from eban.government.models import Division

    codes = {row.get("division") for row in rows}
    ids = dict(Division.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = sorted(str(c) for c in codes - set(ids))
    if missing:
        raise SampleDataError(
            f"{what}: unknown division {', '.join(missing[:5])} (load the divisions first)."
        )
    return ids


def _upsert(model, fields: tuple[str, ...], wanted: dict[str, dict[str, Any]]) -> int:
    """Create or update the rows of `model` by code (bulk). Returns how many were created or changed."""
    existing = {obj.code: obj for obj in model.objects.filter(code__in=list(wanted))}
    created, updated = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            created.append(model(code=code, **values))
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            updated.append(obj)
    model.objects.bulk_create(created, batch_size=500)
    if updated:
        if "updated_at" in {f.name for f in model._meta.fields}:
            now = timezone.now()
            for obj in updated:
                obj.updated_at = now
            fields = (*fields, "updated_at")
        model.objects.bulk_update(updated, fields, batch_size=500)
    return len(created) + len(updated)


def load_terminals(path: Path = SAMPLE_DIR / "terminals.json") -> tuple[int, int]:
    """The sample terminals (upserted by code, all or nothing) and the matters they offer: a row's
    `matters` codes, or when empty every live matter offered at kiosks (channel_kiosk). Returns
    (terminals created or changed, offered-matter rows added or removed). Raises SampleDataError
    (nothing saved) on an invalid row."""
    from eban.catalogue.models import Matter
    from eban.kiosks.enums import Hardware, Level
    from eban.kiosks.hours import check_hours
    from eban.kiosks.models import Terminal, terminal_code_validator

    rows = read_json(path)["terminals"]
    divisions = _division_ids(rows, "terminals")
    kiosk_matters = sorted(Matter.objects.filter(live=True, channel_kiosk=True).values_list("pk", flat=True))
    listed = {code for row in rows for code in row.get("matters") or ()}
    matter_ids = dict(Matter.objects.filter(code__in=listed, live=True).values_list("code", "pk"))
    wanted: dict[str, dict[str, Any]] = {}
    offered: dict[str, list[int]] = {}
    checked_hours: dict[str, dict] = {}  # a few patterns of hours shared by a thousand terminals
    for row in rows:
        code = str(row.get("code", ""))
        try:
            terminal_code_validator(code)
        except ValidationError:
            raise SampleDataError(f"terminal {code!r}: not a valid terminal code.") from None
        if code in wanted:
            raise SampleDataError(f"terminal {code}: listed twice.")
        lat, lng = _check_position(f"terminal {code}", row)
        if row.get("level") not in Level.values:
            raise SampleDataError(f"terminal {code}: unknown level {row.get('level')!r}.")
        hardware = list(row.get("hardware") or [])
        if not set(hardware) <= set(Hardware.values):
            raise SampleDataError(
                f"terminal {code}: unknown hardware {sorted(set(hardware) - set(Hardware.values))}."
            )
        try:
            key = json.dumps(row.get("opening_hours"), sort_keys=True)
            if key not in checked_hours:
                checked_hours[key] = check_hours(row.get("opening_hours"))
            hours = checked_hours[key]
        except (DomainError, ValidationError, ValueError, TypeError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            raise SampleDataError(f"terminal {code}: opening hours: {message}") from None
        unknown = [m for m in row.get("matters") or () if m not in matter_ids]
        if unknown:
            raise SampleDataError(f"terminal {code}: no live matter {', '.join(unknown)}.")
        if not row.get("name") or not row.get("address"):
            raise SampleDataError(f"terminal {code}: a name and an address are needed.")
        wanted[code] = {
            "name": row["name"][:100], "name_en": row.get("name_en", "")[:150], "level": row["level"],
            "division_id": divisions[row["division"]], "address": row["address"][:200], "latitude": lat,
            "longitude": lng, "hardware": hardware, "opening_hours": hours,
            "is_sample": bool(row.get("is_sample", True)),
        }  # fmt: skip
        offered[code] = sorted(matter_ids[m] for m in row.get("matters") or ()) or kiosk_matters
    with transaction.atomic():
        changed = _upsert(Terminal, TERMINAL_FIELDS, wanted)
        ids = dict(Terminal.objects.filter(code__in=list(wanted)).values_list("code", "pk"))
        through = Terminal.matters.through
        want_pairs = {(ids[code], m) for code, matters in offered.items() for m in matters}
        have_pairs = set(
            through.objects.filter(terminal_id__in=ids.values()).values_list("terminal_id", "matter_id")
        )
        extra = have_pairs - want_pairs
        for terminal_id in {t for t, _m in extra}:
            through.objects.filter(
                terminal_id=terminal_id, matter_id__in=[m for t, m in extra if t == terminal_id]
            ).delete()
        missing = sorted(want_pairs - have_pairs)
        bulk.insert_rows(through, ["terminal_id", "matter_id"], missing)
    return changed, len(extra) + len(missing)


def load_settlements(path: Path = SAMPLE_DIR / "settlements.json") -> int:
    """The sample villages and communities (upserted by code, all or nothing). Returns how many
    were created or changed. Raises SampleDataError (nothing saved) on an invalid row."""
    from eban.kiosks.enums import SettlementKind
    from eban.kiosks.models import Settlement

    rows = read_json(path)["settlements"]
    divisions = _division_ids(rows, "settlements")
    wanted: dict[str, dict[str, Any]] = {}
    for row in rows:
        code = str(row.get("code", ""))
        if not code or len(code) > 32 or code in wanted:
            raise SampleDataError(f"settlement {code!r}: missing, too long or listed twice.")
        lat, lng = _check_position(f"settlement {code}", row)
        if row.get("kind") not in SettlementKind.values:
            raise SampleDataError(f"settlement {code}: unknown kind {row.get('kind')!r}.")
        population = row.get("population")
        if not isinstance(population, int) or isinstance(population, bool) or population < 0:
            raise SampleDataError(f"settlement {code}: the population must be a whole number ≥ 0.")
        wanted[code] = {
            "name": str(row.get("name", ""))[:100], "name_en": row.get("name_en", "")[:150], "kind": row["kind"],
            "division_id": divisions[row["division"]], "population": population, "latitude": lat,
            "longitude": lng, "key_village": bool(row.get("key_village")), "is_sample": bool(row.get("is_sample", True)),
        }  # fmt: skip
    with transaction.atomic():
        return _upsert(Settlement, SETTLEMENT_FIELDS, wanted)


def _terminal_weight(rng: random.Random, level: str, division_code: str) -> float:
    """How busy a sample terminal is: urban centres busy, some village points idle."""
    urban = division_code[:6] in ("330300", "330302", "330303", "330304")
    if level == "village":
        return 0.0 if rng.random() < 0.12 else rng.uniform(0.2, 1.2)
    if level == "other" and rng.random() < 0.04:
        return 0.0
    base = {"city": 60.0, "county": 28.0, "township": 8.0, "other": 3.0}[level]
    return base * (1.6 if urban else 1.0) * rng.uniform(0.6, 1.4)


def load_transactions(
    *, months: int = TRANSACTION_MONTHS, per_month: int | None = None, today: date | None = None
) -> int:
    """About `per_month` sample kiosk transactions a month (default 20,000, or the setting
    EBAN_SAMPLE_KIOSK_TRANSACTIONS_PER_MONTH, which tests set lower) for this month and the
    `months - 1` before it, up to yesterday — the dashboard's "last 6 months" — at the sample
    terminals: only when the sample terminals have none yet (so a second load adds nothing).
    Skewed: city and county centres busy, some village points idle; matters weighted toward the
    common ones. Bulk-inserted (COPY on PostgreSQL). Returns how many were created."""
    from eban.catalogue.models import Matter
    from eban.kiosks.enums import TransactionKind
    from eban.kiosks.models import KioskTransaction, Terminal
    from eban.kiosks.usage.queries import months_back

    if per_month is None:
        per_month = settings.EBAN_SAMPLE_KIOSK_TRANSACTIONS_PER_MONTH
    terminals = list(
        Terminal.objects.filter(is_sample=True, active=True)
        .order_by("code")
        .values_list("pk", "level", "division_id", "division__code")
    )
    if not terminals or per_month <= 0 or KioskTransaction.objects.filter(terminal__is_sample=True).exists():
        return 0
    rng = random.Random(SAMPLE_SEED)
    weights = [_terminal_weight(rng, level, code) for _pk, level, _div, code in terminals]
    # Matters: each terminal's offered ones, the common ones weighted most (Zipf-like).
    codes = dict(Matter.objects.filter(live=True, channel_kiosk=True).values_list("pk", "code"))
    rank = {code: i for i, code in enumerate(COMMON_MATTERS)}
    popularity = {pk: 1.0 / (rank.get(code, len(COMMON_MATTERS) + 4) + 1.5) for pk, code in codes.items()}
    through = Terminal.matters.through
    offered: dict[int, list[int]] = {}
    for terminal_id, matter_id in through.objects.filter(
        terminal_id__in=[t[0] for t in terminals], matter_id__in=list(codes)
    ).values_list("terminal_id", "matter_id"):
        offered.setdefault(terminal_id, []).append(matter_id)
    choosers: dict[tuple[int, ...], tuple[list[int], list[float]]] = {}
    offered_key = {terminal_id: tuple(sorted(matters)) for terminal_id, matters in offered.items()}
    for key in offered_key.values():
        if key not in choosers:
            cum, total = [], 0.0
            for m in key:
                total += popularity[m]
                cum.append(total)
            choosers[key] = (list(key), cum)
    # Days (weekends quieter) and hours (mornings busier).
    today = today or timezone.localdate()
    first = months_back(today.replace(day=1), months - 1)  # as the dashboard's "last 6 months"
    days = [first + timedelta(days=n) for n in range((today - first).days)]  # up to yesterday
    day_weights = [{5: 0.45, 6: 0.3}.get(d.weekday(), 1.0) for d in days]
    hours = list(range(7, 21))
    hour_weights = [0.3, 1.2, 2.0, 2.2, 1.8, 0.8, 0.9, 1.5, 1.6, 1.4, 0.9, 0.5, 0.3, 0.2]
    kinds = [
        TransactionKind.SIGN_IN,
        TransactionKind.PRINT,
        TransactionKind.GUIDE,
        TransactionKind.APPLICATION,
    ]
    kind_weights = [35, 27, 23, 15]
    total = per_month * months
    picked_terminals = rng.choices(terminals, weights, k=total)
    picked_days = rng.choices(range(len(days)), day_weights, k=total)
    picked_hours = rng.choices(hours, hour_weights, k=total)
    picked_seconds = rng.choices(range(3600), k=total)
    picked_kinds = [str(k) for k in rng.choices(kinds, kind_weights, k=total)]
    # The matters: one draw per group of transactions at terminals offering the same matters.
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, (terminal_id, *_rest) in enumerate(picked_terminals):
        if picked_kinds[i] != TransactionKind.SIGN_IN and terminal_id in offered_key:
            groups.setdefault(offered_key[terminal_id], []).append(i)
    picked_matters: list[int | None] = [None] * total
    for key, indexes in groups.items():
        matters, cum = choosers[key]
        for i, matter_id in zip(indexes, rng.choices(matters, cum_weights=cum, k=len(indexes)), strict=True):
            picked_matters[i] = matter_id
    # Local midnight of each day, in UTC; SQLite stores dates and datetimes as text (as Django does).
    tz = timezone.get_current_timezone()
    midnights = [datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(UTC) for d in days]
    sqlite = connection.vendor == "sqlite"
    day_values = [d.isoformat() if sqlite else d for d in days]
    rows = []
    for i, (terminal_id, _level, division_id, _code) in enumerate(picked_terminals):
        d = picked_days[i]
        at = midnights[d] + timedelta(seconds=picked_hours[i] * 3600 + picked_seconds[i])
        rows.append(
            (terminal_id, picked_kinds[i], picked_matters[i], division_id, day_values[d],
             str(at.replace(tzinfo=None)) if sqlite else at, "")
        )  # fmt: skip
    rows.sort(key=lambda row: row[5])  # in time order: the day index grows at its end
    columns = ["terminal_id", "kind", "matter_id", "division_id", "day", "at", "application_number"]
    pg_types = ["int8", "text", "int8", "int8", "date", "timestamptz", "text"]  # a binary COPY on PostgreSQL
    with transaction.atomic(), bulk.row_writer(KioskTransaction, columns, pg_types=pg_types) as write:
        write(rows)
    return total
