"""What a trace asks about a cell, read off the cell's equations (never typed per cell).

Each equation of a :class:`~lstm_sym.model.cells.Cell` becomes one quantity a trace
question asks for: its question name (a new state under the state's own name, so the
lecture's ``c_new`` is asked as ``c``), its kind, its LaTeX name and, for a gate or a
candidate, the pre-activation it squashes. The roles the clean-variant search and the
misconceptions need are read off the state equations' structure: the gate that keeps a
state's previous value (the LSTM's f, the GRU's u), the gate that writes into it (i)
and the gate the output is read through (o).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from lstm_sym.model.cells import Cell, Equation
from lstm_sym.model.notation import Act, display


@dataclass(frozen=True)
class Quantity:
    """One value a trace step computes.

    `name` is the question's name (``trace.t{t}.{name}``), `equation` the equation's own
    name, `argument` the pre-activation a gate or candidate squashes and `activation` its
    function (``sigmoid``, ``tanh``, …).
    """

    name: str
    equation: str
    kind: str
    tex: str
    argument: str | None = None
    activation: str | None = None

    @property
    def is_gate(self) -> bool:
        return self.kind == "gate"


@dataclass(frozen=True)
class Anatomy:
    """The quantities of a cell in equation order, and its gates' roles.

    >>> from lstm_sym.model.cells import build_cell
    >>> a = anatomy(build_cell("lecture"))
    >>> [q.name for q in a.quantities]
    ['z', 'z_i', 'z_f', 'z_o', 'i', 'f', 'o', 'c', 'y']
    >>> a.keep, a.write, a.read, a.written
    ({'c': 'f'}, {'c': 'i'}, 'o', {'c': 'z'})
    >>> g = anatomy(build_cell("gru"))
    >>> [q.name for q in g.quantities], g.keep, g.read
    (['z_r', 'z_u', 'r', 'u', 'z_n', 'n', 'h'], {'h': 'u'}, None)
    """

    cell: Cell
    quantities: tuple[Quantity, ...]
    keep: dict[str, str]  # state -> the gate that keeps its previous value
    write: dict[str, str]  # state -> the gate that lets a new value in (when one gate does)
    read: str | None  # the gate the output is read through
    written: dict[str, str] = field(default_factory=dict)  # state -> what its write gate lets in

    def quantity(self, name: str) -> Quantity:
        for q in self.quantities:
            if q.name == name:
                return q
        raise KeyError(name)

    @property
    def gates(self) -> tuple[Quantity, ...]:
        return tuple(q for q in self.quantities if q.is_gate)

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(st.name for st in self.cell.states)

    def state_of(self, quantity: str) -> str | None:
        """The carried state a quantity is the new value of (``c`` for the lecture's c)."""
        return quantity if quantity in self.state_names else None


def _symbols(expr: sp.Basic) -> set[str]:
    return {node.name for node in sp.preorder_traversal(expr) if isinstance(node, sp.MatrixSymbol)}


def _factors(term: sp.Basic) -> tuple[sp.Basic, ...]:
    return term.args if isinstance(term, sp.HadamardProduct) else (term,)


def _inner(factor: sp.Basic) -> str | None:
    """The pre-activation a factor such as g(z) (or z itself) is made of."""
    if isinstance(factor, Act):
        factor = factor.arg
    return factor.name if isinstance(factor, sp.MatrixSymbol) else None


def _roles(cell: Cell, gates: set[str]):
    keep, write, written = {}, {}, {}
    eqs = {eq.lhs: eq for eq in cell.equations}
    for st in cell.states:
        rhs = eqs[st.new].rhs
        terms = rhs.args if isinstance(rhs, sp.MatAdd) else (rhs,)
        for term in terms:
            factors = _factors(term)
            named = [f.name for f in factors if isinstance(f, sp.MatrixSymbol) and f.name in gates]
            if st.prev in factors and named:
                keep[st.name] = named[0]
            elif named and st.prev not in factors:
                write[st.name] = named[0]
                others = [_inner(f) for f in factors if not (isinstance(f, sp.MatrixSymbol)
                                                              and f.name in gates)]
                if others and others[0]:
                    written[st.name] = others[0]
    out = cell.output
    output_eq = eqs[out]
    kept = {keep.get(st.name) for st in cell.states if st.new == out}
    readers = sorted(_symbols(output_eq.rhs) & gates - kept)
    return keep, write, readers[0] if readers else None, written


def _quantity(cell: Cell, eq: Equation) -> Quantity:
    renamed = {st.new.name: st.name for st in cell.states}
    name = renamed.get(eq.name, eq.name)
    argument = activation = None
    if isinstance(eq.rhs, Act) and isinstance(eq.rhs.arg, sp.MatrixSymbol):
        argument, activation = eq.rhs.arg.name, eq.rhs.fname
    return Quantity(name, eq.name, eq.kind, display(eq.name, lecture=cell.lecture)[1],
                    argument, activation)


@lru_cache(maxsize=32)
def anatomy(cell: Cell) -> Anatomy:
    """The cell's quantities and roles, computed once per cell."""
    quantities = tuple(_quantity(cell, eq) for eq in cell.equations)
    gates = {q.equation for q in quantities if q.is_gate}
    keep, write, read, written = _roles(cell, gates)
    return Anatomy(cell, quantities, keep, write, read, written)
