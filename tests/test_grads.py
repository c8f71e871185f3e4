"""Symbolic reverse mode: equals the numeric gradients, the naive diff, and is cheap."""

import numpy as np
import pytest
import sympy as sp

from lstm_sym.model.cells import build_cell
from lstm_sym.model.notation import sigma
from lstm_sym.numeric.run import gradients
from lstm_sym.numeric.symbolic_gradients import (
    carousel,
    forget_product,
    gradient_program,
    naive_gradient,
    recurrent_carousel,
)
from lstm_sym.numeric.weights import model_from_params


@pytest.mark.parametrize("kind", ["lecture", "lstm", "gru", "rnn"])
def test_symbolic_program_equals_numeric_gradients(kind):
    cell = build_cell(kind)
    steps = 3
    prog = gradient_program(cell, steps)
    rng = np.random.default_rng(5)
    values = {prm.name: float(rng.uniform(-1, 1)) for prm in cell.params}
    xs = rng.uniform(-1, 1, steps).tolist()
    init = {st.name: float(rng.uniform(-1, 1)) for st in cell.states}
    env = {sp.Symbol(k): v for k, v in values.items()}
    env.update({sp.Symbol(f"x@{t + 1}"): x for t, x in enumerate(xs)})
    env.update({sp.Symbol(f"{k}0"): v for k, v in init.items()})
    got = prog.evaluate(env)
    model = model_from_params({"cell": kind}, [{k: [[v]] for k, v in values.items()}])
    num = gradients(model, [[x] for x in xs], mode="float", h0=[init["h"]] if "h" in init
                    else None, c0=[init["c"]] if "c" in init else None)
    for name in values:
        assert abs(float(got[sp.Symbol(name)]) - float(num.params[0][name][0, 0])) < 1e-12
    for t in range(steps):
        assert abs(float(got[sp.Symbol(f"x@{t + 1}")]) - float(num.inputs[0, t, 0])) < 1e-12


def test_program_agrees_with_naive_diff_of_expanded_output():
    cell = build_cell("lstm")
    prog = gradient_program(cell, 2)
    naive = naive_gradient(cell, 2, "U_f")
    rng = np.random.default_rng(6)
    symbols = {prm.name for prm in cell.params} | {"x1", "x2", "c0", "h0"}
    point = {sp.Symbol(s): sp.Float(rng.uniform(-1, 1), 30) for s in symbols}
    prog_point = {(sp.Symbol(f"x@{k.name[1]}") if k.name in ("x1", "x2") else k): v
                  for k, v in point.items()}
    ours = prog.evaluate(prog_point)[sp.Symbol("U_f")]
    assert abs(ours - naive.evalf(30, subs=point)) < 1e-25


def test_cost_is_linear_and_within_the_cheap_gradient_bound():
    cell = build_cell("lstm")
    small, large = gradient_program(cell, 10), gradient_program(cell, 40)
    for prog in (small, large):
        assert prog.backward_ops <= 5 * prog.forward_ops
    # Linear in T: four times the steps, about four times the work.
    assert 3.6 < large.backward_ops / small.backward_ops < 4.4
    assert large.forward_ops == 4 * small.forward_ops


def test_constant_error_carousel():
    assert carousel(build_cell("lecture")) == sigma(sp.Symbol("z_f"))
    assert carousel(build_cell("lstm")) == sigma(sp.Symbol("z_f"))
    assert forget_product(2) == sigma(sp.Symbol("z_f@t")) * sigma(sp.Symbol("z_f@t-1"))


def test_recurrent_carousel_matches_finite_difference():
    cell = build_cell("lstm", bias="single")
    expr = recurrent_carousel(cell)
    rng = np.random.default_rng(7)
    point = {s: sp.Float(rng.uniform(-1, 1), 30) for s in expr.free_symbols}
    c_prev = sp.Symbol("c_prev")
    # c_t as a function of c_{t-1}, built by hand from the LSTM equations (h = o·tanh(c)).
    sym = {k: sp.Symbol(k) for k in ("W_z", "W_i", "W_f", "W_o", "U_z", "U_i", "U_f", "U_o",
                                     "b_z", "b_i", "b_f", "b_o", "x", "o_prev")}
    h = sym["o_prev"] * sp.tanh(c_prev)
    pre = {g: sym[f"W_{g}"] * sym["x"] + sym[f"U_{g}"] * h + sym[f"b_{g}"] for g in "zifo"}
    c_t = sp.tanh(pre["z"]) * sigma(pre["i"]) + c_prev * sigma(pre["f"])
    eps = sp.Float("1e-12", 30)
    at = {k: v for k, v in point.items() if k != c_prev}
    fd = (c_t.subs({**at, c_prev: point[c_prev] + eps}).rewrite(sp.exp)
          - c_t.subs({**at, c_prev: point[c_prev] - eps}).rewrite(sp.exp)) / (2 * eps)
    assert abs(expr.subs(point).rewrite(sp.exp).evalf(30) - fd.evalf(30)) < 1e-15
