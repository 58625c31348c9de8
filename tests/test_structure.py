"""The layers of DESIGN.md §1, read from the source: imports run downwards only
(config > certification > audits, monitoring > scoring > recruiters), audits and monitoring
never import each other, and no module imports itself back through others."""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.outside_the_database

ROOT = Path(__file__).resolve().parent.parent
LAYER = {
    "recruiters": 0,
    "scoring": 1,
    "audits": 2,
    "monitoring": 2,
    "certification": 3,
    "config": 4,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for app in LAYER
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
}


def _project_module(name: str) -> str | None:
    """The longest prefix of a dotted name that is one of our modules."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return None


def _imports(module: str) -> set[str]:
    """Every project module that `module` imports, at its top or inside a function."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_project_module(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found |= {
                _project_module(f"{base}.{alias.name}") or _project_module(base)
                for alias in node.names
            }
    return found - {None, module}


GRAPH = {module: _imports(module) for module in MODULES}


def _app(module: str) -> str:
    return module.split(".")[0]


def test_imports_run_down_the_layers_only():
    upward = sorted(
        (module, imported)
        for module, imported_modules in GRAPH.items()
        for imported in imported_modules
        if LAYER[_app(imported)] > LAYER[_app(module)]
        or {_app(module), _app(imported)} == {"audits", "monitoring"}
    )

    assert upward == []


def test_no_module_imports_itself_back_through_others():
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in GRAPH[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)

    assert cycles == []


def test_the_checker_sees_imports():
    # A checker that found nothing would pass the two tests above for any code.
    assert "certification.transitions" in GRAPH["certification.services.dispatch"]
    assert "recruiters.permissions" in GRAPH["certification.selectors"]
