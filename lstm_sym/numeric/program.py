"""A cell's equations compiled once into forward and backward functions.

Each node kind of the equation tree has its forward rule and its backward rule
side by side (micrograd's habit). Values are NumPy arrays in column layout —
a vector of size k over a batch of B sequences is a (k, B) array — with float64,
mpmath or SymPy entries, so one compiled program serves every mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, reduce

import numpy as np
import sympy as sp

from lstm_sym.model.cells import Cell
from lstm_sym.model.notation import Act
from lstm_sym.numeric.backends import Backend

Env = dict[str, np.ndarray]
Forward = Callable[[Env, Backend], np.ndarray]
Backward = Callable[[Env, Backend, np.ndarray, Env], None]


def _accumulate(adj: Env, name: str, grad: np.ndarray, like: np.ndarray) -> None:
    # A bias (k, 1) broadcast over the batch collects the sum of its columns.
    if np.ndim(grad) == 2 and np.ndim(like) == 2 and grad.shape[1] != like.shape[1]:
        grad = grad.sum(axis=1, keepdims=True)
    adj[name] = adj[name] + grad if name in adj else grad


def product_key(expr: sp.Basic) -> str | None:
    """``W_z@x`` for a product of a parameter and a vector (the common linear term).

    >>> product_key(sp.MatrixSymbol("W_z", 2, 3) * sp.MatrixSymbol("x", 3, 1))
    'W_z@x'
    """
    if (isinstance(expr, sp.MatMul) and len(expr.args) == 2
            and all(isinstance(a, sp.MatrixSymbol) for a in expr.args)):
        return f"{expr.args[0].name}@{expr.args[1].name}"
    return None


@dataclass(frozen=True)
class InputTerms:
    """The terms of a sum that read only the input and constants: W x + b_x + b_h.

    They are known for every step before the recurrence runs, so the float path
    computes them for all steps in one matrix product, biases folded in as an
    extra column: [W | b_x + b_h] @ [x; 1].
    """

    key: str
    weight: str
    biases: tuple[str, ...]


def split_input_terms(expr: sp.MatAdd, consts: frozenset[str]) -> tuple[InputTerms | None, list]:
    """Separate a sum's input-only terms (one product with x, constant vectors) from the rest.

    >>> W, x, b = sp.MatrixSymbol("W", 2, 3), sp.MatrixSymbol("x", 3, 1), sp.MatrixSymbol("b", 2, 1)
    >>> U, h = sp.MatrixSymbol("U", 2, 2), sp.MatrixSymbol("h", 2, 1)
    >>> terms, rest = split_input_terms(sp.MatAdd(W * x, U * h, b), frozenset({"W", "U", "b"}))
    >>> terms.key, rest
    ('W@x+b', [U*h])
    """
    products = [a for a in expr.args if (k := product_key(a)) and k.endswith("@x")
                and a.args[0].name in consts]
    if len(products) != 1:
        return None, list(expr.args)
    biases = [a for a in expr.args if isinstance(a, sp.MatrixSymbol) and a.name in consts
              and a.shape[1] == 1]
    rest = [a for a in expr.args if a is not products[0] and a not in biases]
    weight = products[0].args[0].name
    key = "+".join([f"{weight}@x", *(b.name for b in biases)])
    return InputTerms(key, weight, tuple(b.name for b in biases)), rest


def compile_expr(expr: sp.Basic, out_name: str | None = None,
                 consts: frozenset[str] = frozenset()) -> tuple[Forward, Backward]:
    """Forward and backward functions of one right-hand side.

    `out_name` names the equation when `expr` is its whole right-hand side: an
    activation's derivative then reuses the stored output (σ' = y(1 − y)) instead
    of computing the activation again.

    >>> from lstm_sym.numeric.backends import FLOAT
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
        fused, rest = split_input_terms(expr, consts)
        parts = [compile_expr(a, consts=consts) for a in expr.args]
        rest_parts = [compile_expr(a, consts=consts) for a in rest]
        key = fused.key if fused else None

        def fwd(env, be):
            if key in env:  # x-only terms computed ahead for all steps (Program.fused)
                value = env[key]
                for f, _ in rest_parts:
                    value = value + f(env, be)
                return value
            return reduce(lambda a, b: a + b, (f(env, be) for f, _ in parts))

        def bwd(env, be, g, adj):
            for _, b in parts:
                b(env, be, g, adj)

        return fwd, bwd

    if isinstance(expr, sp.MatMul):
        coeff = sp.Mul(*[a for a in expr.args if not isinstance(a, sp.MatrixExpr)])
        mats = [compile_expr(a, consts=consts) for a in expr.args if isinstance(a, sp.MatrixExpr)]
        # A number, not text: the symbolic backend would parse text through sympify.
        scale = int(coeff) if coeff.is_Integer else float(coeff)
        key = product_key(expr)

        def fwd(env, be):
            if key in env:  # computed ahead in one stacked product (see Program.products)
                return env[key]
            value = reduce(lambda a, b: a @ b, (f(env, be) for f, _ in mats))
            return value if scale == 1 else be.to_array(scale) * value

        def bwd(env, be, g, adj):
            if scale != 1:
                g = be.to_array(scale) * g
            vals = [f(env, be) for f, _ in mats]
            for k, (_, b) in enumerate(mats):
                left = reduce(lambda a, c: a @ c, vals[:k]) if k else None
                right = reduce(lambda a, c: a @ c, vals[k + 1:]) if k + 1 < len(vals) else None
                gk = g if right is None else g @ right.T
                b(env, be, gk if left is None else left.T @ gk, adj)

        return fwd, bwd

    if isinstance(expr, sp.HadamardProduct):
        parts = [compile_expr(a, consts=consts) for a in expr.args]

        def fwd(env, be):
            return reduce(lambda a, b: a * b, (f(env, be) for f, _ in parts))

        def bwd(env, be, g, adj):
            vals = [f(env, be) for f, _ in parts]
            for k, (_, b) in enumerate(parts):
                others = [v for j, v in enumerate(vals) if j != k]
                b(env, be, reduce(lambda a, c: a * c, others, g), adj)

        return fwd, bwd

    if isinstance(expr, Act):
        (afwd, abwd), fname = compile_expr(expr.arg, consts=consts), expr.fname

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

    products: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    inputs_ahead: tuple[InputTerms, ...] = ()

    @classmethod
    def of(cls, cell: Cell) -> Program:
        """The compiled program of a cell, built once per cell (cells are immutable)."""
        return _compiled(cell)

    @classmethod
    def compile(cls, cell: Cell) -> Program:
        consts = frozenset(prm.name for prm in cell.params)
        compiled = [compile_expr(eq.rhs, eq.name, consts) for eq in cell.equations]
        ahead: dict[str, InputTerms] = {}
        # Products parameter @ carried state, grouped by the state: U_z h, U_i h, U_f h, U_o h
        # become one stacked product per step.
        states = {st.prev.name for st in cell.states}
        groups: dict[str, list[tuple[str, str]]] = {}
        for eq in cell.equations:
            for node in sp.preorder_traversal(eq.rhs):
                if isinstance(node, sp.MatAdd):
                    terms, _ = split_input_terms(node, consts)
                    if terms:
                        ahead[terms.key] = terms
                key = product_key(node)
                if key and node.args[1].name in states and node.args[0].name in consts:
                    pair = (key, node.args[0].name)
                    if pair not in groups.setdefault(node.args[1].name, []):
                        groups[node.args[1].name].append(pair)
        return cls(cell, tuple(eq.name for eq in cell.equations),
                   tuple(f for f, _ in compiled), tuple(b for _, b in compiled),
                   tuple((v, tuple(pairs)) for v, pairs in groups.items()),
                   tuple(ahead.values()))

    def stack(self, params: Env) -> dict[str, tuple[np.ndarray, list[tuple[str, int, int]]]]:
        """Per state name: the stacked parameter matrix and where each product's rows are."""
        out = {}
        for vec, pairs in self.products:
            rows, where, start = [], [], 0
            for key, pname in pairs:
                rows.append(params[pname])
                where.append((key, start, start + params[pname].shape[0]))
                start += params[pname].shape[0]
            out[vec] = (np.concatenate(rows, axis=0), where)
        return out

    def precompute_inputs(self, params: Env, xs: np.ndarray) -> tuple[np.ndarray, list]:
        """All input-only terms for all steps at once: xs is (n, T, B); returns the slab
        (rows, T, B) and where each term's rows are. Float mode only."""
        blocks, where, start = [], [], 0
        for terms in self.inputs_ahead:
            w = params[terms.weight]
            bias = sum((params[b] for b in terms.biases), np.zeros((w.shape[0], 1)))
            blocks.append(np.hstack([w, bias]))
            where.append((terms.key, start, start + w.shape[0]))
            start += w.shape[0]
        n, steps, batch = xs.shape
        augmented = np.vstack([xs.reshape(n, -1), np.ones((1, steps * batch))])
        slab = (np.concatenate(blocks, axis=0) @ augmented).reshape(start, steps, batch)
        return slab, where

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


@lru_cache(maxsize=64)
def _compiled(cell: Cell) -> Program:
    return Program.compile(cell)
