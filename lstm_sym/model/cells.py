"""The cell model: one declarative description per recurrent cell.

A :class:`Cell` is data — sizes, parameter tensors with symbolic shapes, the state
it carries, and an ordered list of assignments ``name = SymPy matrix expression``.
Every other view (printing, parameter counts, numeric traces, gradients,
exercises) is a function of this data; nothing about a cell is written twice.

Variants (peepholes, bias conventions, GRU forms, g and h) are options of the
builders that change the data, not new code paths downstream.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache

import sympy as sp
from sympy import HadamardProduct, MatrixSymbol, OneMatrix

from lstm_sym.errors import UserError
from lstm_sym.model.notation import Act, activation_name, m, n, p

CELL_KINDS = ("lecture", "lstm", "gru", "rnn", "ffn")
PEEPHOLES = ("none", "lecture", "diagonal")
BIASES = ("none", "single", "double")
GRU_FORMS = ("after", "before")

# Torch's gate order inside its stacked weight matrices, mapped to our gate names.
# LSTM: PyTorch i, f, g, o  ->  ours i, f, z (the cell input), o.
# GRU:  PyTorch r, z, n     ->  ours r, u (update gate; PyTorch calls it z), n.
TORCH_GATES = {"lstm": ("i", "f", "z", "o"), "gru": ("r", "u", "n"), "rnn": (None,)}


@dataclass(frozen=True)
class Param:
    """A parameter tensor: its symbol carries the symbolic shape.

    >>> W = Param("W_z", MatrixSymbol("W_z", m, n), "input weight", "z")
    >>> W.count
    m*n
    """

    name: str
    symbol: MatrixSymbol
    role: str  # "input weight", "recurrent weight", "bias", "input bias", "recurrent bias", ...
    gate: str | None

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return tuple(self.symbol.shape)

    @property
    def count(self) -> sp.Expr:
        rows, cols = self.symbol.shape
        return rows * cols

    @property
    def is_vector(self) -> bool:
        return self.symbol.shape[1] == 1


@dataclass(frozen=True)
class Equation:
    """One assignment ``lhs = rhs`` of the cell, in vector form."""

    lhs: MatrixSymbol
    rhs: sp.Basic
    kind: str  # "preactivation", "gate", "candidate", "state", "output"

    @property
    def name(self) -> str:
        return self.lhs.name


@dataclass(frozen=True)
class State:
    """A carried state: `prev` is read by the equations, `new` is assigned by them."""

    name: str  # "c" or "h"
    prev: MatrixSymbol
    new: MatrixSymbol


@dataclass(frozen=True)
class Cell:
    """A recurrent cell as data. Build one with :func:`build_cell`.

    >>> cell = build_cell("lecture")
    >>> [eq.name for eq in cell.equations]
    ['z', 'z_i', 'z_f', 'z_o', 'i', 'f', 'o', 'c_new', 'y']
    >>> cell.param_count()
    4*m*n + 4*m
    """

    kind: str
    title: str
    options: tuple[tuple[str, str], ...]
    input: MatrixSymbol
    params: tuple[Param, ...]
    equations: tuple[Equation, ...]
    states: tuple[State, ...]
    output: MatrixSymbol
    torch_layout: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    # Cells key every per-cell cache (anatomy, printed formulas, compiled programs): the
    # hash is computed once, and a cell equals itself without comparing SymPy trees.
    def __hash__(self) -> int:
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.kind, self.options, self.equations, self.params))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Cell):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Cell))

    @property
    def lecture(self) -> bool:
        return self.kind == "lecture"

    def option(self, key: str) -> str:
        return dict(self.options)[key]

    def param(self, name: str) -> Param:
        for prm in self.params:
            if prm.name == name:
                return prm
        raise KeyError(name)

    def equation(self, name: str) -> Equation:
        for eq in self.equations:
            if eq.name == name:
                return eq
        raise KeyError(name)

    def param_count(self) -> sp.Expr:
        """Sum over tensors of the product of their shapes (never a typed-in formula)."""
        return sp.expand(sum((prm.count for prm in self.params), sp.Integer(0)))

    def expanded_output(self) -> sp.Basic:
        """The output with every intermediate substituted by its definition."""
        return inline(self.equations, keep=())[-1].rhs


def inline(equations: tuple[Equation, ...], keep: tuple[str, ...]) -> tuple[Equation, ...]:
    """Substitute every equation whose name is not in `keep` into the later ones.

    The last equation is always kept.

    >>> cell = build_cell("lecture")
    >>> [eq.name for eq in inline(cell.equations, keep=("z", "z_i", "z_f", "z_o", "c_new"))]
    ['z', 'z_i', 'z_f', 'z_o', 'c_new', 'y']
    """
    defs: dict[MatrixSymbol, sp.Basic] = {}
    out = []
    for i, eq in enumerate(equations):
        rhs = eq.rhs.xreplace(defs) if defs else eq.rhs
        if eq.name in keep or i == len(equations) - 1:
            out.append(Equation(eq.lhs, rhs, eq.kind))
        else:
            defs[eq.lhs] = rhs
    return tuple(out)


# --- builders -----------------------------------------------------------------


class _Builder:
    """Collects parameters while the equations are written, so shapes are declared once."""

    def __init__(self, bias: str) -> None:
        self.params: list[Param] = []
        self.bias = bias

    def tensor(self, name: str, rows, cols, role: str, gate: str | None) -> MatrixSymbol:
        sym = MatrixSymbol(name, rows, cols)
        self.params.append(Param(name, sym, role, gate))
        return sym

    def affine(self, gate: str, x, h_prev, hidden, recurrent: bool, bias: bool = True):
        """W_g x (+ U_g h_prev) + bias terms, following the bias convention."""
        gname = f"_{gate}" if gate else ""
        terms = [self.tensor(f"W{gname}", hidden, x.shape[0], "input weight", gate) * x]
        if recurrent:
            terms.append(
                self.tensor(f"U{gname}", hidden, h_prev.shape[0], "recurrent weight", gate) * h_prev
            )
        if bias:
            terms += self.biases(gate, hidden)
        return terms

    def biases(self, gate: str, hidden, which: tuple[str, ...] = ("x", "h")) -> list:
        gname = f"_{gate}" if gate else ""
        if self.bias == "single":
            return [self.tensor(f"b{gname}", hidden, 1, "bias", gate)] if "x" in which else []
        if self.bias == "double":
            role = {"x": "input bias", "h": "recurrent bias"}
            return [self.tensor(f"b{w}{gname}", hidden, 1, role[w], gate) for w in which]
        return []


def _vec(name: str, size) -> MatrixSymbol:
    return MatrixSymbol(name, size, 1)


def _check(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise UserError(f"{option}: expected one of {', '.join(allowed)}, got {value!r}")


def lstm_cell(
    *,
    recurrent: bool = True,
    peephole: str = "none",
    bias: str = "double",
    g: str = "tanh",
    h: str = "tanh",
    proj: bool = False,
) -> Cell:
    """The LSTM cell; ``recurrent=False`` gives the lecture's memory cell layer.

    >>> cell = lstm_cell(bias="single", peephole="diagonal")
    >>> sorted(prm.name for prm in cell.params if prm.role == "peephole")
    ['p_f', 'p_i', 'p_o']
    >>> lstm_cell(bias="double").param_count()
    4*m**2 + 4*m*n + 8*m
    """
    _check(peephole, PEEPHOLES, "--peephole")
    _check(bias, BIASES, "--bias")
    if proj and not recurrent:
        raise UserError("--proj: the lecture's memory cell has no recurrent state to project")
    if peephole != "none" and not recurrent:
        raise UserError("--peephole: use --cell lstm; the lecture's memory cell reads no c_{t-1}")
    lecture = not recurrent
    out_size = p if proj else m
    x = _vec("x", n)
    c_prev = _vec("c" if lecture else "c_prev", m)
    c_new = _vec("c_new" if lecture else "c", m)
    h_prev = _vec("h_prev", out_size)
    b = _Builder(bias)

    def pre(gate: str, peep_at=c_prev) -> sp.Basic:
        terms = b.affine(gate, x, h_prev, m, recurrent, bias=False)
        if peephole == "lecture":  # a full matrix on c_{t-1}: the lecture's W [x; h; c], by blocks
            terms.append(b.tensor(f"V_{gate}", m, m, "peephole", gate) * c_prev)
        elif peephole == "diagonal" and gate != "z":  # elementwise (Gers & Schmidhuber)
            terms.append(HadamardProduct(b.tensor(f"p_{gate}", m, 1, "peephole", gate), peep_at))
        return sp.MatAdd(*terms, *b.biases(gate, m))

    z, z_i, z_f, z_o = (_vec(s, m) for s in ("z", "z_i", "z_f", "z_o"))
    i_g, f_g, o_g = (_vec(s, m) for s in ("i", "f", "o"))
    g_name, h_name = activation_name(g, "g"), activation_name(h, "h")
    eqs = [
        Equation(z, pre("z"), "preactivation"),
        Equation(z_i, pre("i"), "preactivation"),
        Equation(z_f, pre("f"), "preactivation"),
    ]
    if peephole != "diagonal":
        eqs.append(Equation(z_o, pre("o"), "preactivation"))
    eqs += [
        Equation(i_g, Act("sigmoid", z_i), "gate"),
        Equation(f_g, Act("sigmoid", z_f), "gate"),
    ]
    if peephole != "diagonal":
        eqs.append(Equation(o_g, Act("sigmoid", z_o), "gate"))
    cell_rhs = sp.MatAdd(HadamardProduct(Act(g_name, z), i_g), HadamardProduct(c_prev, f_g))
    eqs.append(Equation(c_new, cell_rhs, "state"))
    if peephole == "diagonal":  # the output gate peeps at the new c_t, so it comes after it
        eqs += [Equation(z_o, pre("o", peep_at=c_new), "preactivation"),
                Equation(o_g, Act("sigmoid", z_o), "gate")]
    read = HadamardProduct(Act(h_name, c_new), o_g)
    if lecture:
        y = _vec("y", m)
        eqs.append(Equation(y, read, "output"))
        states = (State("c", c_prev, c_new),)
        output = y
    else:
        h_new = _vec("h", out_size)
        rhs = b.tensor("W_proj", p, m, "projection", None) * read if proj else read
        eqs.append(Equation(h_new, rhs, "output"))
        states = (State("c", c_prev, c_new), State("h", h_prev, h_new))
        output = h_new
    options = (("bias", bias), ("g", g), ("h", h)) if lecture else (
        ("peephole", peephole), ("bias", bias), ("g", g), ("h", h),
        ("proj", "yes" if proj else "no"))
    title = "memory cell (lecture)" if lecture else "LSTM"
    return Cell("lecture" if lecture else "lstm", title, options, x, tuple(b.params),
                tuple(eqs), states, output, _torch_layout("lstm", b.params, bias, recurrent))


def gru_cell(*, form: str = "after", bias: str = "double") -> Cell:
    """The GRU; ``form="after"`` applies the reset gate after the recurrent matrix (PyTorch, cuDNN,
    Keras reset_after), ``"before"`` applies it to h_{t-1} first (Cho et al. 2014).

    >>> gru_cell(bias="double").param_count()
    3*m**2 + 3*m*n + 6*m
    >>> gru_cell(form="before", bias="single").param_count()
    3*m**2 + 3*m*n + 3*m
    """
    _check(form, GRU_FORMS, "--gru-form")
    _check(bias, BIASES, "--bias")
    x, h_prev = _vec("x", n), _vec("h_prev", m)
    b = _Builder(bias)
    z_r, z_u, z_n = (_vec(s, m) for s in ("z_r", "z_u", "z_n"))
    r, u, nn_, h_new = (_vec(s, m) for s in ("r", "u", "n", "h"))
    eqs = [
        Equation(z_r, sp.MatAdd(*b.affine("r", x, h_prev, m, True)), "preactivation"),
        Equation(z_u, sp.MatAdd(*b.affine("u", x, h_prev, m, True)), "preactivation"),
        Equation(r, Act("sigmoid", z_r), "gate"),
        Equation(u, Act("sigmoid", z_u), "gate"),
    ]
    W_n = b.tensor("W_n", m, n, "input weight", "n")
    U_n = b.tensor("U_n", m, m, "recurrent weight", "n")
    if form == "after":
        inner = sp.MatAdd(U_n * h_prev, *b.biases("n", m, which=("h",)))
        cand = sp.MatAdd(W_n * x, *b.biases("n", m, which=("x",)), HadamardProduct(r, inner))
    else:
        cand = sp.MatAdd(W_n * x, U_n * HadamardProduct(r, h_prev), *b.biases("n", m))
    eqs += [
        Equation(z_n, cand, "preactivation"),
        Equation(nn_, Act("tanh", z_n), "candidate"),
        Equation(h_new, sp.MatAdd(HadamardProduct(sp.MatAdd(OneMatrix(m, 1), -u), nn_),
                                  HadamardProduct(u, h_prev)), "output"),
    ]
    # Builders append W_n/U_n after the r and u tensors; keep PyTorch's gate order for reading.
    options = (("gru_form", form), ("bias", bias))
    return Cell("gru", "GRU", options, x, tuple(b.params), tuple(eqs),
                (State("h", h_prev, h_new),), h_new, _torch_layout("gru", b.params, bias, True))


def rnn_cell(*, bias: str = "double", activation: str = "tanh") -> Cell:
    """The plain (Elman) RNN: h_t = tanh(W x_t + U h_{t-1} + b).

    >>> rnn_cell(bias="single").param_count()
    m**2 + m*n + m
    """
    _check(bias, BIASES, "--bias")
    x, h_prev, z, h_new = _vec("x", n), _vec("h_prev", m), _vec("z", m), _vec("h", m)
    b = _Builder(bias)
    eqs = (Equation(z, sp.MatAdd(*b.affine("", x, h_prev, m, True)), "preactivation"),
           Equation(h_new, Act(activation, z), "output"))
    return Cell("rnn", "RNN", (("bias", bias), ("activation", activation)), x, tuple(b.params),
                eqs, (State("h", h_prev, h_new),), h_new,
                _torch_layout("rnn", b.params, bias, True))


def ffn_layer(*, bias: str = "single", activation: str = "tanh") -> Cell:
    """A feed-forward layer of m plain neurons, the lecture's point of comparison.

    >>> ffn_layer().param_count()
    m*n + m
    """
    _check(bias, BIASES, "--bias")
    if bias == "double":
        raise UserError("--bias double: a feed-forward layer has no recurrent bias")
    x, z, y = _vec("x", n), _vec("z", m), _vec("y", m)
    b = _Builder(bias)
    eqs = (Equation(z, sp.MatAdd(*b.affine("", x, None, m, False)), "preactivation"),
           Equation(y, Act(activation, z), "output"))
    return Cell("ffn", "feed-forward layer", (("bias", bias), ("activation", activation)), x,
                tuple(b.params), eqs, (), y)


def _torch_layout(kind: str, params: list[Param], bias: str, recurrent: bool):
    """Which of our tensors stack, in PyTorch's gate order, into each PyTorch tensor."""
    names = {prm.name for prm in params}
    gates = TORCH_GATES[kind]

    def stack(prefix: str) -> tuple[str, ...]:
        return tuple(f"{prefix}_{gate}" if gate else prefix for gate in gates)

    layout = [("weight_ih", stack("W"))]
    if recurrent:
        layout.append(("weight_hh", stack("U")))
    if bias == "double":
        layout += [("bias_ih", stack("bx")), ("bias_hh", stack("bh"))]
    elif bias == "single":
        layout.append(("bias", stack("b")))  # PyTorch's bias_ih + bias_hh, summed on import
    if "W_proj" in names:
        layout.append(("weight_hr", ("W_proj",)))
    return tuple(layout)


# Default bias convention of each framework; --bias overrides.
CONVENTION_BIAS = {
    "lecture": {"lecture": "single", "lstm": "single", "gru": "single", "rnn": "single",
                "ffn": "single"},
    "pytorch": {"lecture": "double", "lstm": "double", "gru": "double", "rnn": "double",
                "ffn": "single"},
    # Keras: one bias vector per layer; a GRU with reset_after=True (its default) keeps two.
    "keras": {"lecture": "single", "lstm": "single", "gru": "double", "rnn": "single",
              "ffn": "single"},
}
CONVENTIONS = tuple(CONVENTION_BIAS)


def build_cell(
    kind: str,
    *,
    peephole: str = "none",
    bias: str | None = None,
    convention: str = "lecture",
    g: str | None = None,
    h: str | None = None,
    gru_form: str = "after",
    proj: bool = False,
    nonlinearity: str = "tanh",
) -> Cell:
    """Build any cell by name with the CLI's options.

    `bias` defaults to the convention's (lecture: one bias per gate; PyTorch: two).
    The lecture's cell uses identity g and h, as the lecture's worked example does;
    the LSTM uses tanh for both. The same options (defaults filled in) give the same
    object: cells are frozen, and a class's variants share one.

    >>> build_cell("lstm", convention="pytorch").param_count()
    4*m**2 + 4*m*n + 8*m
    >>> build_cell("gru", convention="keras").option("gru_form")
    'after'
    >>> build_cell("lecture") is build_cell("lecture", g="identity", h="identity")
    True
    """
    _check(kind, CELL_KINDS, "--cell")
    _check(convention, CONVENTIONS, "--convention")
    bias = bias or CONVENTION_BIAS[convention][kind]
    if kind != "lstm" and (proj or peephole != "none"):
        what = "--proj" if proj else "--peephole"
        raise UserError(f"{what}: only --cell lstm has it, not --cell {kind}")
    if kind not in ("lecture", "lstm") and (g or h):
        raise UserError(f"--g/--h: only the LSTM cells have g and h, not --cell {kind}")
    if kind == "lecture":
        return _lstm(False, "none", bias, g or "identity", h or "identity", False)
    if kind == "lstm":
        return _lstm(True, peephole, bias, g or "tanh", h or "tanh", bool(proj))
    if kind == "gru":
        return _gru(gru_form, bias)
    if kind == "rnn":
        _check(nonlinearity, ("tanh", "relu"), "--nonlinearity")
        return _rnn(bias, nonlinearity)
    return _ffn(bias)


# One build per distinct set of options (SymPy is slow to build; cells are frozen).
@cache
def _lstm(recurrent: bool, peephole: str, bias: str, g: str, h: str, proj: bool) -> Cell:
    return lstm_cell(recurrent=recurrent, peephole=peephole, bias=bias, g=g, h=h, proj=proj)


@cache
def _gru(form: str, bias: str) -> Cell:
    return gru_cell(form=form, bias=bias)


@cache
def _rnn(bias: str, activation: str) -> Cell:
    return rnn_cell(bias=bias, activation=activation)


@cache
def _ffn(bias: str) -> Cell:
    return ffn_layer(bias=bias)
