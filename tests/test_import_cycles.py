"""No module of lstm_sym imports itself back through a cycle (tests/test_layers.py checks the
direction between layers). Imports are read with ``ast``, so nothing is executed."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lstm_sym"

def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Absolute names of the lstm_sym modules (or packages) a file imports."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lstm_sym"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("lstm_sym"):
                continue
            names = [alias.name for alias in node.names]
            if target == "lstm_sym" and all(n.startswith("__") for n in names):
                continue  # __version__ from the package root is metadata, not the façade
            # `from lstm_sym.pkg import module` imports that module; otherwise the names
            # come from the target module itself.
            submodules = [f"{target}.{n}" for n in names
                          if (PACKAGE.parent / Path(*target.split("."), n + ".py")).exists()
                          or (PACKAGE.parent / Path(*target.split("."), n, "__init__.py")).exists()]
            found.update(submodules or [target])
    found.discard(me)
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def strongly_connected(g: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the components with more than one module are the cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in g.get(v, ()):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    # A package's __init__ re-exporting its own modules is not a cycle worth reporting.
    g = {m: {d for d in deps if not (m.startswith(d + ".") or d.startswith(m + ".") and m.count(".") < d.count("."))}
         for m, deps in graph().items()}
    assert not strongly_connected(g)


def test_the_checks_can_fail():
    assert strongly_connected({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
