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


# --- One gate for the back office ------------------------------------------------------------
#
# Every back-office page of eban is an `eban.core.admin_views.StaffPage` (its `allowed(user)`
# asks the app's permissions.py) or one of Wagtail's generic views (snippets: Wagtail's own
# permission policy). None writes its own `dispatch`, and no `can_*` predicate lives in an
# admin views module.
# Apps still being converted: none (kept so that a future exception is visible).
GATE_NOT_YET: set[str] = set()


def _admin_views():
    """(name, view class or function) of every URL under /admin/ served by eban's code."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                view = getattr(callback, "view_class", None) or callback
                if getattr(view, "__module__", "").startswith("eban."):
                    found.append((prefix + str(pattern.pattern), view))

    walk(get_resolver().url_patterns, "")
    return [(route, view) for route, view in found if route.startswith("admin/")]


def _app_of(obj) -> str:
    return obj.__module__.split(".")[1]


def test_admin_views_are_found():
    names = {view.__name__ for _route, view in _admin_views()}
    assert {"QueueView", "CalendarUploadView", "TemplateIndexView", "RuleSetIndexView"} <= names


def _is_wagtail_generic_view(view: type) -> bool:
    """A subclass of one of Wagtail's own admin views (the snippet viewsets' pages)."""
    return any(
        k.__module__.startswith(("wagtail.admin.views.", "wagtail.snippets.views.")) for k in view.__mro__
    )


def test_every_back_office_page_is_a_staff_page_or_a_wagtail_view():
    from eban.core.admin_views import StaffPage

    bad = []
    for route, view in _admin_views():
        if _app_of(view) in GATE_NOT_YET:
            continue
        if not isinstance(view, type):
            bad.append(f"{route}: {view.__module__}.{view.__name__} is a function, not a StaffPage")
        elif not issubclass(view, StaffPage) and not _is_wagtail_generic_view(view):
            bad.append(f"{route}: {view.__module__}.{view.__name__} is not a StaffPage")
    assert not bad, "\n".join(bad)


def test_no_admin_view_writes_its_own_dispatch():
    from eban.core.admin_views import StaffPage

    bad = set()
    for route, view in _admin_views():
        if not isinstance(view, type) or _app_of(view) in GATE_NOT_YET:
            continue
        for klass in view.__mro__:
            if klass is StaffPage or not klass.__module__.startswith("eban."):
                continue
            if "dispatch" in vars(klass):
                bad.add(f"{klass.__module__}.{klass.__name__} ({route})")
    assert not bad, "let StaffPage.allowed() gate the page instead: " + ", ".join(sorted(bad))


def test_permission_predicates_live_in_permissions_modules():
    modules = {EBAN.parent / (view.__module__.replace(".", "/") + ".py") for _r, view in _admin_views()}
    modules |= set(EBAN.rglob("admin_views.py"))
    bad = []
    for path in sorted(modules):
        app = path.relative_to(EBAN).parts[0]
        if app in GATE_NOT_YET or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("can_"):
                bad.append(f"{path.relative_to(EBAN)}:{node.lineno} {node.name}")
    assert not bad, "move these to the app's permissions.py: " + ", ".join(bad)
