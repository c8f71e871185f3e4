"""Gradient: ∂c_t/∂c_{t−1}, the effect of c_k on y_t over several steps, and why the forget
gate lets the error flow.

The one-step factor is differentiated symbolically from the cell's equation for c′;
the effect over several steps is the library's backpropagation through time from
an initial memory c_k; across a reset it is the product of the one-step factors.
Misconceptions are the same computations on an altered cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import mpmath
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from lstm_sym.exercises.alternatives import FEEDBACK, alternative_rows
from lstm_sym.exercises.cellmath import affine, reached, weights_from_key, weights_key
from lstm_sym.exercises.formatting import distinct_misconceptions, key_number, tex_factor, tex_number
from lstm_sym.exercises.model import EXACT, IDEAL, Exercise, Misconception, Question, Step, T
from lstm_sym.exercises.variant import Variant, keep_span, reset_span
from lstm_sym.model.cells import Cell, build_cell, inline
from lstm_sym.model.notation import m, n, sigma
from lstm_sym.model.printing import Equations, TexPrinter
from lstm_sym.numeric.run import gradients
from lstm_sym.numeric.weights import Model

FAMILY = "gradient"


KEEP = ("z", "z_i", "z_f", "z_o", "c_new", "y")
# Marks: the one-step factor is a derivative (2); the effect over several steps is a chain
# through the trace (3); across a reset a product (2); naming the gate is 1.
POINTS = {"local": 2, "keep": 3, "reset": 2, "flow": 1}


@cache
def scalar_equation(name: str, cell_kind: str = "lecture") -> tuple[sp.Expr, dict[str, sp.Symbol]]:
    """The cell's equation for `name` for one memory cell, in plain symbols of the
    pre-activations, the memory c and the new memory c_new (from the cell's equations).

    >>> scalar_equation("y")[0]
    c_new*sigma(z_o)
    """
    cell = build_cell(cell_kind)
    eq = next(e for e in inline(cell.equations, KEEP) if e.name == name)
    entry = eq.rhs.subs({m: 1, n: 1}).as_explicit()[0, 0]
    scalars = {el.parent.name: el for el in entry.atoms(MatrixElement)}
    plain = {key: sp.Symbol(key) for key in scalars}
    return entry.xreplace({el: plain[key] for key, el in scalars.items()}), plain


@cache
def local_factors(cell_kind: str = "lecture") -> tuple[sp.Expr, sp.Expr, dict[str, sp.Expr]]:
    """∂c′/∂c and ∂c′/∂z of one memory cell as scalar expressions, and the scalar
    symbols they use (the cell's equation, differentiated).

    >>> dc, dz, _ = local_factors()
    >>> dc, dz
    (sigma(z_f), sigma(z_i))
    """
    expr, plain = scalar_equation("c_new", cell_kind)
    return sp.diff(expr, plain["c"]), sp.diff(expr, plain["z"]), plain


@cache
def read_factor(cell_kind: str = "lecture") -> sp.Expr:
    """∂y/∂c′ of one memory cell: how the output reads the new memory.

    >>> read_factor()
    sigma(z_o)
    """
    expr, plain = scalar_equation("y", cell_kind)
    return sp.diff(expr, plain["c_new"])


def memory_equation_tex() -> str:
    """c′ = … as the model's printer writes it, with g left generic (the lecture's form)."""
    cell = build_cell("lecture", g="generic", h="generic")
    rows = dict(Equations.of(cell, scalar=True).latex_rows())
    return "c' = " + rows["c'"]


def _at_step(expr: sp.Expr, step: int | str) -> str:
    """LaTeX of `expr` with every pre-activation marked with its step, z_f -> z_f^{(j)}."""
    tex = sp.latex(expr)
    for name in ("z_i", "z_f", "z_o"):
        tex = tex.replace(sp.latex(sp.Symbol(name)), rf"{sp.latex(sp.Symbol(name))}^{{({step})}}")
    return tex


def pre_of_gate(cell_kind: str = "lecture") -> dict[str, str]:
    """Which gate each pre-activation feeds, read off the cell's gate equations.

    >>> pre_of_gate()
    {'z_i': 'i', 'z_f': 'f', 'z_o': 'o'}
    """
    return pre_of_gate_of(build_cell(cell_kind))


def _in_inputs(expr: sp.Expr, weights: dict[str, Any]) -> sp.Expr:
    """Replace the pre-activations in `expr` (z, z_i, z_f, z_o) by their formulas in x1,
    x2, x3."""
    return expr.xreplace({sp.Symbol(name): affine(weights, name)
                          for name in ("z", "z_i", "z_f", "z_o")
                          if sp.Symbol(name) in expr.free_symbols})


def _local(v: Variant) -> Question:
    """The local factor ∂c′/∂c in the inputs; it reads only the weights of the
    pre-activations in the factor and its misconception, so a class shares it."""
    dc, dz, _ = local_factors()
    cell = v.model.cell
    read = frozenset().union(*(reached(cell, str(s)) for s in dc.free_symbols | dz.free_symbols))
    return _local_question(weights_key(v.weights, cell, lambda prm: prm.name in read),
                           len(v.inputs[0]))


@cache
def _local_question(read: tuple[tuple[str, Any], ...], inputs: int) -> Question:
    weights = weights_from_key(read)
    dc, dz, plain = local_factors()
    answer = _in_inputs(dc, weights)
    without_forget = dc.xreplace({sigma(plain["z_f"]): sp.Integer(1)})  # c′ = g(z)σ(z_i) + c
    candidates = [Misconception("input_gate", str(_in_inputs(dz, weights)),
                                T("ex.mc.grad.input_gate")),
                  Misconception("no_forget_gate", str(without_forget),
                                T("ex.mc.grad.no_forget_gate"))]
    steps = (Step(T("ex.grad.sol.local"),
                  rf"{memory_equation_tex()} \;\Rightarrow\; "
                  rf"\frac{{\partial c'}}{{\partial c}} = {sp.latex(dc)}", f"${sp.latex(dc)}$"),
             Step(T("ex.grad.sol.local_inputs"), rf"{sp.latex(dc)} = {sp.latex(answer)}",
                  f"${sp.latex(answer)}$"))
    variables = tuple(f"x{k}" for k in range(1, inputs + 1))
    return Question(f"{FAMILY}.local", FAMILY, "expression", T("ex.grad.q.local"), str(answer),
                    variables=variables, display=sp.latex(answer), solution=steps,
                    points=POINTS["local"],
                    misconceptions=distinct_misconceptions("expression", (str(answer),), EXACT,
                                                           candidates))


def dy_dc(model: Model, inputs, k: int, t: int, mode: str) -> Any:
    """∂y_t/∂c_k (1-based steps) by backpropagation through steps k+1 … t."""
    seq = [list(step) for step in inputs[k:t]]
    upstream = [[0]] * (len(seq) - 1) + [[1]]
    grads = gradients(model, seq, upstream=upstream, mode=mode, c0=[0], dps=50)
    return grads.initial["c0"][0, 0, 0]


def _product_tex(values) -> str:
    return r" \cdot ".join(tex_factor(x) for x in values)


def _keep(v: Variant) -> Question:
    k, t = keep_span(v.trace("ideal"))
    ideal_rows, exact_rows = v.trace("ideal"), v.trace("exact")
    ideal, exact = dy_dc(v.model, v.inputs, k, t, "ideal"), dy_dc(v.model, v.inputs, k, t, "exact")
    alt = alternative_rows(v, "forget_ignored")  # ideal 0/1 gates: exact at any precision
    forgetful = alt[t - 1]["o"] * mpmath.fprod(alt[j - 1]["f"] for j in range(k + 1, t + 1))

    def factors(rows: list[dict]) -> list:  # σ(z_o) at t, then σ(z_f) from k+1 to t
        return [rows[t - 1]["o"]] + [rows[j - 1]["f"] for j in range(k + 1, t + 1)]

    dc, _, _ = local_factors()
    chain = rf"{_at_step(read_factor(), t)} \prod_{{j={k + 1}}}^{{{t}}} {_at_step(dc, 'j')}"
    steps = (
        Step(T("ex.grad.sol.chain", k=k, t=t),
             rf"\frac{{\partial y_{{{t}}}}}{{\partial c_{{{k}}}}} = {chain}", f"${chain}$"),
        Step(T("ex.grad.sol.chain_ideal"), rf"= {_product_tex(factors(ideal_rows))} = "
                                           rf"{tex_number(ideal)}", f"${tex_number(ideal)}$"),
        Step(T("ex.grad.sol.chain_exact"),
             rf"= {_product_tex(factors(exact_rows))} = {tex_number(exact)}",
             f"${tex_number(exact)}$"),
    )
    return _ideal_exact_question("keep", T("ex.grad.q.keep", k=k, t=t), ideal, exact, steps,
                                 "forget_ignored", forgetful)


def _reset(v: Variant) -> Question:
    k, r = reset_span(v.trace("ideal"))
    span = range(k + 1, r + 1)
    with mpmath.workdps(50):
        ideal = mpmath.fprod(v.trace("ideal")[j - 1]["f"] for j in span)
        exact = mpmath.fprod(v.trace("exact")[j - 1]["f"] for j in span)
        kept = mpmath.fprod(alternative_rows(v, "no_reset")[j - 1]["f"] for j in span)
    product = rf"\prod_{{j={k + 1}}}^{{{r}}} {_at_step(local_factors()[0], 'j')}"
    steps = (
        Step(T("ex.grad.sol.product", k=k, t=r),
             rf"\frac{{\partial c_{{{r}}}}}{{\partial c_{{{k}}}}} = {product}", f"${product}$"),
        Step(T("ex.grad.sol.chain_ideal"),
             rf"= {_product_tex(v.trace('ideal')[j - 1]['f'] for j in span)} = "
             rf"{tex_number(ideal)}", f"${tex_number(ideal)}$"),
        Step(T("ex.grad.sol.chain_exact"),
             rf"= {_product_tex(v.trace('exact')[j - 1]['f'] for j in span)} = "
             rf"{tex_number(exact)}", f"${tex_number(exact)}$"),
        Step(T("ex.grad.sol.blocked", t=r),
             rf"{_at_step(local_factors()[0], r)} = "
             rf"\sigma({tex_number(v.trace('ideal')[r - 1]['z_f'])}) = "
             rf"{tex_number(v.trace('exact')[r - 1]['f'])}",
             rf"$\approx {tex_number(v.trace('ideal')[r - 1]['f'])}$"),
    )
    return _ideal_exact_question("reset", T("ex.grad.q.reset", k=k, t=r), ideal, exact, steps,
                                 "no_reset", kept)


def _ideal_exact_question(name: str, prompt, ideal, exact, steps, mistake: str,
                          mistaken) -> Question:
    """A number question whose ideal (0/1 gates) and exact answers are both right, with the
    one misconception computed from an altered model (`mistaken`)."""
    answer, exact_key = key_number(ideal), key_number(exact)
    candidates = [Misconception(mistake, key_number(mistaken), FEEDBACK[mistake])]
    return Question(f"{FAMILY}.{name}", FAMILY, "number", prompt, answer,
                    IDEAL, exact=exact_key, exact_display=tex_number(exact), accept=(exact_key,),
                    solution=steps, points=POINTS[name],
                    misconceptions=distinct_misconceptions("number", (answer, exact_key), IDEAL,
                                                           candidates))


def _flow(v: Variant) -> Question:
    dc, _, _plain = local_factors()
    # The gate whose σ is the one-step factor: its argument is that gate's pre-activation.
    (arg,) = {f.args[0] for f in dc.atoms(sigma)}
    answer = pre_of_gate()[str(arg)]
    choices = tuple(pre_of_gate().values())
    candidates = [Misconception(f"gate_{g}", g, T(f"ex.mc.grad.gate_{g}"))
                  for g in choices if g != answer]
    steps = (Step(T("ex.grad.sol.flow"), rf"\frac{{\partial c'}}{{\partial c}} = {sp.latex(dc)}",
                  f"${answer}$"),)
    return Question(f"{FAMILY}.flow", FAMILY, "choice", T("ex.grad.q.flow"), answer,
                    choices=choices, solution=steps, points=POINTS["flow"],
                    misconceptions=distinct_misconceptions("choice", (answer,), EXACT,
                                                           candidates))


# --- any other cell: the direct path of its carried state ---------------------------------


@dataclass(frozen=True)
class CarriedState:
    """A state the cell carries with a direct path from its previous value (LSTM's c, GRU's
    h): the state's equation for one unit, and its derivative along that path."""

    name: str  # "c" or "h"
    new_tex: str  # as the sheet prints it, e.g. "c_{t}"
    prev_tex: str  # e.g. "c_{t-1}"
    rhs_tex: str  # the right-hand side, printed by the model's printer (scalar form)
    factor: sp.Expr  # ∂new/∂prev with the pre-activations held fixed, e.g. sigma(z_f)
    variables: tuple[str, ...]  # the names the equation uses besides the state


@cache
def carried_state(cell: Cell) -> CarriedState | None:
    """The cell's first carried state with a direct path, from its equations.

    >>> carried_state(build_cell("gru")).factor
    sigma(z_u)
    >>> carried_state(build_cell("rnn")) is None
    True
    """
    keep = tuple(e.name for e in cell.equations if e.kind != "gate")
    eqs = inline(cell.equations, keep)
    printer = TexPrinter(cell.lecture, True)
    for state in cell.states:
        eq = next(e for e in eqs if e.lhs == state.new)
        entry = eq.rhs.subs({m: 1, n: 1}).as_explicit()[0, 0]
        scalars = {el.parent.name: el for el in entry.atoms(MatrixElement)}
        if state.prev.name not in scalars:
            continue
        plain = {key: sp.Symbol(key) for key in scalars}
        expr = entry.xreplace({el: plain[key] for key, el in scalars.items()})
        factor = sp.diff(expr, plain[state.prev.name])
        if not factor.atoms(sigma):
            continue
        return CarriedState(state.name, printer.doprint(state.new), printer.doprint(state.prev),
                            printer.doprint(eq.rhs), factor,
                            tuple(sorted(k for k in plain if k != state.prev.name)))
    return None


def supports(v: Variant) -> bool:
    """The lecture cell with its memory puzzle, or any cell with a gated carried state."""
    if v.lecture:
        return bool(v.memory_inputs)
    return carried_state(v.model.cell) is not None


def _cell_local(v: Variant, state: CarriedState) -> Question:
    gates = pre_of_gate_of(v.model.cell)
    (arg,) = {f.args[0] for f in state.factor.atoms(sigma)}
    others = [Misconception(f"gate_{g}", str(sigma(sp.Symbol(pre))),
                            T("ex.mc.grad.cell_other_gate", gate=f"${g}$"))
              for pre, g in gates.items() if pre != str(arg) and pre in state.variables]
    others.append(Misconception("complement", str(1 - state.factor),
                                T("ex.mc.grad.cell_complement")))
    answer = str(state.factor)
    words = {"cell": v.model.cell.title, "new": state.new_tex, "prev": state.prev_tex,
             "names": tuple(f"${sp.latex(sp.Symbol(x))}$" for x in state.variables)}
    steps = (Step(T("ex.grad.sol.cell_local", **words),
                  rf"{state.new_tex} = {state.rhs_tex} \;\Rightarrow\; "
                  rf"\frac{{\partial {state.new_tex}}}{{\partial {state.prev_tex}}} = "
                  rf"{sp.latex(state.factor)}", f"${sp.latex(state.factor)}$"),)
    return Question(f"{FAMILY}.local", FAMILY, "expression", T("ex.grad.q.cell_local", **words),
                    answer, variables=state.variables, display=sp.latex(state.factor),
                    solution=steps, points=POINTS["local"],
                    misconceptions=distinct_misconceptions("expression", (answer,), EXACT, others))


def _cell_flow(v: Variant, state: CarriedState) -> Question:
    gates = pre_of_gate_of(v.model.cell)
    (arg,) = {f.args[0] for f in state.factor.atoms(sigma)}
    answer = gates[str(arg)]
    choices = tuple(gates.values())
    candidates = [Misconception(f"gate_{g}", g, T("ex.mc.grad.cell_other_gate", gate=f"${g}$"))
                  for g in choices if g != answer]
    steps = (Step(T("ex.grad.sol.cell_flow", gate=f"${answer}$"),
                  rf"\frac{{\partial {state.new_tex}}}{{\partial {state.prev_tex}}} = "
                  rf"{sp.latex(state.factor)} = {answer}", f"${answer}$"),)
    return Question(f"{FAMILY}.flow", FAMILY, "choice",
                    T("ex.grad.q.cell_flow", new=state.new_tex, prev=state.prev_tex,
                      choices=tuple(choices)),
                    answer, choices=choices, solution=steps, points=POINTS["flow"],
                    misconceptions=distinct_misconceptions("choice", (answer,), EXACT,
                                                           candidates))


@cache
def pre_of_gate_of(cell: Cell) -> dict[str, str]:
    """:func:`pre_of_gate` of a given cell."""
    out = {}
    for eq in cell.equations:
        if eq.kind == "gate":
            (pre,) = [a.name for a in eq.rhs.atoms(sp.MatrixSymbol)]
            out[pre] = eq.name
    return out


def generate(v: Variant) -> Exercise:
    """The gradient exercise: through the lecture's trace for the lecture's cell; the direct
    path of the carried state for any other gated cell.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [q.answer for q in generate(lecture_variant()).questions]
    ['sigma(100*x2 + 10)', '1', '0', 'f']
    """
    if not v.lecture:
        state = carried_state(v.model.cell)
        return Exercise(FAMILY, T("ex.grad.title_cell"), T("ex.grad.intro_cell"),
                        (_cell_local(v, state), _cell_flow(v, state)))
    return Exercise(FAMILY, T("ex.grad.title"), T("ex.grad.intro"),
                    (_local(v), _keep(v), _reset(v), _flow(v)))
