"""Shapes: the dimension of each matrix and vector in the vector and recurrent forms.

Shapes are read off the cells' symbolic tensors (W_z is m×n because the cell
declares it so) and put at the variant's sizes; misconceptions transpose them, use
the input size for a state, or forget the recurrent block.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import sympy as sp

from lstm_sym.exercises.formatting import distinct_misconceptions
from lstm_sym.exercises.model import EXACT, Exercise, Misconception, Question, Step, T, Text
from lstm_sym.exercises.param_count import at
from lstm_sym.exercises.variant import Variant
from lstm_sym.model.cells import Cell, build_cell
from lstm_sym.model.notation import m, n
from lstm_sym.model.printing import TexPrinter

FAMILY = "shapes"
# Marks: one shape read off one tensor is 1; a stacked or PyTorch-packed tensor needs its
# parts added up (2).
POINTS = {"W_z": 1, "b_i": 1, "z": 1, "c_prev": 1, "U_f": 1, "W_f_stacked": 2, "weight_ih": 2}


def points(shape: Shape) -> int:
    """Marks of a shape question: 2 where parts are put together (stacked, packed), else 1."""
    return POINTS.get(shape.name, 2 if shape.reason in ("cell_stacked", "cell_torch") else 1)


@dataclass(frozen=True)
class Shape:
    """A symbolic (rows, cols) and where it comes from."""

    name: str  # question id suffix
    tex: str  # how the sheet names it
    rows: sp.Expr
    cols: sp.Expr
    form: str  # "vector" (the lecture's cell), "recurrent" (the LSTM), "pytorch", or
    #            "cell" / "cell_pytorch" (the sheet's own cell)
    reason: str  # message key suffix
    words: tuple[tuple[str, object], ...] = ()  # further message parameters


def _param(cell, name: str) -> tuple[sp.Expr, sp.Expr]:
    return cell.param(name).shape


@cache
def shapes() -> tuple[Shape, ...]:
    """The shapes asked about, from the cells.

    >>> [(s.name, s.rows, s.cols) for s in shapes()][:2]
    [('W_z', m, n), ('b_i', m, 1)]
    """
    lecture = build_cell("lecture")
    lstm = build_cell("lstm", bias="single")
    torch = build_cell("lstm", convention="pytorch")
    z = lecture.equation("z").lhs.shape
    c_prev = lecture.states[0].prev.shape
    w_f, u_f = _param(lstm, "W_f"), _param(lstm, "U_f")
    stacked = dict(torch.torch_layout)["weight_ih"]
    ih_rows = sum((_param(torch, name)[0] for name in stacked), sp.Integer(0))
    return (
        Shape("W_z", "W_z", *_param(lecture, "W_z"), "vector", "input_weight"),
        Shape("b_i", "b_i", *_param(lecture, "b_i"), "vector", "bias"),
        Shape("z", "z", *z, "vector", "per_cell"),
        Shape("c_prev", "c_{t-1}", *c_prev, "vector", "per_cell"),
        Shape("U_f", "U_f", *u_f, "recurrent", "recurrent_weight"),
        # One gate's weights acting on the stacked [x_t; h_{t-1}]: W_f and U_f side by side.
        Shape("W_f_stacked", r"[W_f \; U_f]", w_f[0], w_f[1] + u_f[1], "recurrent", "stacked"),
        Shape("weight_ih", r"\texttt{weight\_ih\_l0}", ih_rows, _param(torch, "W_i")[1],
              "pytorch", "torch"),
    )


def _at(expr: sp.Expr, sizes: dict[str, int]) -> int:
    return at(sp.sympify(expr), sizes)


@cache
def _tex(expr: sp.Expr, order: str | None = None) -> str:
    """SymPy's LaTeX of a dimension, once per dimension (a class shares them)."""
    return sp.latex(expr, order=order)


def _dim_tex(dim: sp.Expr) -> str:
    text = _tex(dim, "lex")
    return rf"\left({text}\right)" if isinstance(dim, sp.Add) else text


def _vector(rows, cols) -> str:
    return f"[{rows}, {cols}]"


def _alternatives(shape: Shape) -> list[tuple[str, sp.Expr, sp.Expr]]:
    out = [("transposed", shape.cols, shape.rows)]
    if shape.cols == 1:
        out.append(("input_size", n, sp.Integer(1)))
    if shape.reason == "recurrent_weight":
        out.append(("input_size", shape.rows, n))
    if shape.reason in ("stacked", "cell_stacked"):
        out.append(("no_recurrent", shape.rows, n))
    if shape.form in ("pytorch", "cell_pytorch"):
        out.append(("one_gate", m, shape.cols))
    return out


def _question(shape: Shape, sizes: dict[str, int]) -> Question:
    symbolic = shape.form in ("pytorch", "cell_pytorch")  # asked in terms of n and m
    if symbolic:
        answer = _vector(shape.rows, shape.cols)
        display_tex = rf"[{_tex(shape.rows)}, {_tex(shape.cols)}]"
    else:
        answer = _vector(_at(shape.rows, sizes), _at(shape.cols, sizes))
        display_tex = answer
    candidates = []
    for mc, rows, cols in _alternatives(shape):
        text = _vector(rows, cols) if symbolic else _vector(_at(rows, sizes), _at(cols, sizes))
        candidates.append(Misconception(mc, text, T(f"ex.mc.shapes.{mc}")))
    mcs = distinct_misconceptions("vector", (answer,), EXACT, candidates)
    sym = rf"\mathbb{{R}}^{{{_dim_tex(shape.rows)} \times {_dim_tex(shape.cols)}}}"
    steps = [Step(T(f"ex.shapes.sol.{shape.reason}", name=shape.tex, **dict(shape.words)),
                  rf"{shape.tex} \in {sym}",
                  f"${display_tex}$" if symbolic else
                  f"$[{_tex(shape.rows)}, {_tex(shape.cols, 'lex')}]$")]
    if not symbolic:
        steps.append(Step(T("ex.shapes.sol.at", n=sizes["n"], m=sizes["m"]),
                          rf"{sym} = \mathbb{{R}}^{{{_at(shape.rows, sizes)} \times "
                          rf"{_at(shape.cols, sizes)}}}", f"${display_tex}$"))
    prompt: Text = T(f"ex.shapes.q.{shape.form}", name=shape.tex, n=sizes["n"], m=sizes["m"],
                     **dict(shape.words))
    return Question(f"{FAMILY}.{shape.name}", FAMILY, "vector", prompt, answer, EXACT,
                    variables=("m", "n") if symbolic else (), display=display_tex,
                    solution=tuple(steps), misconceptions=mcs, points=points(shape))


@cache
def cell_shapes(cell: Cell) -> tuple[Shape, ...]:
    """The shapes of a sheet's own cell: its first block's matrices and bias, its states,
    one block's weights on the stacked [x_t; h_{t-1}], and PyTorch's packed weight_ih.

    >>> [(s.name, s.rows, s.cols) for s in cell_shapes(build_cell("gru"))][:3]
    [('W_r', m, n), ('U_r', m, m), ('b_r', m, 1)]
    """
    printer = TexPrinter(cell.lecture)
    first = cell.params[0].gate
    block = [prm for prm in cell.params if prm.gate == first]
    by_role = {prm.role: prm for prm in reversed(block)}  # the first of each role wins
    out = []
    for role, reason in (("input weight", "input_weight"), ("recurrent weight",
                                                             "recurrent_weight")):
        if role in by_role:
            prm = by_role[role]
            out.append(Shape(prm.name, printer.doprint(prm.symbol), *prm.shape, "cell", reason,
                             (("cell", cell.title),)))
    bias = next((prm for prm in block if "bias" in prm.role), None)
    if bias is not None:
        out.append(Shape(bias.name, printer.doprint(bias.symbol), *bias.shape, "cell", "bias",
                         (("cell", cell.title),)))
    for state in cell.states:
        out.append(Shape(f"{state.name}_prev", printer.doprint(state.prev), *state.prev.shape,
                         "cell", "per_cell", (("cell", cell.title),)))
    if "input weight" in by_role and "recurrent weight" in by_role:
        w, u = by_role["input weight"], by_role["recurrent weight"]
        w_tex, u_tex = printer.doprint(w.symbol), printer.doprint(u.symbol)
        out.append(Shape(f"{w.name}_stacked", rf"[{w_tex} \; {u_tex}]", w.shape[0],
                         w.shape[1] + u.shape[1], "cell", "cell_stacked",
                         (("cell", cell.title), ("w", w_tex), ("u", u_tex))))
    layout = dict(cell.torch_layout)
    if "weight_ih" in layout:
        packed = layout["weight_ih"]
        rows = sum((cell.param(name).shape[0] for name in packed), sp.Integer(0))
        names = tuple(f"${printer.doprint(cell.param(name).symbol)}$" for name in packed)
        out.append(Shape("weight_ih", r"\texttt{weight\_ih\_l0}", rows,
                         cell.param(packed[0]).shape[1], "cell_pytorch", "cell_torch",
                         (("cell", cell.title), ("names", names))))
    return tuple(out)


def generate(v: Variant) -> Exercise:
    """The shapes exercise: the lecture's vector and recurrent forms for the lecture's cell,
    the sheet's own cell's tensors for any other.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [q.answer for q in generate(lecture_variant()).questions][:3]
    ['[2, 3]', '[2, 1]', '[2, 1]']
    """
    # Only the sizes (and for another cell, the cell) change between variants.
    return _exercise(None if v.lecture else v.model.cell, v.sizes["n"], v.sizes["m"])


@lru_cache(maxsize=256)
def _exercise(cell: Cell | None, n: int, m: int) -> Exercise:
    """The exercise for the lecture's forms (`cell` None) or a sheet's own cell."""
    asked = shapes() if cell is None else cell_shapes(cell)
    sizes = {"n": n, "m": m}
    return Exercise(FAMILY, T("ex.shapes.title"), T("ex.shapes.intro", n=n, m=m),
                    tuple(_question(s, sizes) for s in asked))
