"""Symbolic gradients through time, built over the equation graph.

Reverse mode over named intermediates: every forward value and every adjoint
gets its own symbol, so expressions stay the size of one equation and the
gradient program grows linearly in T (the cheap-gradient principle). Calling
``sympy.diff`` on the fully expanded output instead is exponential in T.

Also the closed-form facts the lecture leans on: the constant error carousel
∂c_t/∂c_{t−1} = σ(z_f), and the product of forget gates over k steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from lstm_sym.model.cells import Cell
from lstm_sym.model.notation import m, n, p
from lstm_sym.numeric.backends import SYMBOLIC
from lstm_sym.numeric.program import Program


@dataclass
class GradProgram:
    """Straight-line code: `forward` then `backward` assignments ``symbol = expr``.

    `gradients` maps each parameter entry, input and initial-state symbol to the
    symbol (or expression) holding dL/d(that).
    """

    cell: Cell
    steps: int
    forward: list[tuple[sp.Symbol, sp.Expr]] = field(default_factory=list)
    backward: list[tuple[sp.Symbol, sp.Expr]] = field(default_factory=list)
    loss: sp.Expr = sp.Integer(0)
    gradients: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    @staticmethod
    def _ops(assignments) -> int:
        return sum(sp.count_ops(expr) for _, expr in assignments)

    @property
    def forward_ops(self) -> int:
        return self._ops(self.forward)

    @property
    def backward_ops(self) -> int:
        return self._ops(self.backward) + sum(sp.count_ops(e) for e in self.gradients.values())

    def evaluate(self, values: dict[sp.Symbol, float]) -> dict[sp.Symbol, float]:
        """Run the program on numbers (for tests): returns every gradient's value."""
        env = dict(values)
        for sym, expr in self.forward + self.backward:
            env[sym] = sp.N(expr.xreplace(env), 30)
        return {k: sp.N(sp.sympify(v).xreplace(env), 30) for k, v in self.gradients.items()}


def _matrix_symbols(name: str, rows: int, cols: int) -> np.ndarray:
    out = np.empty((rows, cols), dtype=object)
    for i in range(rows):
        for j in range(cols):
            suffix = f"{i + 1}" if cols == 1 else f"{i + 1}{j + 1}"
            out[i, j] = sp.Symbol(f"{name}{suffix}" if rows * cols > 1 else name)
    return out


def gradient_program(cell: Cell, steps: int, input_size: int = 1, hidden: int = 1,
                     proj: int | None = None) -> GradProgram:
    """The gradient of L = Σ_t Σ_k y_t[k] with respect to every parameter, input and
    initial state, as a straight-line program over named intermediates.

    >>> from lstm_sym.model.cells import build_cell
    >>> prog = gradient_program(build_cell("lstm"), steps=3)
    >>> prog.backward_ops <= 5 * prog.forward_ops
    True
    """
    sizes = {n: input_size, m: hidden, p: proj or hidden}
    prog = Program.of(cell)
    out = GradProgram(cell, steps)
    counter: dict[str, int] = {}

    def binder(prefix: str, t: int, target: list):
        def bind(name: str, value: np.ndarray) -> np.ndarray:
            # Name each entry after its equation and step: z_i@3, or adj.z_i@3 for adjoints.
            bound = np.empty(value.shape, dtype=object)
            for idx, expr in np.ndenumerate(value):
                expr = sp.sympify(expr)
                if expr.is_Atom:  # a symbol or a number needs no name of its own
                    bound[idx] = expr
                    continue
                key = f"{prefix}{name}@{t}"
                k = counter[key] = counter.get(key, 0) + 1
                sym = sp.Symbol(key if value.size == 1 else f"{key}[{k}]")
                target.append((sym, expr))
                bound[idx] = sym
            return bound
        return bind

    params = {prm.name: _matrix_symbols(prm.name, *(int(sp.sympify(d).subs(sizes))
                                                     for d in prm.shape))
              for prm in cell.params}
    state = {st.prev.name: _matrix_symbols(f"{st.name}0", int(sp.sympify(
        st.prev.shape[0]).subs(sizes)), 1) for st in cell.states}
    initial = {name: arr.copy() for name, arr in state.items()}
    xs = [_matrix_symbols(f"x@{t + 1}" if input_size == 1 else f"x@{t + 1}_", input_size, 1)
          for t in range(steps)]
    envs, outputs = [], []
    for t in range(steps):
        env = dict(params)
        env.update(state)
        env["x"] = xs[t]
        prog.step(env, SYMBOLIC, binder("", t + 1, out.forward))
        state = {st.prev.name: env[st.new.name] for st in cell.states}
        envs.append(env)
        outputs.extend(env[cell.output.name].flat)

    out.loss = sp.Add(*outputs)
    # Per-step contributions to each parameter's gradient, summed once at the end: adding
    # them up step by step would re-sort an ever longer sum (quadratic in T).
    totals: dict[str, list[np.ndarray]] = {}
    carry: dict[str, np.ndarray] = {}
    for t in reversed(range(steps)):
        adj = {cell.output.name: np.full(envs[t][cell.output.name].shape, sp.Integer(1),
                                         dtype=object)}
        for st in cell.states:
            if st.prev.name in carry:
                prev = adj.get(st.new.name)
                c = carry.pop(st.prev.name)
                adj[st.new.name] = c if prev is None else prev + c
        prog.backward_step(envs[t], SYMBOLIC, adj, binder("adj.", t + 1, out.backward))
        for name, value in adj.items():
            if name == "x":
                for sym, g in zip(xs[t].flat, value.flat):
                    out.gradients[sym] = g
            elif name in params:
                totals.setdefault(name, []).append(np.broadcast_to(value, params[name].shape))
            else:
                carry[name] = binder("adj.", t, out.backward)(name, value)
    for name, arr in params.items():
        parts = totals.get(name, [])
        for idx, sym in np.ndenumerate(arr):
            out.gradients[sym] = sp.Add(*[part[idx] for part in parts])
    for name, arr in initial.items():
        grads = carry.get(name, np.zeros(arr.shape, dtype=object))
        for sym, g in zip(arr.flat, grads.flat):
            out.gradients[sym] = sp.sympify(g)
    return out


def scalar_rhs(cell: Cell) -> dict[str, sp.Expr]:
    """Each equation of a one-unit cell as a scalar expression over plain symbols
    named after the cell's vectors (``c_prev``, ``z_f``, ``W_z`` …).

    >>> from lstm_sym.model.cells import build_cell
    >>> scalar_rhs(build_cell("rnn", bias="single"))["z"]
    U*h_prev + W*x + b
    """
    out = {}
    for eq in cell.equations:
        scalar = eq.rhs.subs({m: 1, n: 1, p: 1}).as_explicit()[0, 0]
        out[eq.name] = scalar.xreplace({e: sp.Symbol(e.parent.name)
                                        for e in scalar.atoms(MatrixElement)})
    return out


def _substitute(exprs: dict[str, sp.Expr], env: dict[str, sp.Expr]) -> dict[str, sp.Expr]:
    """Evaluate the scalar equations in order, each reading the values bound so far."""
    env = dict(env)
    for name, expr in exprs.items():
        env[name] = expr.xreplace({s: env[s.name] for s in expr.free_symbols if s.name in env})
    return env


def naive_gradient(cell: Cell, steps: int, wrt: str = "W_z") -> sp.Expr:
    """The baseline: expand the scalar output fully, then call ``sympy.diff`` (exponential in T).

    >>> from lstm_sym.model.cells import build_cell
    >>> naive_gradient(build_cell("rnn", bias="single"), 1, "U")
    h0*(1 - tanh(U*h0 + W*x1 + b)**2)
    """
    exprs = scalar_rhs(cell)
    params = {prm.name: sp.Symbol(prm.name) for prm in cell.params}
    state = {st.prev.name: sp.Symbol(f"{st.name}0") for st in cell.states}
    loss = sp.Integer(0)
    for t in range(steps):
        env = _substitute(exprs, {**params, **state, "x": sp.Symbol(f"x{t + 1}")})
        state = {st.prev.name: env[st.new.name] for st in cell.states}
        loss += env[cell.output.name]
    return sp.diff(loss, sp.Symbol(wrt))


def carousel(cell: Cell) -> sp.Expr:
    """∂c_t/∂c_{t−1} for one memory cell, holding h_{t−1} fixed (the direct path).

    For the lecture's cell and the LSTM without peepholes this is the forget gate:
    the error carried back along the memory is only scaled by σ(z_f).

    >>> from lstm_sym.model.cells import build_cell
    >>> carousel(build_cell("lecture"))
    sigma(z_f)
    """
    exprs = scalar_rhs(cell)
    state = cell.states[0]
    gates = {sp.Symbol(eq.name): exprs[eq.name] for eq in cell.equations if eq.kind == "gate"}
    return sp.diff(exprs[state.new.name], sp.Symbol(state.prev.name)).xreplace(gates)


def forget_product(k: int) -> sp.Expr:
    """∂c_t/∂c_{t−k} for the lecture's cell: the product of the k forget gates between.

    >>> forget_product(3)
    sigma(z_f@t)*sigma(z_f@t-1)*sigma(z_f@t-2)
    """
    from lstm_sym.model.notation import sigma

    names = ["t"] + [f"t-{j}" for j in range(1, k)]
    return sp.Mul(*[sigma(sp.Symbol(f"z_f@{nm}")) for nm in names])


def recurrent_carousel(cell: Cell) -> sp.Expr:
    """Total ∂c_t/∂c_{t−1} for the recurrent LSTM (scalar): the forget gate plus the path
    through h_{t−1} = o_{t−1}·h(c_{t−1}) into all four inputs.

    >>> from lstm_sym.model.cells import build_cell
    >>> e = recurrent_carousel(build_cell("lstm", bias="single"))
    >>> e.has(sp.Symbol("U_f"))
    True
    """
    exprs = scalar_rhs(cell)
    c_prev, o_prev = sp.Symbol("c_prev"), sp.Symbol("o_prev")
    h_prev = exprs["h"].xreplace({sp.Symbol("c"): c_prev, sp.Symbol("o"): o_prev})
    env = _substitute(exprs, {"h_prev": h_prev})
    return sp.diff(env["c"], c_prev)
