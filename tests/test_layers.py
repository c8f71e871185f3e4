"""The package's layering, read from the source (ast): lower layers never import higher
ones, and the key vocabulary is defined once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import lstm_sym

ROOT = Path(lstm_sym.__file__).parent
# Lowest first (HELPERS/docs: model → numeric → key → exercises → handouts → checker →
# classroom → export → cli → api); errors, atomic and i18n are base utilities below them all.
LAYERS = ("errors", "atomic", "i18n", "model", "numeric", "key", "exercises", "handouts",
          "checker", "classroom", "export", "cli", "api")
BASE = {"errors", "atomic", "i18n"}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "lstm_sym" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every lstm_sym module a file imports, at any depth (lazy imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names
                    if node.module == "lstm_sym"]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def _own_layer(path: Path) -> str | None:
    rel = path.relative_to(ROOT)
    return _layer("lstm_sym." + ".".join(rel.with_suffix("").parts))


def test_lower_layers_never_import_higher_ones():
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        own = _own_layer(path)
        if own is None:
            continue
        for line, module in _imports(path):
            target = _layer(module)
            if target is None or target == own:
                continue
            if LAYERS.index(target) > LAYERS.index(own) and not (own in BASE
                                                                 and target in BASE):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert bad == []


def test_exercises_import_nothing_from_handouts():
    # The concrete case issue 11 names (variant.py and exercise_set.py imported Student
    # from handouts/content.py).
    offenders = [f"{p.name}:{line}" for p in sorted((ROOT / "exercises").glob("*.py"))
                 for line, module in _imports(p) if module.startswith("lstm_sym.handouts")]
    assert offenders == []


def test_key_vocabulary_is_defined_once():
    definitions = {"KINDS": [], "Tolerance": [], "Misconception": [], "Student": []}
    patterns = {name: re.compile(rf"^(?:{name}\s*=|class {name}\b)", re.M)
                for name in definitions}
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in patterns.items():
            if pattern.search(text):
                definitions[name].append(str(path.relative_to(ROOT)))
    assert definitions["KINDS"] == ["key.py"]
    assert definitions["Student"] == ["key.py"]
    # The checker keeps compiled forms (exact rationals, parsed targets) built from the
    # key's; nothing else may define its own.
    assert set(definitions["Tolerance"]) <= {"key.py", "checker/equivalence.py"}
    assert set(definitions["Misconception"]) <= {"key.py", "checker/question.py"}
    assert "key.py" in definitions["Tolerance"] and "key.py" in definitions["Misconception"]


def test_the_content_classes_are_one_set():
    from lstm_sym.exercises import model
    from lstm_sym.handouts import content

    for name in ("Step", "Table", "TableCell", "CellDiagram", "TracePlot"):
        assert getattr(content, name) is getattr(model, name), name
    assert not (ROOT / "exercises" / "sheet.py").exists()
