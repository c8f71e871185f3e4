"""The cell model: structure, the lecture's closed form, variants and their errors."""

import pytest
import sympy as sp

from lstm_sym.errors import UserError
from lstm_sym.model.cells import CELL_KINDS, build_cell, inline
from lstm_sym.model.notation import sigma
from lstm_sym.numeric.symbolic_gradients import scalar_rhs


def test_lecture_output_expands_to_the_lecture_formula():
    # y = h(g(z) f(z_i) + c f(z_f)) f(z_o), with f = σ and g, h left generic.
    cell = build_cell("lecture", g="generic", h="generic")
    exprs = scalar_rhs(cell)
    env = {}
    for name, expr in exprs.items():
        env[name] = expr.xreplace({s: env.get(s.name, s) for s in expr.free_symbols})
    z, zi, zf, zo, c = sp.symbols("z z_i z_f z_o c")
    g, h = sp.Function("g"), sp.Function("h")
    expected = h(g(z) * sigma(zi) + c * sigma(zf)) * sigma(zo)
    expanded = env["y"].xreplace({env[k]: sp.Symbol(k) for k in ("z", "z_i", "z_f", "z_o")})
    assert sp.simplify(expanded - expected) == 0


def test_lecture_output_through_all_definitions():
    cell = build_cell("lecture", g="generic", h="generic")
    y = cell.expanded_output()
    assert y.shape == cell.output.shape
    one = y.subs({sp.Symbol("m", positive=True, integer=True): 1,
                  sp.Symbol("n", positive=True, integer=True): 3}).as_explicit()[0, 0]
    assert one.has(sp.Function("h")) and one.has(sp.Function("g"))
    assert len(one.atoms(sigma)) == 3  # the three gates


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_every_parameter_is_used_by_an_equation(kind):
    cell = build_cell(kind)
    used = set().union(*(eq.rhs.atoms(sp.MatrixSymbol) for eq in cell.equations))
    assert {prm.symbol for prm in cell.params} <= used


def test_pytorch_gate_order_maps_g_to_the_lecture_z():
    cell = build_cell("lstm", convention="pytorch")
    layout = dict(cell.torch_layout)
    assert layout["weight_ih"] == ("W_i", "W_f", "W_z", "W_o")
    assert layout["bias_hh"] == ("bh_i", "bh_f", "bh_z", "bh_o")
    gru = dict(build_cell("gru", convention="pytorch").torch_layout)
    assert gru["weight_hh"] == ("U_r", "U_u", "U_n")


def test_diagonal_peephole_output_gate_reads_the_new_cell_state():
    cell = build_cell("lstm", peephole="diagonal")
    z_o = cell.equation("z_o").rhs
    names = {s.name for s in z_o.atoms(sp.MatrixSymbol)}
    assert "c" in names and "c_prev" not in names
    assert {s.name for s in cell.equation("z_f").rhs.atoms(sp.MatrixSymbol)} >= {"c_prev", "p_f"}


def test_lecture_peephole_uses_full_matrices_on_all_four_inputs():
    cell = build_cell("lstm", peephole="lecture")
    peeps = [prm for prm in cell.params if prm.role == "peephole"]
    assert len(peeps) == 4 and all(prm.shape[0] == prm.shape[1] for prm in peeps)


def test_gru_forms_differ_where_the_reset_gate_acts():
    after = build_cell("gru", gru_form="after", bias="double").equation("z_n").rhs
    before = build_cell("gru", gru_form="before", bias="double").equation("z_n").rhs
    assert after != before
    assert any(isinstance(a, sp.HadamardProduct) for a in after.args)  # r ⊙ (U h + b)
    assert any(isinstance(a, sp.MatMul) and any(isinstance(b, sp.HadamardProduct)
                                                for b in a.args) for a in before.args)


def test_inline_substitutes_gates():
    cell = build_cell("lecture")
    kept = inline(cell.equations, keep=("z", "z_i", "z_f", "z_o", "c_new"))
    assert kept[-1].rhs.atoms(sp.MatrixSymbol) >= {cell.equation("c_new").lhs}


@pytest.mark.parametrize("kwargs, option", [
    ({"kind": "nope"}, "--cell"),
    ({"kind": "gru", "proj": True}, "--proj"),
    ({"kind": "rnn", "peephole": "diagonal"}, "--peephole"),
    ({"kind": "lstm", "bias": "triple"}, "--bias"),
    ({"kind": "gru", "g": "tanh"}, "--g"),
    ({"kind": "ffn", "bias": "double"}, "--bias"),
])
def test_bad_options_name_the_option(kwargs, option):
    kind = kwargs.pop("kind")
    with pytest.raises(UserError, match=option):
        build_cell(kind, **kwargs)
