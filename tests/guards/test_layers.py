"""The portal's floors: core imports no app, and each app imports only the ones below it.

    core ← members ← meetings ← actions ← tracker ← portal ← vrp_portal (settings, URLs)

Every import of the portal's own code is read from the source (those inside functions
and under TYPE_CHECKING too), and no module may reach a higher floor or take part in an
import cycle, however long.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ("core", "members", "meetings", "actions", "tracker", "portal", "vrp_portal")
Graph = dict[str, set[str]]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def portal_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for floor in FLOORS
        for path in sorted((ROOT / floor).rglob("*.py"))
        if "migrations" not in path.parts
    }


def imported_names(module: str, path: Path) -> Iterator[str]:
    """Every module name the source imports, made absolute: `from a import b` yields
    `a.b` as well as `a`, since b may be a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> Graph:
    """Module → the portal modules it imports (the nearest existing module of each name)."""
    modules = portal_modules()
    graph: Graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(f"{name}."):
                targets.add(name)
        graph[module] = targets
    return graph


def floor_of(module: str) -> int:
    return FLOORS.index(module.split(".")[0])


def upward_imports(graph: Graph) -> list[str]:
    """Each import that reaches a higher floor, as "a imports b"."""
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if floor_of(target) > floor_of(module)
    )


def find_cycle(graph: Graph) -> list[str]:
    """One import cycle, as the modules along it (first repeated at the end); [] if none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for target in sorted(graph.get(module, ())):
            cycle = visit(target, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return []


def test_every_module_of_every_floor_is_read():
    graph = import_graph()

    assert {module.split(".")[0] for module in graph} == set(FLOORS)
    assert "meetings.models" in graph["meetings.selectors"]
    assert "core.permissions" in graph["actions.views"]


def test_no_app_imports_a_higher_one_and_core_imports_no_app():
    assert upward_imports(import_graph()) == []


def test_no_module_takes_part_in_an_import_cycle():
    assert find_cycle(import_graph()) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from actions.admin import ActionInline", ["meetings.admin imports actions.admin"]),
        ("def late():\n    from tracker import report", ["meetings.admin imports tracker.report"]),
        ("from core import permissions", []),
    ],
)
def test_an_import_of_a_higher_floor_is_found_even_inside_a_function(tmp_path, source, found):
    path = tmp_path / "admin.py"
    path.write_text(source)
    known = {"actions.admin", "tracker.report", "core.permissions", "meetings.admin"}

    targets = {name for name in imported_names("meetings.admin", path) if name in known}

    assert upward_imports({"meetings.admin": targets}) == found


def test_a_cycle_is_found_however_long():
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}

    assert find_cycle(graph) == ["a.x", "a.y", "a.z", "a.x"]
    assert find_cycle({"a.x": {"a.y"}, "a.y": set()}) == []
