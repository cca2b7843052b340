"""The package shows its stages: few top-level modules, no import cycle, loaders behind the plugin door."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PKG = ROOT / "graphkg"
LOADERS = ROOT / "loaders"
# what a loader may import from graphkg: its public, stage-independent modules
PUBLIC = ("graphkg.errors", "graphkg.model", "graphkg.plugins", "graphkg.vocab", "graphkg.resolve")


def _module_name(path: Path) -> str:
    if path.is_relative_to(LOADERS):
        parts = ("graphkg", "loaders", *path.relative_to(LOADERS).with_suffix("").parts)
    else:
        parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    files = [*PKG.rglob("*.py"), *LOADERS.rglob("*.py")]
    return {_module_name(p): p for p in files if "__pycache__" not in p.parts}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """graphkg modules ``name`` imports anywhere in its file (module level, functions, TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known)
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {n: _imports(n, p, set(mods)) for n, p in mods.items()}


def test_few_top_level_modules() -> None:
    top = sorted(p.name for p in PKG.glob("*.py"))
    assert len(top) <= 10, top
    subpackages = sorted(p.name for p in PKG.iterdir() if (p / "__init__.py").is_file())
    assert subpackages == ["analytics", "cli", "extract", "maps", "pipeline", "quality", "rdf", "resolve",
                           "stores", "vocab"]


def test_no_import_cycle_even_through_function_level_imports() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycle = stack[stack.index(m):] + [m]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


def test_loaders_import_only_the_public_api_and_nothing_imports_them() -> None:
    graph = _graph()
    for name, deps in graph.items():
        if name.startswith("graphkg.loaders"):
            bad = [d for d in deps if not d.startswith(("graphkg.loaders", *PUBLIC))]
            assert not bad, f"{name} imports {bad}"
        else:
            assert not [d for d in deps if d.startswith("graphkg.loaders")], f"{name} imports a loader"


def test_import_loaders_from_the_repository_root_fails_clearly() -> None:
    proc = subprocess.run([sys.executable, "-c", "import loaders"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "the loaders/ folder is the package 'graphkg.loaders'" in proc.stderr


def test_the_import_graph_is_read_through_function_level_imports() -> None:
    """The checker itself: a lazy import inside a function counts as an edge."""
    graph = _graph()
    assert "graphkg.stores" in graph["graphkg.cli.context"]  # imported inside CliContext.open only
