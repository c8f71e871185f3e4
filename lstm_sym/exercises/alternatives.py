"""Misconceptions as alternative models: the trace a student gets by misreading the cell.

Each alternative changes the variant's weights (a gate pinned open or closed, the
biases dropped, a gate's sense flipped) and runs the same cell in ideal mode, so a
wrong answer is recognised by recomputing it, never by a typed number.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import sympy as sp

from lstm_sym.exercises.anatomy import anatomy
from lstm_sym.exercises.cellmath import lecture_cell
from lstm_sym.exercises.model import T, Text
from lstm_sym.exercises.variant import (
    KEEP,
    READ,
    SATURATION,
    WRITE,
    Variant,
    batch_rows,
    cell_of,
    make_model,
    pinning,
    step_rows,
)
from lstm_sym.model.cells import Cell

# id -> (gate role, pinned state); the gate ignores its input and stays open (1) or closed (0).
# The roles are the lecture cell's, read off its equations.
PINNED: dict[str, tuple[str, int]] = {
    "forget_ignored": (KEEP, 0),  # the memory is not kept from step to step
    "no_reset": (KEEP, 1),  # the memory is never reset
    "input_ignored": (WRITE, 1),  # every z is written
    "output_always_open": (READ, 1),  # the memory is always shown
}

FEEDBACK: dict[str, Text] = {name: T(f"ex.mc.{name}") for name in
                             (*PINNED, "previous_step", "bias_ignored", "gate_inverted",
                              "gate_as_01")}


def _gate_params(cell: Cell, gate: str) -> list:
    """The parameters of a gate's pre-activation, read off its equation."""
    pre = anatomy(cell).quantity(gate).argument
    used = {node.name for node in sp.preorder_traversal(cell.equation(pre).rhs)
            if isinstance(node, sp.MatrixSymbol)}
    return [prm for prm in cell.params if prm.name in used]


def _scaled(value: Any, factor: int) -> Any:
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return value * factor


def _pinned(weights: dict[str, Any], gate: str, state: int, cell: Cell) -> dict[str, Any]:
    out = copy.deepcopy(weights)
    biases = [prm for prm in _gate_params(cell, gate) if "bias" in prm.role]
    for prm in _gate_params(cell, gate):
        out[prm.name] = _scaled(out[prm.name], 0)
    if biases:  # the first bias alone holds the gate saturated
        out[biases[0].name] = [SATURATION if state else -SATURATION for _ in out[biases[0].name]]
    return out


def _no_bias(weights: dict[str, Any], cell: Cell) -> dict[str, Any]:
    out = copy.deepcopy(weights)
    for prm in cell.params:
        if "bias" in prm.role:
            out[prm.name] = _scaled(out[prm.name], 0)
    return out


def _inverted(weights: dict[str, Any], cell: Cell) -> dict[str, Any]:
    out = copy.deepcopy(weights)
    for gate in anatomy(cell).gates:
        for prm in _gate_params(cell, gate.name):
            out[prm.name] = _scaled(out[prm.name], -1)
    return out


def altered_weights(name: str, weights: dict[str, Any], cell: Cell | None = None) -> dict[str, Any]:
    """The weights of alternative `name` (for the lecture's cell unless `cell` is given).

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> altered_weights("no_reset", LECTURE_PARAMS)["W_f"], altered_weights("no_reset",
    ...     LECTURE_PARAMS)["b_f"]
    ([[0, 0, 0]], [10])
    """
    cell = cell or lecture_cell()
    if name in PINNED:
        return _pinned(weights, *PINNED[name], cell)
    if name == "bias_ignored":
        return _no_bias(weights, cell)
    if name == "gate_inverted":
        return _inverted(weights, cell)
    raise KeyError(name)


def freeze(obj: Any) -> Any:
    """Weights, inputs or options as nested tuples: hashable, so a cache key.

    >>> freeze({"W": [[1, 0]], "b": [2]}), thaw_weights(freeze({"W": [[1, 0]], "b": [2]}))
    ((('W', ((1, 0),)), ('b', (2,))), {'W': [[1, 0]], 'b': [2]})
    """
    if isinstance(obj, dict):
        return tuple(sorted((k, freeze(v)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return tuple(freeze(v) for v in obj)
    return obj


def thaw_weights(weights: tuple) -> dict[str, Any]:
    """:func:`freeze`'s weights back as the JSON lists the model reads."""
    return {k: [list(r) if isinstance(r, tuple) else r for r in v] for k, v in weights}


def _model(cell: tuple, weights: tuple):
    """The model of frozen (hashable, so cacheable) cell options and weights."""
    return make_model(dict(cell), thaw_weights(weights), "alternative")


@lru_cache(maxsize=1024)
def _rows(cell: tuple, weights: tuple, inputs: tuple, c0: Any) -> list[dict]:
    return step_rows(_model(cell, weights), inputs, "ideal", c0=c0)


def rows_with_weights(variant: Variant, name: str, memory: bool = False) -> list[dict]:
    """Ideal-mode values of the whole sequence on the alternative's own weights
    (:func:`altered_weights`)."""
    weights = altered_weights(name, variant.weights, cell_of(variant.cell))
    seq = variant.memory_inputs if memory else variant.inputs
    return _rows(freeze(variant.cell), freeze(weights), freeze(seq), None)


@lru_cache(maxsize=1024)
def _pinned_rows(cell: tuple, weights: tuple, inputs: tuple) -> dict[str, list[dict]]:
    """Every pinned-gate alternative of one sequence in a single batched ideal run: column
    k holds alternative k, its gate set to 0 or 1 as it is computed. In ideal mode this is
    what the altered weights give (a gate on a bias of ±SATURATION alone is 0 or 1), at a
    quarter of the runs."""
    model = _model(cell, weights)
    parts = anatomy(model.cell)
    names = list(PINNED)
    bind = pinning([(parts.quantity(PINNED[n][0]).equation, PINNED[n][1]) for n in names])
    return dict(zip(names, batch_rows(model, [inputs] * len(names), "ideal", bind=bind)))


def alternative_rows(variant: Variant, name: str, memory: bool = False) -> list[dict]:
    """Ideal-mode values of the whole trace (or memory) sequence under alternative `name`:
    a student who holds the misconception throughout."""
    if name not in PINNED:
        return rows_with_weights(variant, name, memory)
    seq = variant.memory_inputs if memory else variant.inputs
    return _pinned_rows(freeze(variant.cell), freeze(variant.weights), freeze(seq))[name]
