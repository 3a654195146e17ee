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
    assert "ros1qa.engine" in graph and "ros1qa.conversation" in graph["ros1qa.engine"]  # the scan sees imports
