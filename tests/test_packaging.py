"""The installed package contains every subpackage and the templates."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    text = (ROOT / "pyproject.toml").read_text()
    listed = set(re.findall(r'"(lstm_sym[\w.]*)"', text.split("packages = [", 1)[1].split("]")[0]))
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "lstm_sym").rglob("__init__.py") if "__pycache__" not in p.parts}
    assert found <= listed, f"add to pyproject packages: {sorted(found - listed)}"
    assert "lstm_sym.templates" in listed and (ROOT / "templates").is_dir()
