"""A cell's equations compiled once into forward and backward functions.

Each node kind of the equation tree has its forward rule and its backward rule
side by side (micrograd's habit). Values are NumPy arrays in column layout —
a vector of size k over a batch of B sequences is a (k, B) array — with float64,
mpmath or SymPy entries, so one compiled program serves every mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Callable

import numpy as np
import sympy as sp

from .backends import Backend
from .cells import Cell
from .notation import Act

Env = dict[str, np.ndarray]
Forward = Callable[[Env, Backend], np.ndarray]
Backward = Callable[[Env, Backend, np.ndarray, Env], None]


def _accumulate(adj: Env, name: str, grad: np.ndarray, like: np.ndarray) -> None:
    # A bias (k, 1) broadcast over the batch collects the sum of its columns.
    if np.ndim(grad) == 2 and np.ndim(like) == 2 and grad.shape[1] != like.shape[1]:
        grad = grad.sum(axis=1, keepdims=True)
    adj[name] = adj[name] + grad if name in adj else grad


def compile_expr(expr: sp.Basic, out_name: str | None = None) -> tuple[Forward, Backward]:
    """Forward and backward functions of one right-hand side.

    `out_name` names the equation when `expr` is its whole right-hand side: an
    activation's derivative then reuses the stored output (σ' = y(1 − y)) instead
    of computing the activation again.

    >>> from lstm_sym.backends import FLOAT
    >>> W, x = sp.MatrixSymbol("W", 1, 2), sp.MatrixSymbol("x", 2, 1)
    >>> fwd, bwd = compile_expr(Act("sigmoid", W * x))
    >>> env = {"W": np.array([[1.0, -1.0]]), "x": np.array([[2.0], [2.0]])}
    >>> fwd(env, FLOAT)
    array([[0.5]])
    >>> adj = {}; bwd(env, FLOAT, np.array([[1.0]]), adj); adj["x"].ravel().tolist()
    [0.25, -0.25]
    """
    if isinstance(expr, sp.MatrixSymbol):
        name = expr.name

        def fwd(env, be):
            return env[name]

        def bwd(env, be, g, adj):
            _accumulate(adj, name, g, env[name])

        return fwd, bwd

    if isinstance(expr, sp.OneMatrix):
        return (lambda env, be: be.to_array(1)), (lambda env, be, g, adj: None)

    if isinstance(expr, sp.MatAdd):
        parts = [compile_expr(a) for a in expr.args]

        def fwd(env, be):
            return reduce(lambda a, b: a + b, (f(env, be) for f, _ in parts))

        def bwd(env, be, g, adj):
            for _, b in parts:
                b(env, be, g, adj)

        return fwd, bwd

    if isinstance(expr, sp.MatMul):
        coeff = sp.Mul(*[a for a in expr.args if not isinstance(a, sp.MatrixExpr)])
        mats = [compile_expr(a) for a in expr.args if isinstance(a, sp.MatrixExpr)]
        scale = str(coeff)

        def fwd(env, be):
            value = reduce(lambda a, b: a @ b, (f(env, be) for f, _ in mats))
            return value if scale == "1" else be.to_array(scale) * value

        def bwd(env, be, g, adj):
            if scale != "1":
                g = be.to_array(scale) * g
            vals = [f(env, be) for f, _ in mats]
            for k, (_, b) in enumerate(mats):
                left = reduce(lambda a, c: a @ c, vals[:k]) if k else None
                right = reduce(lambda a, c: a @ c, vals[k + 1:]) if k + 1 < len(vals) else None
                gk = g if right is None else g @ right.T
                b(env, be, gk if left is None else left.T @ gk, adj)

        return fwd, bwd

    if isinstance(expr, sp.HadamardProduct):
        parts = [compile_expr(a) for a in expr.args]

        def fwd(env, be):
            return reduce(lambda a, b: a * b, (f(env, be) for f, _ in parts))

        def bwd(env, be, g, adj):
            vals = [f(env, be) for f, _ in parts]
            for k, (_, b) in enumerate(parts):
                others = [v for j, v in enumerate(vals) if j != k]
                b(env, be, reduce(lambda a, c: a * c, others, g), adj)

        return fwd, bwd

    if isinstance(expr, Act):
        (afwd, abwd), fname = compile_expr(expr.arg), expr.fname

        def fwd(env, be):
            if fname not in be.act:
                raise ValueError(f"the generic function {fname} has no numeric value; choose "
                                 "identity, tanh or sigmoid")
            return be.act[fname](afwd(env, be))

        def bwd(env, be, g, adj):
            x = afwd(env, be)
            y = env[out_name] if out_name else be.act[fname](x)
            abwd(env, be, g * be.dact[fname](x, y), adj)

        return fwd, bwd

    raise TypeError(f"no rule for {type(expr).__name__}")


@dataclass(frozen=True)
class Program:
    """A cell's assignments, compiled once; `step` runs them over one time step."""

    cell: Cell
    names: tuple[str, ...]
    forwards: tuple[Forward, ...]
    backwards: tuple[Backward, ...]

    @classmethod
    def of(cls, cell: Cell) -> "Program":
        compiled = [compile_expr(eq.rhs, eq.name) for eq in cell.equations]
        return cls(cell, tuple(eq.name for eq in cell.equations),
                   tuple(f for f, _ in compiled), tuple(b for _, b in compiled))

    def step(self, env: Env, be: Backend,
             bind: Callable[[str, np.ndarray], np.ndarray] | None = None) -> Env:
        """Evaluate every assignment in order, adding its value to `env`."""
        for name, fwd in zip(self.names, self.forwards):
            value = fwd(env, be)
            env[name] = bind(name, value) if bind else value
        return env

    def backward_step(self, env: Env, be: Backend, adj: Env,
                      bind: Callable[[str, np.ndarray], np.ndarray] | None = None) -> Env:
        """Reverse mode over one step: every adjoint in `adj` is pushed to the names its
        equation reads. An intermediate's adjoint is complete when its own equation is
        reached, since everything that reads it comes later in the step."""
        for name, bwd in zip(reversed(self.names), reversed(self.backwards)):
            g = adj.pop(name, None)
            if g is None:
                continue
            bwd(env, be, bind(name, g) if bind else g, adj)
        return adj
