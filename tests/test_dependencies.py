"""Declared dependencies are exactly the third-party packages lstm_sym imports.

The imports are read from the source with ``ast`` (nothing is imported); the declared
requirements come from the installed distribution's metadata. An import inside a
``try: … except ImportError`` block (or ``ModuleNotFoundError``) is *guarded*: it may
name an extra, and only an extra. Every other third-party import must be a base
dependency, and every base dependency must be imported somewhere.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lstm_sym"

# Import name → distribution name where they differ and the metadata lookup may miss it.
KNOWN = {"jinja2": "jinja2", "markupsafe": "markupsafe", "mpmath": "mpmath", "sympy": "sympy",
         "numpy": "numpy", "matplotlib": "matplotlib"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _guarded(node: ast.Try) -> bool:
    for handler in node.handlers:
        names = []
        if isinstance(handler.type, ast.Name):
            names = [handler.type.id]
        elif isinstance(handler.type, ast.Tuple):
            names = [e.id for e in handler.type.elts if isinstance(e, ast.Name)]
        if {"ImportError", "ModuleNotFoundError"} & set(names):
            return True
    return False


def imported_modules(root: Path = PACKAGE) -> tuple[set[str], set[str]]:
    """Top-level names of absolute imports in ``root``: (unguarded, guarded)."""
    plain: set[str] = set()
    guarded: set[str] = set()

    def visit(node: ast.AST, inside_guard: bool) -> None:
        for child in ast.iter_child_nodes(node):
            guard = inside_guard or (isinstance(node, ast.Try) and child in node.body and _guarded(node))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    (guarded if guard else plain).add(alias.name.split(".")[0])
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                (guarded if guard else plain).add(child.module.split(".")[0])
            visit(child, guard)

    for path in root.rglob("*.py"):
        visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return plain, guarded


def third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in {"lstm_sym", "__future__"}}


def distribution_of(module: str) -> str:
    dists = metadata.packages_distributions().get(module)
    if dists:
        return _norm(dists[0])
    return _norm(KNOWN.get(module, module))


def declared() -> tuple[set[str], dict[str, set[str]]]:
    """Base requirements and requirements per extra, as the installed metadata lists them."""
    try:
        requires = metadata.requires("lstm_sym") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - the README installs it
        pytest.skip("lstm_sym is not installed (pip install '.[test]'), so its metadata is missing")
    base: set[str] = set()
    extras: dict[str, set[str]] = {}
    for req in requires:
        name = _norm(re.match(r"\s*([A-Za-z0-9_.\-]+)", req).group(1))
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", req)
        if extra:
            extras.setdefault(extra.group(1), set()).add(name)
        else:
            base.add(name)
    return base, extras


def test_every_unguarded_import_is_a_base_dependency():
    plain, _ = imported_modules()
    base, _ = declared()
    missing = {m: distribution_of(m) for m in third_party(plain) if distribution_of(m) not in base}
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_every_base_dependency_is_imported():
    plain, guarded = imported_modules()
    base, _ = declared()
    used = {distribution_of(m) for m in third_party(plain | guarded)}
    assert not base - used, f"declared but never imported by lstm_sym: {sorted(base - used)}"


def test_guarded_imports_name_a_dependency_or_an_extra():
    _, guarded = imported_modules()
    base, extras = declared()
    known = base.union(*extras.values()) if extras else base
    unknown = {m for m in third_party(guarded) if distribution_of(m) not in known}
    assert not unknown, f"optional imports that no extra declares: {sorted(unknown)}"


def test_the_reader_sees_guards(tmp_path):
    # The test itself must be able to fail: a module with one plain and one guarded import.
    (tmp_path / "m.py").write_text(
        "import numpy\ntry:\n    import torch\nexcept ImportError:\n    torch = None\n"
        "def f():\n    from jinja2 import Template\n")
    plain, guarded = imported_modules(tmp_path)
    assert plain == {"numpy", "jinja2"} and guarded == {"torch"}
