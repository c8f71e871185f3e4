"""The cell section: the equations the exercises use and what feeds each of the four inputs."""

from __future__ import annotations

from lstm_sym.exercises.cellmath import affine_tex
from lstm_sym.exercises.model import CellDiagram, Exercise, T
from lstm_sym.exercises.variant import Variant
from lstm_sym.model.printing import Equations

FAMILY = "cell"
# How g and h print for the activations a lecture cell may use.
_APPLY = {"identity": "{arg}", "tanh": r"\tanh({arg})", "sigmoid": r"\sigma({arg})"}


def equations_tex(v: Variant) -> str:
    """The cell's equations as the body of an aligned block (rows joined by ``\\\\``)."""
    rows = Equations.of(v.model.cell).latex_rows()
    return r" \\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in rows)


def generate(v: Variant) -> Exercise:
    """The cell section of a variant.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> generate(lecture_variant()).diagram.inputs["z_i"]
    '100 x_{2} - 10'
    """
    g = _APPLY[v.cell.get("g", "identity")].format(arg="z")
    h = _APPLY[v.cell.get("h", "identity")].format(arg="c'")
    diagram = CellDiagram({name: affine_tex(v.weights, name) for name in ("z", "z_i", "z_f", "z_o")},
                          f"g(z) = {g}", f"h(c') = {h}", caption=T("ex.cell.diagram_caption"))
    inputs = len(v.inputs[0])
    return Exercise(FAMILY, T("ex.cell.title"),
                    T("ex.cell.intro", n=inputs, z=diagram.inputs["z"], z_i=diagram.inputs["z_i"],
                      z_f=diagram.inputs["z_f"], z_o=diagram.inputs["z_o"], g=diagram.g,
                      h=diagram.h),
                    math=equations_tex(v), diagram=diagram)
