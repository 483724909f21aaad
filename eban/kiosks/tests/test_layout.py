"""Writes live in eban.kiosks.actions: the views, API handlers, the heartbeat lane and the tasks
write nothing themselves."""

import ast
from pathlib import Path

import pytest

KIOSKS = Path(__file__).resolve().parent.parent
DOORS = sorted(
    path
    for pattern in ("*/views.py", "*/admin_views.py", "*/api.py", "api.py", "heartbeats/lane.py", "tasks.py")
    for path in KIOSKS.glob(pattern)
)
WRITES = {"save", "create", "bulk_create", "delete", "get_or_create", "update_or_create", "bulk_update"}


def writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            name = node.func.attr
            if name in WRITES or (name == "update" and ("objects" in receiver or "filter(" in receiver)):
                found.append(f"{path.relative_to(KIOSKS)}:{node.lineno} {receiver}.{name}(…)")
    return found


def test_the_doors_are_found():
    names = {str(p.relative_to(KIOSKS)) for p in DOORS}
    assert {
        "fleet/admin_views.py",
        "heartbeats/api.py",
        "heartbeats/lane.py",
        "tasks.py",
        "app/views.py",
    } <= names


@pytest.mark.parametrize("path", DOORS, ids=[str(p.relative_to(KIOSKS)) for p in DOORS])
def test_views_api_handlers_the_lane_and_tasks_write_through_actions(path):
    assert writes_in(path) == []
