"""Keep the import directions drawn in docs/architecture.md."""

import ast
from pathlib import Path

import pytest

EBAN = Path(__file__).resolve().parent.parent / "eban"

# app -> the eban apps it may import (besides itself)
ALLOWED = {
    "core": set(),
    "government": {"core"},
    "workdays": {"core"},
    "search": {"core"},
    "catalogue": {"core", "government", "search"},
    "notifications": {"core"},
    "accounts": {"core", "government", "catalogue", "notifications"},
    "certificates": {"core", "government"},
    "rules": {"core", "accounts"},  # accounts: the back office's role check and the try-out's citizens
    "applications": {
        "core",
        "government",
        "catalogue",
        "accounts",
        "workdays",
        "rules",
        "certificates",
        "notifications",
    },
    "kiosks": {
        "core",
        "government",
        "workdays",
        "catalogue",
        "accounts",
        "applications",
        "certificates",
        "notifications",
    },
    "api": {
        "core",
        "kiosks",
        "catalogue",
        "workdays",
        "government",
        "search",
        "accounts",
        "applications",
        "rules",
        "certificates",
        "notifications",
    },
    "demo": {
        "core",
        "government",
        "workdays",
        "search",
        "catalogue",
        "accounts",
        "notifications",
        "applications",
        "rules",
        "certificates",
        "kiosks",
        "api",
    },
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "eban" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_what_the_architecture_allows(app):
    app_dir = EBAN / app
    if not app_dir.exists():
        pytest.skip(f"{app} not present")
    bad = {}
    for path in app_dir.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        extra = imported_apps(path) - ALLOWED[app] - {app, "settings"}
        if extra:
            bad[str(path.relative_to(EBAN))] = sorted(extra)
    assert not bad, f"imports against docs/architecture.md: {bad}"


def test_every_app_is_in_the_architecture():
    apps = {p.name for p in EBAN.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(ALLOWED), f"add {apps - set(ALLOWED)} to docs/architecture.md and this test"


def _relative_imports(path: Path) -> set[str]:
    """The modules of its own package that `path` imports (`from .x import …`, `from . import x`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_the_working_day_calendar_is_pure():
    """eban/workdays/calendar.py does the arithmetic on a calendar given to it: it reads nothing
    (no models, no queries), so queries → calendar is one way and the models may import it."""
    path = EBAN / "workdays" / "calendar.py"
    assert not _relative_imports(path), "calendar.py must not import its own app's modules"
    assert imported_apps(path) <= {"core"}
    assert not (EBAN / "workdays" / "rules.py").exists(), "the calendar lives in workdays/calendar.py"
