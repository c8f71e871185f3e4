"""The cell section: the cell's equations, its weights in the model's notation and the
initial states; for the lecture's memory cell, what feeds each of its four inputs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from lstm_sym.exercises.anatomy import anatomy
from lstm_sym.exercises.cellmath import affine_tex
from lstm_sym.exercises.diagram import flow_diagram
from lstm_sym.exercises.model import CellDiagram, Exercise, FlowDiagram, T
from lstm_sym.exercises.trace import PRINTED_DECIMALS, printed
from lstm_sym.exercises.variant import Variant
from lstm_sym.model.cells import Cell
from lstm_sym.model.notation import display
from lstm_sym.model.printing import Equations

FAMILY = "cell"
# How g and h print for the activations a lecture cell may use.
_APPLY = {"identity": "{arg}", "tanh": r"\tanh({arg})", "sigmoid": r"\sigma({arg})"}


def equations_tex(v: Variant) -> str:
    """The cell's equations as the body of an aligned block (rows joined by ``\\\\``)."""
    return _equations_tex(v.model.cell)


@lru_cache(maxsize=64)  # the same cell on every sheet of a class: printed once
def _equations_tex(cell: Cell) -> str:
    rows = Equations.of(cell).latex_rows()
    return r" \\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in rows)


@lru_cache(maxsize=64)
def _flow_diagram(cell: Cell) -> FlowDiagram:
    return flow_diagram(cell)  # frozen (tuples only): safe to share between sheets


def number_tex(value: Any) -> str:
    """A weight as printed: integers plainly, others to 4 decimals.

    >>> number_tex(3), number_tex(-0.123456), number_tex(0.5)
    ('3', '-0.1235', '0.5000')
    """
    value = printed(value)
    return str(value) if isinstance(value, int) else f"{value:.{PRINTED_DECIMALS}f}"


def matrix_tex(value: Any) -> str:
    """A weight matrix (rows) or vector (a column) as a bracketed LaTeX matrix.

    >>> matrix_tex([[1, 0], [0, 2]]), matrix_tex([1, 2])
    ('\\\\begin{bmatrix} 1 & 0 \\\\\\\\ 0 & 2 \\\\end{bmatrix}', '\\\\begin{bmatrix} 1 \\\\\\\\ 2 \\\\end{bmatrix}')
    """
    arr = np.array(value, dtype=object)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.shape == (1, 1):
        return number_tex(arr[0, 0])
    body = r" \\ ".join(" & ".join(number_tex(x) for x in row) for row in arr)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def weights_tex(v: Variant) -> str:
    """Rows ``name &= matrix`` of every parameter, one row per gate, in the model's
    notation (its parameter names, printed as the model prints them)."""
    cell = v.model.cell
    groups: dict[Any, list[str]] = {}
    for prm in cell.params:
        tex = display(prm.name, lecture=cell.lecture)[1]
        groups.setdefault(prm.gate, []).append(f"{tex} = {matrix_tex(v.weights[prm.name])}")
    rows = []
    for items in groups.values():
        first, *rest = items
        lhs, rhs = first.split(" = ", 1)
        rows.append(rf"{lhs} &= {rhs}" + "".join(rf",\quad {item}" for item in rest))
    for st in cell.states:
        start = getattr(v, f"{st.name}0")
        if start is not None:
            rows.append(rf"{st.name}_{{0}} &= {matrix_tex(list(start))}")
    return r" \\ ".join(rows)


def _lecture(v: Variant) -> Exercise:
    g = _APPLY[v.cell.get("g", "identity")].format(arg="z")
    h = _APPLY[v.cell.get("h", "identity")].format(arg="c'")
    pre = [q.name for q in anatomy(v.model.cell).quantities if q.kind == "preactivation"]
    diagram = CellDiagram({name: affine_tex(v.weights, name) for name in pre},
                          f"g(z) = {g}", f"h(c') = {h}", caption=T("ex.cell.diagram_caption"))
    inputs = len(v.inputs[0])
    return Exercise(FAMILY, T("ex.cell.title"),
                    T("ex.cell.intro", n=inputs, z=diagram.inputs["z"], z_i=diagram.inputs["z_i"],
                      z_f=diagram.inputs["z_f"], z_o=diagram.inputs["z_o"], g=diagram.g,
                      h=diagram.h),
                    math=equations_tex(v), diagram=diagram)


def generate(v: Variant) -> Exercise:
    """The cell section of a variant.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> generate(lecture_variant()).diagram.inputs["z_i"]
    '100 x_{2} - 10'
    """
    if v.lecture and v.ideal and v.model.sizes["hidden"] == 1:
        return _lecture(v)
    cell = v.model.cell
    sizes = v.model.sizes
    key = "ex.cell.intro_weights" if not v.ideal else "ex.cell.intro_general"
    return Exercise(FAMILY, T("ex.cell.title_general", cell=cell.title),
                    T(key, cell=cell.title, n=sizes["input"], m=sizes["hidden"],
                      decimals=PRINTED_DECIMALS),
                    math=equations_tex(v) + r" \\[4pt] " + weights_tex(v),
                    diagram=_flow_diagram(cell))
