"""The layout docs/architecture.md describes is the layout of the tree.

The import graph is built from every import statement of the package, at
module level and inside functions (with `ast`, without importing anything),
and has no cycle; each import goes up the table of subpackages in
docs/architecture.md or is one of the exceptions listed there; no module is
over 500 lines; and the subpackages listed there are the ones that exist.
"""

from __future__ import annotations

import ast
import re

import pytest

from conftest import REPO

PACKAGE = REPO / "tospolicy"
ARCHITECTURE = REPO / "docs" / "architecture.md"
MAX_LINES = 500
# Shared by every stage: any module may import these.
SHARED = {"tospolicy", "tospolicy.findings", "tospolicy.limits", "tospolicy.language.model"}


def _modules() -> dict[str, object]:
    """Module name -> its file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path, modules) -> set[str]:
    """The modules of the package that `name` imports, wherever the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                imported.add(submodule if submodule in modules else base)
    return {module for module in imported if module in modules and module != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[module] = 2
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def _documented_packages() -> list[str]:
    return re.findall(r"^\| `(\w+)/` \|", ARCHITECTURE.read_text(encoding="utf-8"), re.M)


def _documented_exceptions() -> set[tuple[str, str]]:
    return set(re.findall(r"^\s*- `(tospolicy[\w.]*)` → `(tospolicy[\w.]*)`",
                          ARCHITECTURE.read_text(encoding="utf-8"), re.M))


def test_the_graph_is_built_from_every_import(graph):
    """Imports inside functions count: checking/engine.py imports the checks at
    the top, packs/reading.py imports the schema only inside a function."""
    assert len(graph) > 80
    assert "tospolicy.checks" in graph["tospolicy.checking.engine"]
    assert "tospolicy.packs.schema" in graph["tospolicy.packs.reading"]


def test_no_import_cycle(graph):
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_over_500_lines():
    lengths = {path.relative_to(REPO).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
               for path in PACKAGE.rglob("*.py")}
    assert len(lengths) > 80
    too_long = {name: count for name, count in lengths.items() if count > MAX_LINES}
    assert not too_long


def test_the_documented_subpackages_are_the_ones_that_exist():
    documented = _documented_packages()
    existing = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))
    assert len(documented) > 5
    assert sorted(documented) == existing
    assert len(documented) == len(set(documented))


def test_the_top_of_the_package_holds_at_most_a_dozen_modules():
    assert 0 < len(list(PACKAGE.glob("*.py"))) <= 12


def test_imports_go_up_the_documented_table(graph):
    order = {name: rank for rank, name in enumerate(_documented_packages())}
    exceptions = _documented_exceptions()
    assert exceptions and all(a in graph and b in graph[a] for a, b in exceptions), \
        "an exception docs/architecture.md lists no longer exists: remove it there"

    def package(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in order) else None

    wrong = []
    for module, targets in graph.items():
        own = package(module)
        for target in targets:
            other = package(target)
            if target in SHARED or own is None or other is None or other == own:
                continue
            if order[other] > order[own] and (module, target) not in exceptions:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports down the table of docs/architecture.md: " + ", ".join(sorted(wrong))


def test_every_check_module_declares_the_protocol():
    from tospolicy import checks
    from tospolicy.checks.protocol import PHASES

    files = {path.stem for path in (PACKAGE / "checks").glob("*.py")} - {"__init__", "protocol"}
    assert len(files) > 5
    assert {module.__name__.rpartition(".")[2] for module in checks.CHECKS} == files
    for module in checks.CHECKS:
        assert isinstance(module.NAME, str) and module.PHASE in PHASES and callable(module.hits)
    assert list(checks.REGISTRY) == [module.NAME for module in checks.CHECKS]
