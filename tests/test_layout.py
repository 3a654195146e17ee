"""The package's dependencies point one way: no module imports, directly or through others, one that imports it."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ros1qa"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("ros1qa", *parts)).removesuffix(".__init__")


def imports() -> dict[str, set[str]]:
    """Each module of the package → the package's modules it imports (anywhere in it, lazily or not)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ros1qa"):
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[name] = {n for n in names if n in modules and n not in (name, "ros1qa")}
    return found


def test_no_module_imports_itself_through_others():
    graph = imports()
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1  # on the current path
        path.append(module)
        for other in sorted(graph[module]):
            if state.get(other) == 1:
                circles.append([*path[path.index(other):], other])
            elif other not in state:
                visit(other)
        state[module] = 2  # done
        path.pop()

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert circles == []
    assert "ros1qa.ask.engine" in graph and "ros1qa.ask.conversation" in graph["ros1qa.ask.engine"]  # the scan sees imports


STAGES = ("ingest", "index", "safety", "ask", "learning")  # in order: each may use the ones before it
FOUNDATION = ("ros1qa.errors", "ros1qa.runtime", "ros1qa.settings", "ros1qa.tables")  # used by every stage; they use none


def _stage(module: str) -> int:
    """A module's place: -1 for the foundation, the stage's index, or len(STAGES) for the edges (CLI, app, bench…)."""
    if module in FOUNDATION:
        return -1
    part = module.split(".")[1]
    return STAGES.index(part) if part in STAGES else len(STAGES)


def test_dependencies_point_one_way_from_reading_pages_to_the_edges():
    upward = [f"{module} → {used}" for module, uses in imports().items() for used in uses
              if _stage(used) > _stage(module)]
    assert upward == []
    assert _stage("ros1qa.ingest.corpus") < _stage("ros1qa.index.store") < _stage("ros1qa.ask.engine") < _stage("ros1qa.cli")
