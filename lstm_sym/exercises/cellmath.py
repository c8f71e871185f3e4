"""A pre-activation as a formula in the inputs: SymPy expressions in x1, x2, … and LaTeX.

Which weights and bias feed a pre-activation is read off the cell's equation for it (the
parameters it names, by their roles), so a variant's sheet shows the weights it was drawn
with and nothing about the cell is written here. The functions default to the lecture's
memory cell, whose pre-activations read only the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sympy as sp

from lstm_sym.exercises.anatomy import anatomy
from lstm_sym.model.cells import Cell, build_cell


@lru_cache(maxsize=1)
def lecture_cell() -> Cell:
    """The lecture's memory cell (g, h the identity, one bias per gate), built once."""
    return build_cell("lecture", g="identity", h="identity")


def _names(expr: sp.Basic) -> set[str]:
    return {node.name for node in sp.preorder_traversal(expr) if isinstance(node, sp.MatrixSymbol)}


@lru_cache(maxsize=256)
def feeding(cell: Cell, pre: str) -> tuple[str, str | None]:
    """(input weight, bias) parameter names of a pre-activation, from its equation.

    >>> feeding(lecture_cell(), "z_f")
    ('W_f', 'b_f')
    """
    used = _names(cell.equation(pre).rhs)
    weight = next(p.name for p in cell.params if p.name in used and p.role == "input weight")
    bias = next((p.name for p in cell.params if p.name in used and "bias" in p.role), None)
    return weight, bias


def gate_of(cell: Cell | None = None) -> dict[str, str]:
    """Each gate's pre-activation, e.g. ``{"i": "z_i", …}``, from the cell's equations."""
    return {q.name: q.argument for q in anatomy(cell or lecture_cell()).gates}


GATE_OF = gate_of()


def input_symbols(n: int) -> list[sp.Symbol]:
    """x1 … xn (they print as x_{1} … in LaTeX, and parse back as x1)."""
    return [sp.Symbol(f"x{k}") for k in range(1, n + 1)]


def _row_and_bias(weights: dict[str, Any], pre: str, cell: Cell | None) -> tuple[list, Any]:
    weight, bias = feeding(cell or lecture_cell(), pre)
    return weights[weight][0], weights[bias][0] if bias else 0


def affine(weights: dict[str, Any], pre: str, cell: Cell | None = None) -> sp.Expr:
    """The pre-activation as an expression in the inputs.

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> affine(LECTURE_PARAMS, "z_i")
    100*x2 - 10
    """
    row, bias = _row_and_bias(weights, pre, cell)
    xs = input_symbols(len(row))
    return sum((sp.Integer(w) * x for w, x in zip(row, xs)), sp.Integer(0)) + sp.Integer(bias)


def affine_tex(weights: dict[str, Any], pre: str, cell: Cell | None = None) -> str:
    """LaTeX of the pre-activation formula, e.g. ``100 x_{2} - 10``: a plain string, as
    SymPy's ``latex(affine(...), order="lex")`` writes it, without SymPy's cost.

    >>> affine_tex({"W_i": [[-1, 0, 2]], "b_i": [-3]}, "z_i")
    '- x_{1} + 2 x_{3} - 3'
    """
    row, bias = _row_and_bias(weights, pre, cell)
    terms = [(w, f"x_{{{k}}}") for k, w in enumerate(row, 1) if w != 0]
    if not terms:
        return str(bias)
    if bias != 0:
        terms.append((bias, ""))
    out = ""
    for w, x in terms:
        size = abs(w)
        body = x if size == 1 and x else f"{size} {x}".strip()
        sign = "-" if w < 0 else "+"
        out += (f"- {body}" if sign == "-" else body) if not out else f" {sign} {body}"
    return out


def substituted_tex(weights: dict[str, Any], pre: str, x: Sequence[int],
                    cell: Cell | None = None) -> str:
    """The formula with the step's inputs put in, before adding up: ``100 \\cdot 1 - 10``.

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> substituted_tex(LECTURE_PARAMS, "z_f", [3, -1, 0])
    '100 \\\\cdot (-1) + 10'
    """
    row, bias = _row_and_bias(weights, pre, cell)
    terms = []
    for w, v in zip(row, x):
        if w == 0:
            continue
        value = f"({v})" if v < 0 else str(v)
        terms.append(value if w == 1 else f"-{value}" if w == -1 else f"{w} \\cdot {value}")
    if bias or not terms:
        terms.append(str(bias))
    out = terms[0]
    for term in terms[1:]:
        out += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return out


def weight_of(weights: dict[str, Any], pre: str, cell: Cell | None = None) -> tuple[int, int, int]:
    """(input channel 0-based, weight, bias) of a pre-activation driven by one input.

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> weight_of(LECTURE_PARAMS, "z_o")
    (2, 100, -10)
    """
    row, bias = _row_and_bias(weights, pre, cell)
    channel = max(range(len(row)), key=lambda k: abs(row[k]))
    return channel, row[channel], bias


# --- what a question reads of the weights: the cache key, so a class shares the work -----

def _freeze(value: Any) -> Any:
    return tuple(_freeze(v) for v in value) if isinstance(value, (list, tuple)) else value


def _types(value: Any) -> Any:
    return tuple(_types(v) for v in value) if isinstance(value, (list, tuple)) else (
        type(value).__name__)


def weights_from_key(frozen: tuple) -> dict[str, Any]:
    """Weights back from :func:`weights_key` (nested lists, as a variant holds them)."""
    def thaw(value: Any) -> Any:
        return [thaw(v) for v in value] if isinstance(value, tuple) else value

    return {name: thaw(value) for name, value, _ in frozen}


def _zeroed(value: Any) -> Any:
    return [_zeroed(v) for v in value] if isinstance(value, (list, tuple)) else 0


def weights_key(weights: dict[str, Any], cell: Cell, keep) -> tuple:
    """The weights with every parameter `keep(param)` rejects zeroed (same shapes), as a
    hashable key: what a question reads of the weights, so a class shares the work. Each
    number keeps its type (100 and 100.0 print apart).

    >>> key = weights_key({"W_f": [[0, 100, 0]], "b_f": [10], "W_o": [[5, 0, 0]], "b_o": [-3]},
    ...                   lecture_cell(), lambda prm: prm.name in ("W_f", "b_f"))
    >>> weights_from_key(key)["W_o"], weights_from_key(key)["W_f"]
    ([[0, 0, 0]], [[0, 100, 0]])
    """
    params = {prm.name: prm for prm in cell.params}
    kept = {name: value if name in params and keep(params[name]) else _zeroed(value)
            for name, value in weights.items()}
    return tuple((name, _freeze(value), _types(value)) for name, value in sorted(kept.items()))


@lru_cache(maxsize=64)
def reached(cell: Cell, quantity: str) -> frozenset[str]:
    """The parameters `quantity` depends on within a step, from the cell's equations.

    >>> from lstm_sym.exercises.cellmath import lecture_cell
    >>> sorted(reached(lecture_cell(), "o")), sorted(reached(lecture_cell(), "c_new"))[:3]
    (['W_o', 'b_o'], ['W_f', 'W_i', 'W_z'])
    """
    params = {prm.name for prm in cell.params}
    assigned = {eq.name for eq in cell.equations}
    seen: set[str] = set()
    todo = [quantity]
    while todo:
        for symbol in cell.equation(todo.pop()).rhs.free_symbols:
            name = getattr(symbol, "name", None)
            if name in (params | assigned) and name not in seen:
                seen.add(name)
                if name in assigned:
                    todo.append(name)
    return frozenset(seen & params)
