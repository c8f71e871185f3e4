"""Every variant prints in every format; JSON reads back; LaTeX compiles."""

import json
import shutil
import subprocess

import pytest
import sympy as sp

from lstm_sym.model.cells import build_cell
from lstm_sym.model.printing import (
    FORMATS,
    Equations,
    PlainPrinter,
    _scalar_shadow,
    format_equations,
    parse_plain,
)

VARIANTS = [
    ("lecture", {}), ("lecture", {"g": "generic", "h": "generic"}), ("lecture", {"g": "tanh"}),
    ("lstm", {}), ("lstm", {"peephole": "lecture"}), ("lstm", {"peephole": "diagonal"}),
    ("lstm", {"proj": True}), ("lstm", {"convention": "pytorch"}), ("lstm", {"bias": "none"}),
    ("gru", {}), ("gru", {"gru_form": "before"}), ("gru", {"convention": "pytorch"}),
    ("rnn", {}), ("ffn", {}),
]
IDS = [f"{k}-{'-'.join(f'{a}={b}' for a, b in o.items()) or 'default'}" for k, o in VARIANTS]


@pytest.mark.parametrize("kind, options", VARIANTS, ids=IDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_prints_in_every_format(kind, options, fmt):
    text = format_equations(Equations.of(build_cell(kind, **options)), fmt)
    assert text.strip()
    if fmt == "json":
        json.loads(text)


@pytest.mark.parametrize("kind, options", VARIANTS, ids=IDS)
def test_json_rhs_parses_back(kind, options):
    eqs = Equations.of(build_cell(kind, **options))
    data = eqs.as_dict()
    assert data["cell"] == kind
    for entry, eq in zip(data["equations"], eqs.items):
        assert set(entry) >= {"name", "lhs", "rhs", "latex"}
        assert sp.simplify(parse_plain(entry["rhs"]) - _scalar_shadow(eq.rhs)) == 0


def test_lecture_form_reads_like_the_lecture():
    text = Equations.of(build_cell("lecture", g="generic", h="generic")).unicode()
    assert "c′ = g(z) ⊙ σ(z_i) + c ⊙ σ(z_f)" in text
    assert "y = h(c′) ⊙ σ(z_o)" in text


def test_gates_layout_for_the_lstm():
    rows = dict(Equations.of(build_cell("lstm")).latex_rows())
    assert rows["c_{t}"] == r"\tanh(z) \odot i + c_{t-1} \odot f"
    assert rows["f"] == r"\sigma(z_{f})"


def test_jupyter_repr_is_math():
    assert Equations.of(build_cell("gru"))._repr_latex_().startswith("$$\\begin{aligned}")


def test_plain_printer_is_one_line():
    text = PlainPrinter({"order": "none"}).doprint(build_cell("gru").equations[-1].rhs)
    assert "\n" not in text and text.count("(") == text.count(")")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_every_variant_compiles_with_pdflatex(tmp_path):
    blocks = "\n".join(Equations.of(build_cell(k, **o)).latex() for k, o in VARIANTS)
    doc = Equations.of(build_cell("lecture")).latex(standalone=True)
    doc = doc.replace("\\end{document}", blocks + "\n\\end{document}")
    (tmp_path / "eq.tex").write_text(doc)
    result = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode",
                             "-halt-on-error", "eq.tex"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "eq.pdf").exists()
