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


def whole_sum_key(terms: InputTerms | None, rest: list) -> str | None:
    """``W@x+b+U@h`` for a sum of input-only terms and one product with a state, else None.

    >>> W, x, b = sp.MatrixSymbol("W", 2, 3), sp.MatrixSymbol("x", 3, 1), sp.MatrixSymbol("b", 2, 1)
    >>> U, h = sp.MatrixSymbol("U", 2, 2), sp.MatrixSymbol("h", 2, 1)
    >>> whole_sum_key(*split_input_terms(sp.MatAdd(W * x, U * h, b), frozenset({"W", "U", "b"})))
    'W@x+b+U@h'
    """
    if terms is None or len(rest) != 1 or product_key(rest[0]) is None:
        return None
    return f"{terms.key}+{product_key(rest[0])}"


def act_key(expr: Act, consts: frozenset[str]) -> str:
    """``sigmoid(z_i)``: the key an activation's value goes by when the float path computes it
    ahead of the equations (the argument named, or a whole sum's key).

    >>> act_key(Act("tanh", sp.MatrixSymbol("z", 2, 1)), frozenset())
    'tanh(z)'
    """
    arg = expr.arg
    if isinstance(arg, sp.MatAdd):
        whole = whole_sum_key(*split_input_terms(arg, consts))
        return f"{expr.fname}({whole})" if whole else ""
    return f"{expr.fname}({arg.name})" if isinstance(arg, sp.MatrixSymbol) else ""


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
        whole = whole_sum_key(fused, rest)

        def fwd(env, be):
            if whole in env:  # the whole sum, made by the float path (Program.sums)
                return env[whole]
            if key in env:  # x-only terms computed ahead for all steps (Program.inputs_ahead)
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
        akey = act_key(expr, consts)

        def fwd(env, be):
            if akey in env:  # computed with its neighbours' in one call (Program.float_layer)
                return env[akey]
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
class WholeSum:
    """A pre-activation W x + b + U s: input-only terms plus one product with a carried state."""

    key: str
    terms: InputTerms
    product: str


@dataclass
class FloatLayer:
    """How the float path runs a layer: per step, one product of every parameter block with
    [carried states; x; 1] gives all linear terms (U h + W x + b of every gate) at once, and
    one call per activation acts on the rows of the gates it drives.

    `matrix` is (rows, k) and `operand` (k, B); the operand's last row is ones (the biases).
    """

    matrix: np.ndarray
    operand: np.ndarray
    states: list[tuple[str, int, int]]  # carried state name -> operand rows
    x_rows: tuple[int, int]
    where: list[tuple[str, int, int]]  # env key -> rows of the step's product
    acts: list[tuple[str, int, int, list[tuple[str, int, int]]]]  # activation, rows, its keys


@dataclass(frozen=True)
class Program:
    """A cell's assignments, compiled once; `step` runs them over one time step."""

    cell: Cell
    names: tuple[str, ...]
    forwards: tuple[Forward, ...]
    backwards: tuple[Backward, ...]

    # What the float path computes ahead of `step` (see float_layer): whole pre-activations,
    # products with a carried state and input-only terms that are read on their own, and
    # activations of whole pre-activations, as (key, activation, whole sum's key).
    sums: tuple[WholeSum, ...] = ()
    products: tuple[tuple[str, str, str], ...] = ()  # (key, parameter, state)
    inputs_ahead: tuple[InputTerms, ...] = ()
    acts: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, cell: Cell) -> Program:
        """The compiled program of a cell, built once per cell (cells are immutable)."""
        return _compiled(cell)

    @classmethod
    def compile(cls, cell: Cell) -> Program:
        consts = frozenset(prm.name for prm in cell.params)
        compiled = [compile_expr(eq.rhs, eq.name, consts) for eq in cell.equations]
        states = {st.prev.name for st in cell.states}
        sums: dict[str, WholeSum] = {}
        ahead: dict[str, InputTerms] = {}
        products: dict[str, tuple[str, str, str]] = {}
        in_sums: set[int] = set()  # ids of products and sums a whole sum covers
        acts: dict[str, tuple[str, str, str]] = {}
        nodes = [node for eq in cell.equations for node in sp.preorder_traversal(eq.rhs)]
        for node in nodes:
            if isinstance(node, sp.MatAdd):
                terms, rest = split_input_terms(node, consts)
                whole = whole_sum_key(terms, rest)
                if whole and rest[0].args[1].name in states and rest[0].args[0].name in consts:
                    sums[whole] = WholeSum(whole, terms, product_key(rest[0]))
                    in_sums.add(id(rest[0]))
                elif terms:
                    ahead[terms.key] = terms
        for node in nodes:
            key = product_key(node)
            if key and id(node) not in in_sums and node.args[1].name in states \
                    and node.args[0].name in consts:
                products[key] = (key, node.args[0].name, node.args[1].name)
        # An equation that is a whole sum (z_i = W_i x + b_i + U_i h) can have its activation
        # computed straight from the product's rows.
        whole_of = {eq.name: whole_sum_key(*split_input_terms(eq.rhs, consts))
                    for eq in cell.equations if isinstance(eq.rhs, sp.MatAdd)}
        for node in nodes:
            if isinstance(node, Act) and (akey := act_key(node, consts)):
                arg = node.arg
                whole = (whole_of.get(arg.name) if isinstance(arg, sp.MatrixSymbol)
                         else akey[len(node.fname) + 1:-1])
                if whole in sums:
                    acts[akey] = (akey, node.fname, whole)
        return cls(cell, tuple(eq.name for eq in cell.equations),
                   tuple(f for f, _ in compiled), tuple(b for _, b in compiled),
                   tuple(sums.values()), tuple(products.values()), tuple(ahead.values()),
                   tuple(acts.values()))

    def float_layer(self, params: Env, x_size: int, batch: int) -> FloatLayer:
        """Plan a float layer: the stacked parameter matrix and where each term's rows are.

        Rows come in this order: whole pre-activations grouped by the activation that reads
        them (so i, f, o are one block for one σ call), the other whole sums, products with
        a state read on their own, input-only terms read on their own. Blocks a row does
        not use are zeros.
        """
        used = [w.product.split("@")[1] for w in self.sums] + [vec for _, _, vec in self.products]
        sizes = {w.product.split("@")[1]: params[w.product.split("@")[0]].shape[1] for w in self.sums}
        sizes.update({vec: params[name].shape[1] for _, name, vec in self.products})
        cols, width = {}, 0
        for vec in dict.fromkeys(used):
            cols[vec] = (width, width + sizes[vec])
            width += sizes[vec]
        x_rows = (width, width + x_size)
        width = x_rows[1] + 1
        dtype = next(iter(params.values())).dtype

        def block(product: str | None, terms: InputTerms | None) -> np.ndarray:
            name = product.split("@")[0] if product else terms.weight
            rows = np.zeros((params[name].shape[0], width), dtype=dtype)
            if product:
                vec = product.split("@")[1]
                rows[:, cols[vec][0]:cols[vec][1]] = params[name]
            if terms:
                rows[:, x_rows[0]:x_rows[1]] = params[terms.weight]
                rows[:, -1:] = sum((params[b] for b in terms.biases),
                                   np.zeros((rows.shape[0], 1), dtype=dtype))
            return rows

        sums = {w.key: w for w in self.sums}
        blocks: list[tuple[str, np.ndarray]] = []  # env key, its rows of the matrix
        acts = []
        for fname in dict.fromkeys(f for _, f, _ in self.acts):
            first = row = sum(b.shape[0] for _, b in blocks)
            members = []
            for akey, f, whole in self.acts:
                if f == fname and whole in sums:
                    w = sums.pop(whole)
                    blocks.append((whole, block(w.product, w.terms)))
                    size = blocks[-1][1].shape[0]
                    members.append((akey, row - first, row - first + size))
                    row += size
            if members:
                acts.append((fname, first, first + members[-1][2], members))
        blocks += [(w.key, block(w.product, w.terms)) for w in sums.values()]
        blocks += [(key, block(key, None)) for key, _, _ in self.products]
        blocks += [(terms.key, block(None, terms)) for terms in self.inputs_ahead]
        where, row = [], 0
        for key, rows in blocks:
            where.append((key, row, row + rows.shape[0]))
            row += rows.shape[0]
        operand = np.empty((width, batch), dtype=dtype)
        operand[-1] = 1
        return FloatLayer(np.concatenate([b for _, b in blocks], axis=0), operand,
                          [(vec, *cols[vec]) for vec in cols], x_rows, where, acts)

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
